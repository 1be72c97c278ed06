"""Review at a receiving office (issue 3 item 5): take up, return, adopt, not adopt, combine, forward, external
adoption — each allowed step once, and each refusal with a Chinese message and no change."""

from datetime import timedelta

import pytest
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.common.errors import Conflict, NotPermitted, ValidationFailed
from xinbao.orgs.models import Level
from xinbao.reports.models import (
    Adoption,
    AdoptionCredit,
    AdoptionMode,
    ReportOrigin,
    ReportState,
    SubmissionState,
    Visibility,
)
from xinbao.reports.services import (
    adoption_record_external,
    report_combine,
    report_forward,
    report_signoff,
    report_submit,
    report_withdraw,
    submission_adopt,
    submission_not_adopt,
    submission_return,
    submission_take_up,
)
from xinbao.reports.tests.factories import make_report, make_sent_report, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(cast):
    return make_sent_report(cast)


def _sub(report, office):
    return report.submissions.get(office=office)


def _refused(exc_type, call, report, match=None):
    before = snapshot(report)
    with pytest.raises(exc_type, match=match) as info:
        call()
    assert snapshot(report) == before, "a refused transition must change nothing"
    assert info.value.message
    return info.value


def test_take_up_then_adopt_credits_the_township(world, cast, sent):
    sub = _sub(sent, world.county_party_office)
    submission_take_up(actor=cast.county_editor, submission=sub)
    sub.refresh_from_db()
    assert (sub.state, sub.reviewer_id) == (SubmissionState.UNDER_REVIEW, cast.county_editor.pk)
    _refused(Conflict, lambda: submission_take_up(actor=cast.county_editor, submission=sub), sent)
    adoption = submission_adopt(actor=cast.county_editor, submission=sub, mode=AdoptionMode.PARTIAL)
    assert (adoption.level, adoption.mode, adoption.office_id) == (
        Level.COUNTY,
        AdoptionMode.PARTIAL,
        world.county_party_office.pk,
    )
    credit = AdoptionCredit.objects.get(adoption=adoption)
    assert (credit.origin_id, credit.unit_id) == (sent.pk, world.township.pk)


def test_review_refusals_for_people_outside_the_office(world, cast, sent):
    sub = _sub(sent, world.county_party_office)
    for person in (cast.county_leader, cast.county_gov_editor, cast.other_editor, cast.informant):
        _refused(NotPermitted, lambda p=person: submission_adopt(actor=p, submission=sub), sent)
        _refused(NotPermitted, lambda p=person: submission_take_up(actor=p, submission=sub), sent)
        _refused(
            NotPermitted, lambda p=person: submission_return(actor=p, submission=sub, comment="改"), sent
        )
        _refused(NotPermitted, lambda p=person: submission_not_adopt(actor=p, submission=sub), sent)


def test_decided_submissions_refuse_further_decisions(world, cast, sent):
    sub = _sub(sent, world.county_party_office)
    submission_adopt(actor=cast.county_editor, submission=sub)
    error = _refused(Conflict, lambda: submission_adopt(actor=cast.county_editor, submission=sub), sent)
    assert "已被处理" in error.message
    _refused(Conflict, lambda: submission_not_adopt(actor=cast.county_editor, submission=sub), sent)
    _refused(
        Conflict, lambda: submission_return(actor=cast.county_editor, submission=sub, comment="改"), sent
    )
    assert Adoption.objects.filter(report=sent).count() == 1


def test_return_needs_a_comment_and_a_withdrawn_item_cannot_be_returned(world, cast, sent):
    sub = _sub(sent, world.county_party_office)
    error = _refused(
        ValidationFailed,
        lambda: submission_return(actor=cast.county_editor, submission=sub, comment=" "),
        sent,
    )
    assert error.field == "comment"
    report_withdraw(actor=cast.informant, report=sent)  # back to draft
    sent.refresh_from_db()
    assert sent.state == ReportState.DRAFT
    _refused(
        Conflict, lambda: submission_return(actor=cast.county_editor, submission=sub, comment="改"), sent
    )
    _refused(Conflict, lambda: submission_adopt(actor=cast.county_editor, submission=sub), sent)


def test_adopt_mode_must_be_full_or_partial(world, cast, sent):
    sub = _sub(sent, world.county_party_office)
    error = _refused(
        ValidationFailed,
        lambda: submission_adopt(actor=cast.county_editor, submission=sub, mode=AdoptionMode.COMBINED),
        sent,
    )
    assert error.field == "mode"


def test_not_adopt_archives(world, cast, sent):
    sub = _sub(sent, world.county_gov_office)
    submission_not_adopt(actor=cast.county_gov_editor, submission=sub, comment="内容重复")
    sub.refresh_from_db()
    assert (sub.state, sub.comment) == (SubmissionState.NOT_ADOPTED, "内容重复")


# --- forward ------------------------------------------------------------------------------------------------------


def test_forward_upward_once(world, cast, sent):
    forwarded = report_forward(actor=cast.county_editor, report=sent)
    assert forwarded.unit_id == world.county_party_office.pk
    assert forwarded.origin == ReportOrigin.FORWARDED and forwarded.state == ReportState.SENT
    assert {s.office_id for s in forwarded.submissions.all()} == {
        world.city_party_office.pk,
        world.city_gov_office.pk,
    }
    error = _refused(ValidationFailed, lambda: report_forward(actor=cast.county_editor, report=sent), sent)
    assert "已经转报" in error.message
    _refused(ValidationFailed, lambda: report_forward(actor=cast.county_editor, report=forwarded), forwarded)


