"""The visibility rule's arms (reports.visibility): an office's list page walked arm by arm gives the same items in
the same order, and the same count, as the visible set sorted; and the reach rows' copies of the item's columns,
which the database keeps, never go stale. The rule itself is the matrix of test_visibility.py."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.reports.models import Report, ReportReach, ReportType, Visibility
from xinbao.reports.selectors import (
    report_list_visible_to,
    report_page_visible_to,
    report_rows_in_order_visible_to,
)
from xinbao.reports.services import (
    report_combine,
    report_forward,
    report_reader_add,
    report_signoff,
    report_submit,
    report_withdraw,
    submission_adopt,
)
from xinbao.reports.tests.factories import make_report, make_sent_report

TRIGGERS = ("reports_reach_fill", "reports_reach_follow")


def _busy_world(cast, world):
    """Items admitted by every arm and by several at once: sent, restricted, withdrawn, refused, drafts of the
    office, forwarded and combined ones, a named reader, items of other units the office did and did not reach."""
    sent = [make_sent_report(cast, title=f"城关镇冬季安全排查第{i}次") for i in range(4)]
    restricted = make_sent_report(cast, title="村级债务风险苗头", report_type=ReportType.PROBLEM)
    withdrawn = make_report(cast.informant, title="撤回的信息")
    report_submit(actor=cast.informant, report=withdrawn)
    report_withdraw(actor=cast.informant, report=withdrawn)
    refused = make_report(cast.informant, title="审签未通过的信息")
    report_submit(actor=cast.informant, report=refused)
    report_signoff(actor=cast.signer, report=refused, approve=False, reason="数据需核实")
    make_report(cast.informant, title="草稿一篇")
    make_report(cast.county_editor, title="县委办综合稿（草稿）")
    for report in sent[:2]:
        submission_adopt(
            actor=cast.county_editor, submission=report.submissions.get(office=cast.county_editor.unit)
        )
    report_forward(actor=cast.county_editor, report=sent[0])
    office = cast.county_editor.unit
    report_combine(
        actor=cast.county_editor,
        submissions=[report.submissions.get(office=office) for report in sent[2:4]],
        title="全县冬季安全排查综述",
        body="全县各乡镇开展冬季安全隐患排查，共整改问题百余处。",
    )
    sibling = make_user(world.township2, Role.INFORMANT)
    sibling_signer = make_user(world.township2, Role.SIGNER)
    other = make_report(sibling, title="白沙镇信息")
    report_submit(actor=sibling, report=other)
    report_signoff(actor=sibling_signer, report=other, approve=True)
    report_reader_add(actor=cast.signer, report=restricted, person=cast.colleague)
    make_report(cast.sibling_informant, title="白沙镇草稿")
    # Same submission instant for two items: the order falls through to created_at and id.
    same = timezone.now() - timedelta(days=3)
    Report.objects.filter(pk__in=[sent[2].pk, sent[3].pk]).update(submitted_at=same)


def _walk(user, size):
    keys, start, counts = [], 0, set()
    while True:
        page, count = report_page_visible_to(user=user, start=start, size=size)
        counts.add(count)
        if not page:
            return keys, counts
        keys += [row["id"] for row in page]
        start += size


PEOPLE = (
    "county_editor",
    "county_leader",
    "county_gov_editor",
    "city_editor",
    "informant",
    "colleague",
    "signer",
    "other_editor",
)


@pytest.mark.django_db
def test_rows_in_order_are_the_visible_set_once_each(world, cast):
    """The rows search walks (office arm plus the other arms' items it does not admit): each visible item once,
    sorted by their order columns the way the list is."""
    _busy_world(cast, world)
    # The county editor created and authored items his office also reached: admitted by two arms at once.
    assert report_list_visible_to(user=cast.county_editor).filter(created_by=cast.county_editor).exists()
    for name in PEOPLE:
        user = getattr(cast, name)
        sql, params = report_rows_in_order_visible_to(user=user)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY submitted_at DESC, created_at DESC, id DESC", params)
            rows = cursor.fetchall()
        ids = [row[0] for row in rows]
        assert len(ids) == len(set(ids)), name
        assert ids == list(report_list_visible_to(user=user).values_list("pk", flat=True)), name


@pytest.mark.django_db
def test_pages_walked_by_arm_equal_the_sorted_visible_set(world, cast):
    _busy_world(cast, world)
    people = [
        cast.county_editor,
        cast.county_leader,
        cast.county_gov_editor,
        cast.city_editor,
        cast.informant,
        cast.colleague,
        cast.signer,
        cast.other_editor,
    ]
    for user in people:
        expected = list(report_list_visible_to(user=user).values_list("pk", flat=True))
        for size in (1, 2, 3, 7, 50):
            keys, counts = _walk(user, size)
            assert keys == expected, (user.username, size)
            assert counts == {len(expected)}, (user.username, size)
    # The office arm admits most of the county editor's list and the other arms some of the same items.
    assert len(report_list_visible_to(user=cast.county_editor)) > 8
    assert report_list_visible_to(user=cast.other_editor).count() == 0


@pytest.mark.django_db
def test_filtered_pages_follow_the_filter(world, cast):
    _busy_world(cast, world)
    filters = {"type": ReportType.PROBLEM}
    page, count = report_page_visible_to(user=cast.county_editor, filters=filters, start=0, size=10)
    assert [row["title"] for row in page] == ["村级债务风险苗头"] and count == 1
    page, count = report_page_visible_to(user=cast.county_leader, filters=filters, start=0, size=10)
    assert (page, count) == ([], 0)  # restricted: not for the office's leader


@pytest.mark.django_db
def test_reach_rows_copy_the_items_columns_at_every_step(world, cast):
    _busy_world(cast, world)
    report = Report.objects.get(title="城关镇冬季安全排查第3次")
    # A write that bypasses the services changes the copies too.
    Report.objects.filter(pk=report.pk).update(visibility=Visibility.RESTRICTED)
    stale = [
        (reach.pk, reach.report_id)
        for reach in ReportReach.objects.select_related("report")
        if (
            reach.report_unit_id,
            reach.report_state,
            reach.report_visibility,
            reach.report_submitted_at,
            reach.report_created_at,
        )
        != (
            reach.report.unit_id,
            reach.report.state,
            reach.report.visibility,
            reach.report.submitted_at,
            reach.report.created_at,
        )
    ]
    assert ReportReach.objects.count() > 10
    assert stale == []
    assert report.pk not in [
        row["id"] for row in report_page_visible_to(user=cast.county_leader, start=0, size=50)[0]
    ]


@pytest.mark.django_db
def test_the_triggers_that_keep_the_copies_exist():
    """A later migration that rebuilds either table on SQLite (SQLite alters tables by copying them) would drop
    the triggers silently; this fails then, and the migration must create them again."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'reports_reach_%%'"
            )
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'reports_reach_%%'")
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(TRIGGERS)
