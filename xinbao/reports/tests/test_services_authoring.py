"""Authoring transitions (PRODUCT 3.1, issue 3 items 2 and 3): submit, sign-off, escalate, withdraw, resubmission
after return, emergency items — every allowed step and every refusal, which must change nothing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.notifications.models import Notification
from xinbao.reports.models import (
    Escalation,
    ReportState,
    ReportType,
    SignOffDecision,
    SubmissionState,
)
from xinbao.reports.selectors import (
    can_edit_as_author,
    report_list_visible_to,
    signoff_refusals_for_office,
)
from xinbao.reports.services import (
    report_escalate,
    report_signoff,
    report_submit,
    report_update,
    report_withdraw,
    submission_adopt,
    submission_return,
    submission_take_up,
)
from xinbao.reports.tests.factories import make_report, make_sent_report, snapshot

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def _subs(report):
    return {s.office_id: s for s in report.submissions.all()}


def _refused(exc_type, call, report, match=None):
    before = snapshot(report)
    with pytest.raises(exc_type, match=match) as info:
        call()
    assert snapshot(report) == before, "a refused transition must change nothing"
    assert info.value.message  # a message for people, in Chinese
    return info.value


# --- submit and sign-off ----------------------------------------------------------------------------------------


def test_submit_goes_to_signoff_then_approval_sends_to_both_county_offices(
    world, cast, django_capture_on_commit_callbacks
):
    report = make_report(cast.informant)
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        report_submit(actor=cast.informant, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.PENDING_SIGNOFF
    assert report.pending_since == T0
    assert not report.submissions.exists()
    assert Notification.objects.filter(recipient=cast.signer, kind="signoff_pending").exists()

    signoff = report_signoff(actor=cast.signer, report=report, approve=True)
    report.refresh_from_db()
    assert signoff.decision == SignOffDecision.APPROVED and not signoff.after_send
    assert report.state == ReportState.SENT and report.pending_since is None
    assert set(_subs(report)) == {world.county_party_office.pk, world.county_gov_office.pk}
    assert all(s.state == SubmissionState.SUBMITTED for s in report.submissions.all())
    events = AuditEvent.objects.filter(object_id=str(report.pk), event_type=EventType.STATE_CHANGE)
    assert [e.detail.get("to") for e in events.order_by("pk")] == ["draft", "pending_signoff", "sent"]


def test_submit_refused_for_other_people_and_for_sent_items(world, cast):
    report = make_report(cast.informant)
    _refused(NotPermitted, lambda: report_submit(actor=cast.colleague, report=report), report)
    _refused(NotPermitted, lambda: report_submit(actor=cast.sibling_informant, report=report), report)
    _refused(NotPermitted, lambda: report_submit(actor=cast.county_editor, report=report), report)
    sent = make_sent_report(cast, title="城关镇召开冬季安全生产会议")
    error = _refused(ValidationFailed, lambda: report_submit(actor=cast.informant, report=sent), sent)
    assert "不能重复报送" in error.message


def test_double_submit_while_pending_is_one_request(cast):
    report = make_report(cast.informant)
    report_submit(actor=cast.informant, report=report)
    before = snapshot(report)
    report_submit(actor=cast.informant, report=report)  # double click without a key
    assert snapshot(report) == before


def test_submit_of_empty_text_is_refused_with_the_field(cast):
    report = make_report(cast.informant)
    report.body = "   "
    report.save()
    error = _refused(ValidationFailed, lambda: report_submit(actor=cast.informant, report=report), report)
    assert error.field == "body"


def test_signoff_refusals(world, cast):
    draft = make_report(cast.informant)
    _refused(ValidationFailed, lambda: report_signoff(actor=cast.signer, report=draft, approve=True), draft)
    pending = make_report(cast.informant, title="城关镇推进农村人居环境整治")
    report_submit(actor=cast.informant, report=pending)
    # Not the unit's signer (bob: same unit, another role; charlie: another county's editor).
    _refused(
        NotPermitted, lambda: report_signoff(actor=cast.colleague, report=pending, approve=True), pending
    )
    _refused(
        NotPermitted, lambda: report_signoff(actor=cast.other_editor, report=pending, approve=True), pending
    )
    error = _refused(
        ValidationFailed, lambda: report_signoff(actor=cast.signer, report=pending, approve=False), pending
    )
    assert error.field == "reason"
    # A signer does not sign what he wrote himself.
    own = make_report(make_user(world.township, Role.INFORMANT, Role.SIGNER), title="自己起草的信息")
    report_submit(actor=own.created_by, report=own)
    _refused(NotPermitted, lambda: report_signoff(actor=own.created_by, report=own, approve=True), own)
    sent = make_sent_report(cast, title="城关镇开展消防演练")
    error = _refused(
        ValidationFailed, lambda: report_signoff(actor=cast.signer, report=sent, approve=True), sent
    )
    assert "不在待审签" in error.message


def test_signoff_refusal_is_visible_to_target_office_editors(world, cast, django_capture_on_commit_callbacks):
    report = make_report(cast.informant)
    report_submit(actor=cast.informant, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        report_signoff(actor=cast.signer, report=report, approve=False, reason="数据需核实")
    report.refresh_from_db()
    assert report.state == ReportState.SIGNOFF_REFUSED
    for editor in (cast.county_editor, cast.county_gov_editor):
        assert report_list_visible_to(user=editor).filter(pk=report.pk).exists()
        refusals = list(signoff_refusals_for_office(user=editor))
        assert [(r.report_id, r.reason) for r in refusals] == [(report.pk, "数据需核实")]
        assert Notification.objects.filter(recipient=editor, kind="signoff_refused").exists()
    for outsider in (cast.county_leader, cast.city_editor, cast.other_editor, cast.sibling_informant):
        assert not signoff_refusals_for_office(user=outsider).exists()
    assert not report_list_visible_to(user=cast.other_editor).filter(pk=report.pk).exists()
    # The author revises and submits again: a second round of sign-off.
    assert can_edit_as_author(cast.informant, report)
    report_update(
        actor=cast.informant,
        report=report,
        title=report.title,
        body=report.body + "数据已核实。",
        base_version=report.version,
    )
    report_submit(actor=cast.informant, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.PENDING_SIGNOFF


# --- escalation ---------------------------------------------------------------------------------------------------


def test_escalation_counts_from_entering_signoff(world, cast, django_capture_on_commit_callbacks):
    report = make_report(cast.informant)
    with time_machine.travel(T0, tick=False):
        report_submit(actor=cast.informant, report=report)
    with time_machine.travel(T0 + timedelta(hours=20), tick=False):
        report.refresh_from_db()
        report.save()  # an unrelated save must not restart the wait
    with time_machine.travel(T0 + timedelta(hours=23), tick=False):
        error = _refused(
            ValidationFailed, lambda: report_escalate(actor=cast.informant, report=report), report
        )
        assert "24小时" in error.message
    with time_machine.travel(T0 + timedelta(hours=25), tick=False):
        _refused(NotPermitted, lambda: report_escalate(actor=cast.colleague, report=report), report)
        _refused(NotPermitted, lambda: report_escalate(actor=cast.sibling_informant, report=report), report)
        with django_capture_on_commit_callbacks(execute=True):
            escalation = report_escalate(actor=cast.informant, report=report, reason="审签人外出")
    assert escalation.waiting_since == T0
    assert escalation.waited_minutes == 25 * 60
    report.refresh_from_db()
    assert report.state == ReportState.SENT
    assert report.escalated_at == T0 + timedelta(hours=25)
    assert set(_subs(report)) == {world.county_party_office.pk, world.county_gov_office.pk}
    assert Notification.objects.filter(recipient=cast.county_editor, kind="report_escalated").exists()
    # The signer may still record his decision afterwards, once.
    signoff = report_signoff(actor=cast.signer, report=report, approve=True)
    assert signoff.after_send
    _refused(ValidationFailed, lambda: report_signoff(actor=cast.signer, report=report, approve=True), report)


def test_escalation_of_a_draft_or_sent_item_is_refused(cast):
    draft = make_report(cast.informant)
    _refused(ValidationFailed, lambda: report_escalate(actor=cast.informant, report=draft), draft)
    sent = make_sent_report(cast, title="城关镇完成秋粮收购")
    _refused(ValidationFailed, lambda: report_escalate(actor=cast.informant, report=sent), sent)
    assert not Escalation.objects.exists()


# --- emergency items -------------------------------------------------------------------------------------------


def test_emergency_item_is_sent_at_once_and_signed_afterwards(
    world, cast, django_capture_on_commit_callbacks
):
    report = make_report(cast.informant, title="城关镇发生一起道路交通事故", report_type=ReportType.EMERGENCY)
    report_submit(actor=cast.informant, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.SENT and report.signoff_after_send
    assert set(_subs(report)) == {world.county_party_office.pk, world.county_gov_office.pk}
    assert not report.signoffs.exists()
    with django_capture_on_commit_callbacks(execute=True):
        signoff = report_signoff(actor=cast.signer, report=report, approve=False, reason="伤亡数字待核实")
    report.refresh_from_db()
    assert signoff.after_send and signoff.decision == SignOffDecision.REFUSED
    assert report.state == ReportState.SENT  # already out: the record is what matters
    assert Notification.objects.filter(recipient=cast.county_editor, kind="signoff_refused").exists()
    assert [r.reason for r in signoff_refusals_for_office(user=cast.county_editor)] == ["伤亡数字待核实"]
    _refused(ValidationFailed, lambda: report_signoff(actor=cast.signer, report=report, approve=True), report)


# --- withdrawal ---------------------------------------------------------------------------------------------------


def test_withdraw_while_pending_and_before_review(world, cast):
    pending = make_report(cast.informant)
    report_submit(actor=cast.informant, report=pending)
    _refused(NotPermitted, lambda: report_withdraw(actor=cast.colleague, report=pending), pending)
    report_withdraw(actor=cast.informant, report=pending)
    pending.refresh_from_db()
    assert pending.state == ReportState.DRAFT and pending.pending_since is None

    sent = make_sent_report(cast, title="城关镇开展冬季征兵宣传")
    report_withdraw(actor=cast.informant, report=sent)
    sent.refresh_from_db()
    assert sent.state == ReportState.DRAFT and sent.submitted_at is None
    assert {s.state for s in sent.submissions.all()} == {SubmissionState.WITHDRAWN}
    # Sent again later: the same two submissions come back, none is added.
    report_submit(actor=cast.informant, report=sent)
    report_signoff(actor=cast.signer, report=sent, approve=True)
    assert {s.state for s in sent.submissions.all()} == {SubmissionState.SUBMITTED}
    assert sent.submissions.count() == 2


def test_withdraw_after_review_started_is_refused(cast):
    report = make_sent_report(cast)
    submission_take_up(actor=cast.county_editor, submission=_subs(report)[cast.county_editor.unit_id])
    error = _refused(ValidationFailed, lambda: report_withdraw(actor=cast.informant, report=report), report)
    assert "已开始审核" in error.message
    draft = make_report(cast.informant, title="草稿")
    _refused(ValidationFailed, lambda: report_withdraw(actor=cast.informant, report=draft), draft)


# --- resubmission after return ------------------------------------------------------------------------------------


def test_returned_item_is_revised_signed_again_and_only_the_returned_submission_reopens(world, cast):
    report = make_sent_report(cast)
    subs = _subs(report)
    party, gov = subs[world.county_party_office.pk], subs[world.county_gov_office.pk]
    submission_adopt(actor=cast.county_gov_editor, submission=gov)
    submission_return(actor=cast.county_editor, submission=party, comment="请补充整改成效")
    report.refresh_from_db()
    assert report.state == ReportState.SENT
    assert can_edit_as_author(cast.informant, report)
    assert not can_edit_as_author(cast.colleague, report)  # not an author
    # While it is with the author, the office that returned it does not edit it.
    _refused(
        NotPermitted,
        lambda: report_update(
            actor=cast.county_editor, report=report, title="改", body=report.body, base_version=report.version
        ),
        report,
    )

    report_update(
        actor=cast.informant,
        report=report,
        title=report.title,
        body=report.body + "目前已整改到位21处。",
        base_version=report.version,
        reason="按县委办意见补充成效",
    )
    report_submit(actor=cast.informant, report=report, key="round-2")
    report.refresh_from_db()
    assert report.state == ReportState.PENDING_SIGNOFF
    party.refresh_from_db()
    gov.refresh_from_db()
    assert (party.state, gov.state) == (SubmissionState.RETURNED, SubmissionState.ADOPTED)

    report_signoff(actor=cast.signer, report=report, approve=True)
    report.refresh_from_db()
    party.refresh_from_db()
    gov.refresh_from_db()
    assert report.state == ReportState.SENT
    assert party.state == SubmissionState.SUBMITTED
    assert gov.state == SubmissionState.ADOPTED  # decided offices are left alone
    assert report.submissions.count() == 2
    assert not can_edit_as_author(cast.informant, report)
    error = _refused(ValidationFailed, lambda: report_submit(actor=cast.informant, report=report), report)
    assert "不能重复报送" in error.message
    assert report.revisions.count() == 2  # nothing lost: the original and the revised text


def test_withdrawing_a_resubmission_puts_it_back_as_returned(world, cast):
    report = make_sent_report(cast)
    party = _subs(report)[world.county_party_office.pk]
    submission_return(actor=cast.county_editor, submission=party, comment="请补充数据")
    report_submit(actor=cast.informant, report=report)
    report_withdraw(actor=cast.informant, report=report)
    report.refresh_from_db()
    party.refresh_from_db()
    assert report.state == ReportState.SENT
    assert party.state == SubmissionState.RETURNED
    assert can_edit_as_author(cast.informant, report)


def test_author_edits_only_while_the_item_is_theirs(cast):
    report = make_report(cast.informant)
    report_submit(actor=cast.informant, report=report)
    report.refresh_from_db()
    _refused(
        NotPermitted,
        lambda: report_update(
            actor=cast.informant, report=report, title="新标题", body=report.body, base_version=report.version
        ),
        report,
    )


def test_returned_emergency_item_goes_straight_back_to_the_returning_office(world, cast):
    report = make_report(cast.informant, title="城关镇发生一起火情", report_type=ReportType.EMERGENCY)
    report_submit(actor=cast.informant, report=report)
    party = _subs(report)[world.county_party_office.pk]
    submission_return(actor=cast.county_editor, submission=party, comment="请补充过火面积")
    report.refresh_from_db()
    report_update(
        actor=cast.informant,
        report=report,
        title=report.title,
        body=report.body + "过火面积约30平方米。",
        base_version=report.version,
    )
    report_submit(actor=cast.informant, report=report)
    report.refresh_from_db()
    party.refresh_from_db()
    assert report.state == ReportState.SENT
    assert party.state == SubmissionState.SUBMITTED
    assert report.submissions.count() == 2
