"""The visibility matrix (issue 3, "Tests and measures"): every role × relation to the item × normal and restricted ×
stage of the item, asserted through the one shared selector (report_list_visible_to / report_get_visible) and
the office inbox (inbox_for_office). Pages, API, exports and search all read through these.

Relations: the writing unit (城关镇: author, colleague informant, signer, unit admin), its parent offices (安平县委办
editor / leader / duty officer, 安平县政府办 editor), the office above (江州市委办, reached only by forwarding), a
sibling township (白沙镇) and another county (石桥县委办).
"""

import pytest

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.common.errors import NotFound
from xinbao.reports.models import Visibility
from xinbao.reports.selectors import (
    inbox_for_office,
    report_get_visible,
    report_list_visible_to,
    report_page_visible_to,
)
from xinbao.reports.services import (
    report_forward,
    report_signoff,
    report_submit,
    report_withdraw,
    submission_adopt,
)
from xinbao.reports.tests.factories import make_cast, make_report

STAGES = ("draft", "pending", "refused", "sent", "withdrawn", "forwarded")
ALL = set(STAGES)
SUBMITTED = {"pending", "refused", "sent", "forwarded"}  # entered the sign-off path and not withdrawn
OUT = {"sent", "forwarded"}  # reached the offices
NONE: set[str] = set()

# role: (normal item visible in, restricted item visible in, original's submission in the role's inbox
#        [normal, restricted])
ORIGINAL = {
    "informant": (ALL, ALL, NONE, NONE),
    "colleague": (SUBMITTED, NONE, NONE, NONE),
    "signer": (SUBMITTED, SUBMITTED, NONE, NONE),
    "unit_admin": (SUBMITTED, NONE, NONE, NONE),
    "county_editor": (SUBMITTED, SUBMITTED, OUT, OUT),
    "county_leader": (OUT, NONE, OUT, NONE),
    "county_duty": (OUT, NONE, OUT, NONE),
    "county_gov_editor": (SUBMITTED, SUBMITTED, OUT, OUT),
    "city_editor": ({"forwarded"}, {"forwarded"}, NONE, NONE),
    "sibling_informant": (NONE, NONE, NONE, NONE),
    "other_editor": (NONE, NONE, NONE, NONE),
}

# The county party office's forwarded item (stage "forwarded" only): role → (visible normal, visible restricted,
# in inbox normal, in inbox restricted). The county government office was not a target of it.
FORWARDED = {
    "informant": (False, False, False, False),
    "colleague": (False, False, False, False),
    "signer": (False, False, False, False),
    "unit_admin": (False, False, False, False),
    "county_editor": (True, True, False, False),
    "county_leader": (True, False, False, False),
    "county_duty": (True, False, False, False),
    "county_gov_editor": (False, False, False, False),
    "city_editor": (True, True, True, True),
    "sibling_informant": (False, False, False, False),
    "other_editor": (False, False, False, False),
}


def _people(world):
    cast = make_cast(world)
    people = {name: getattr(cast, name) for name in ORIGINAL if hasattr(cast, name)}
    people["unit_admin"] = make_user(world.township, Role.UNIT_ADMIN)
    people["county_duty"] = make_user(world.county_party_office, Role.DUTY_OFFICER)
    return cast, people


def _build(cast, visibility, stage):
    report = make_report(cast.informant, visibility=visibility)
    forwarded = None
    if stage == "draft":
        return report, None
    report_submit(actor=cast.informant, report=report)
    if stage == "refused":
        report_signoff(actor=cast.signer, report=report, approve=False, reason="需再核实")
    elif stage != "pending":
        report_signoff(actor=cast.signer, report=report, approve=True)
    if stage == "withdrawn":
        report_withdraw(actor=cast.informant, report=report)
    if stage == "forwarded":
        submission_adopt(
            actor=cast.county_editor, submission=report.submissions.get(office=cast.county_editor.unit)
        )
        forwarded = report_forward(actor=cast.county_editor, report=report)
    return report, forwarded


def _sees(user, report):
    listed = report_list_visible_to(user=user).filter(pk=report.pk).exists()
    try:
        report_get_visible(user=user, pk=report.pk)
        got = True
    except NotFound:
        got = False
    page, count = report_page_visible_to(user=user, start=0, size=100)
    paged = report.pk in [row["id"] for row in page]
    assert listed == got == paged, "list, detail and list page must agree"
    assert count == report_list_visible_to(user=user).count()
    return listed


def _in_inbox(user, report):
    return inbox_for_office(user=user).filter(report=report).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("visibility", [Visibility.NORMAL, Visibility.RESTRICTED])
def test_visibility_matrix(world, visibility, stage):
    cast, people = _people(world)
    report, forwarded = _build(cast, visibility, stage)
    restricted = visibility == Visibility.RESTRICTED

    expected, actual = {}, {}
    for role, (vis_normal, vis_restricted, inbox_normal, inbox_restricted) in ORIGINAL.items():
        user = people[role]
        expected[role] = (
            stage in (vis_restricted if restricted else vis_normal),
            stage in (inbox_restricted if restricted else inbox_normal),
        )
        actual[role] = (_sees(user, report), _in_inbox(user, report))
    assert actual == expected

    if forwarded is not None:
        expected, actual = {}, {}
        for role, (v_n, v_r, i_n, i_r) in FORWARDED.items():
            user = people[role]
            expected[role] = (v_r, i_r) if restricted else (v_n, i_n)
            actual[role] = (_sees(user, forwarded), _in_inbox(user, forwarded))
        assert actual == expected