def test_forward_refusals(world, cast, sent):
    _refused(NotPermitted, lambda: report_forward(actor=cast.other_editor, report=sent), sent)
    _refused(NotPermitted, lambda: report_forward(actor=cast.county_leader, report=sent), sent)
    _refused(
        ValidationFailed,
        lambda: report_forward(actor=cast.county_editor, report=sent, targets=[world.other_party_office]),
        sent,
    )
    sub = _sub(sent, world.county_party_office)
    submission_return(actor=cast.county_editor, submission=sub, comment="请补充")
    error = _refused(ValidationFailed, lambda: report_forward(actor=cast.county_editor, report=sent), sent)
    assert "退回修改" in error.message
    gov = _sub(sent, world.county_gov_office)
    submission_not_adopt(actor=cast.county_gov_editor, submission=gov)
    _refused(ValidationFailed, lambda: report_forward(actor=cast.county_gov_editor, report=sent), sent)


# --- combine ------------------------------------------------------------------------------------------------------


def test_combine_keeps_credit_for_each_source(world, cast):
    first = make_sent_report(cast)
    sibling_signer = make_user(world.township2, Role.SIGNER)
    second = make_report(cast.sibling_informant, title="白沙镇开展冬季安全检查")
    report_submit(actor=cast.sibling_informant, report=second)
    report_signoff(actor=sibling_signer, report=second, approve=True)
    subs = [_sub(first, world.county_party_office), _sub(second, world.county_party_office)]
    error = _refused(
        ValidationFailed,
        lambda: report_combine(
            actor=cast.county_editor, submissions=subs[:1], title="综合", body="正文" * 30
        ),
        first,
    )
    assert "至少" in error.message
    combined = report_combine(
        actor=cast.county_editor,
        submissions=subs,
        title="我县乡镇扎实开展冬季安全隐患排查",
        body="近期，城关镇、白沙镇等乡镇扎实开展冬季安全隐患排查整治工作。" * 3,
    )
    assert combined.origin == ReportOrigin.COMBINED
    assert set(combined.source_links.values_list("source_id", flat=True)) == {first.pk, second.pk}
    for sub in subs:
        sub.refresh_from_db()
        assert (sub.state, sub.merged_into_id) == (SubmissionState.MERGED, combined.pk)
    adoption = Adoption.objects.get(report=combined)
    assert adoption.mode == AdoptionMode.COMBINED
    assert {c.unit_id for c in adoption.credits.all()} == {world.township.pk, world.township2.pk}
    # A decided submission cannot be combined again.
    third = make_sent_report(cast, title="城关镇第三条信息")
    again = [subs[0], _sub(third, world.county_party_office)]
    _refused(
        Conflict,
        lambda: report_combine(actor=cast.county_editor, submissions=again, title="再综合", body="正文" * 30),
        third,
    )


def test_combined_item_of_a_restricted_source_is_restricted(world, cast):
    normal = make_sent_report(cast)
    restricted = make_sent_report(
        cast, title="城关镇部分村民反映征地补偿问题", visibility=Visibility.RESTRICTED
    )
    combined = report_combine(
        actor=cast.county_editor,
        submissions=[_sub(normal, world.county_party_office), _sub(restricted, world.county_party_office)],
        title="综合信息",
        body="综合正文" * 20,
    )
    assert combined.visibility == Visibility.RESTRICTED


# --- adoption outside the system ----------------------------------------------------------------------------------


def test_external_adoption_is_recorded_upward_only(world, cast, sent):
    today = timezone.localdate()
    adoption = adoption_record_external(
        actor=cast.county_editor,
        report=sent,
        level=Level.PROVINCE,
        publication="《明江信息》",
        issue_label="2026年第12期",
        adopted_on=today,
    )
    assert adoption.external and adoption.credits.get().unit_id == world.township.pk
    _refused(
        ValidationFailed,
        lambda: adoption_record_external(
            actor=cast.county_editor,
            report=sent,
            level=Level.TOWNSHIP,
            publication="镇简报",
            adopted_on=today,
        ),
        sent,
    )
    _refused(
        ValidationFailed,
        lambda: adoption_record_external(
            actor=cast.county_editor,
            report=sent,
            level=Level.CITY,
            publication="《江州信息》",
            adopted_on=today + timedelta(days=1),
        ),
        sent,
    )
    _refused(
        ValidationFailed,
        lambda: adoption_record_external(
            actor=cast.county_editor, report=sent, level=Level.CITY, publication=" ", adopted_on=today
        ),
        sent,
    )
    _refused(
        NotPermitted,
        lambda: adoption_record_external(
            actor=cast.other_editor,
            report=sent,
            level=Level.CITY,
            publication="《江州信息》",
            adopted_on=today,
        ),
        sent,
    )


def test_combine_refuses_the_same_submission_twice_and_a_bad_type(world, cast, sent):
    sub = _sub(sent, world.county_party_office)
    _refused(
        ValidationFailed,
        lambda: report_combine(
            actor=cast.county_editor, submissions=[sub, sub], title="综合", body="正文" * 30
        ),
        sent,
    )
    other = make_sent_report(cast, title="城关镇另一条信息")
    pair = [sub, _sub(other, world.county_party_office)]
    error = _refused(
        ValidationFailed,
        lambda: report_combine(
            actor=cast.county_editor, submissions=pair, title="综合", body="正文" * 30, report_type="bogus"
        ),
        sent,
    )
    assert error.field == "report_type"
    _refused(
        NotPermitted,
        lambda: report_combine(actor=cast.county_leader, submissions=pair, title="综合", body="正文" * 30),
        sent,
    )
