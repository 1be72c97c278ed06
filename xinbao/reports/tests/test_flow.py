"""The whole path of PRODUCT 3.1 at service level: township → county → city, with credit flowing back."""

import pytest

from xinbao.reports.diff import lineage_hops
from xinbao.reports.models import AdoptionCredit, AdoptionMode, ReportState, SubmissionState
from xinbao.reports.selectors import report_list_visible_to
from xinbao.reports.services import (
    report_forward,
    report_signoff,
    report_submit,
    report_update,
    submission_adopt,
)
from xinbao.reports.tests.factories import make_report


@pytest.mark.django_db
def test_township_item_adopted_at_county_and_city_credits_the_township(world, cast):
    report = make_report(cast.informant)
    report_submit(actor=cast.informant, report=report, key="k1")
    report.refresh_from_db()
    assert report.state == ReportState.PENDING_SIGNOFF
    report_signoff(actor=cast.signer, report=report, approve=True)
    report.refresh_from_db()
    assert report.state == ReportState.SENT
    subs = {s.office_id: s for s in report.submissions.all()}
    assert set(subs) == {world.county_party_office.pk, world.county_gov_office.pk}

    county_sub = subs[world.county_party_office.pk]
    report_update(
        actor=cast.county_editor,
        report=report,
        title=report.title,
        body=report.body.replace("40余人", "四十余人"),
        base_version=report.version,
        reason="规范数字",
    )
    submission_adopt(actor=cast.county_editor, submission=county_sub, mode=AdoptionMode.FULL)
    county_sub.refresh_from_db()
    assert county_sub.state == SubmissionState.ADOPTED

    forwarded = report_forward(actor=cast.county_editor, report=report)
    city_sub = forwarded.submissions.get(office=world.city_party_office)
    report_update(
        actor=cast.city_editor,
        report=forwarded,
        title="江州市安平县冬季安全隐患排查整治见成效",
        body=forwarded.body,
        base_version=forwarded.version,
        reason="改标题",
    )
    submission_adopt(actor=cast.city_editor, submission=city_sub, mode=AdoptionMode.PARTIAL)

    credits = AdoptionCredit.objects.filter(origin=report)
    assert {c.adoption.level for c in credits} == {"county", "city"}
    assert all(c.unit_id == world.township.pk for c in credits)

    hops = lineage_hops(forwarded)
    assert [h.level for h in hops] == ["township", "county", "city"]
    assert hops[0].change_from_previous is None
    assert 0 < hops[1].change_from_previous < 0.1
    assert hops[2].change_from_previous > 0

    # The informant sees both; the city editor sees the original (upward); the sibling and other county do not.
    assert report_list_visible_to(user=cast.informant).filter(pk=report.pk).exists()
    assert report_list_visible_to(user=cast.city_editor).filter(pk=report.pk).exists()
    assert not report_list_visible_to(user=cast.sibling_informant).filter(pk=report.pk).exists()
    assert not report_list_visible_to(user=cast.other_editor).filter(pk=report.pk).exists()


@pytest.mark.django_db
def test_double_submit_is_one_submission(cast):
    report = make_report(cast.informant)
    report_submit(actor=cast.informant, report=report, key="same")
    report_submit(actor=cast.informant, report=report, key="same")
    report_signoff(actor=cast.signer, report=report, approve=True)
    report_submit(actor=cast.informant, report=report, key="same")
    assert report.submissions.count() == 2  # one per county office, not more
