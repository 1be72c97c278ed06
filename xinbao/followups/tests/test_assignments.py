"""交办 → 反馈 → 办结: working-day deadlines across 国庆 and 春节, reminders at the due moment, transitions."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from xinbao.audit.models import AuditEvent
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.followups.models import AssignmentTarget, FeedbackDecision, TargetState
from xinbao.followups.services import (
    assignment_create,
    feedback_accept,
    feedback_link,
    feedback_request_more,
    feedback_submit,
    followups_sweep,
)
from xinbao.followups.tasks import assignment_target_remind
from xinbao.followups.tests.conftest import at
from xinbao.followups.tests.factories import record, snapshot
from xinbao.notifications.models import Notification
from xinbao.reports.models import ReportState, ReportType
from xinbao.reports.services import report_signoff
from xinbao.reports.tests.factories import make_report, make_sent_report

FEEDBACK_BODY = "接到批示后，城关镇立即组织专班逐户核实，已完成整改23处，建立长效巡查机制，群众反映良好。"


def _assign(people, instruction, units, workdays=5, **kwargs):
    return assignment_create(
        actor=people.alice, instruction=instruction, units=units, workdays=workdays, **kwargs
    )


def _answer(people, target, signed=True):
    feedback = feedback_submit(
        actor=people.informant, target=target, title="城关镇落实县委批示情况", body=FEEDBACK_BODY
    )
    if signed:
        report_signoff(actor=people.signer, report=feedback.report, approve=True)
    return feedback


# --- Deadlines in working days -----------------------------------------------------------------------------------


def test_deadline_across_national_day(world, people, instruction, django_capture_on_commit_callbacks):
    # Tue 29 Sep 2026 + 5 working days: 30 Sep, 8 Oct, 9 Oct, Sat 10 Oct (调休), 12 Oct.
    assignment = _assign(people, instruction, [world.township])
    target = assignment.targets.get()
    assert assignment.assigned_on == date(2026, 9, 29)
    assert target.due_on == date(2026, 10, 12)
    assert target.first_due_on == date(2026, 10, 12)


@pytest.mark.parametrize(
    ("today", "workdays", "due"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Saturday 14 Feb is a 调休 workday
        (date(2026, 2, 13), 2, date(2026, 2, 24)),  # 15–23 Feb 春节 off
        (date(2026, 2, 13), 5, date(2026, 2, 27)),
        (date(2026, 2, 13), 6, date(2026, 2, 28)),  # Saturday 28 Feb is a 调休 workday
        (date(2026, 2, 13), 7, date(2026, 3, 2)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # assigned on the 调休 Saturday itself
    ],
)
def test_deadline_across_spring_festival(world, people, today, workdays, due):
    with time_machine.travel(at(today.year, today.month, today.day, 10, 0), tick=False):
        report = make_sent_report(people.cast)
        instruction = record(people, report, instructed_on=today)
        target = _assign(people, instruction, [world.township], workdays=workdays).targets.get()
    assert target.due_on == due


# --- Reminders -------------------------------------------------------------------------------------------------------


def test_reminders_scheduled_at_exact_due_moments(
    world, people, instruction, dummy_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        target = _assign(people, instruction, [world.township]).targets.get()
    scheduled = sorted(
        (r.task.run_after, r.kwargs["kind"], r.kwargs["due_on"], r.kwargs["target_id"])
        for r in dummy_tasks.results
        if r.task.name == "assignment_target_remind"
    )
    assert scheduled == [
        # 09:00 on the working day before the deadline: the 调休 Saturday 10 October.
        (at(2026, 10, 10, 9, 0), "before", "2026-10-12", target.pk),
        # The moment the deadline has passed: 00:00 after 12 October.
        (at(2026, 10, 13, 0, 0), "after", "2026-10-12", target.pk),
    ]


def test_nothing_is_queued_when_the_assignment_is_refused(
    world, people, instruction, dummy_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        _assign(people, instruction, [world.other_township])
    assert dummy_tasks.results == []


def _reminders(target, kind):
    return Notification.objects.filter(kind=kind, url__endswith=f"/targets/{target.pk}/").count()


def test_reminder_task_fires_once_and_not_early(
    world, people, instruction, django_capture_on_commit_callbacks
):
    target = _assign(people, instruction, [world.township]).targets.get()
    kwargs = {"target_id": target.pk, "kind": "after", "due_on": "2026-10-12"}
    with time_machine.travel(at(2026, 10, 12, 23, 59), tick=False):
        assert assignment_target_remind.call(**kwargs) is False  # not yet due
    with time_machine.travel(at(2026, 10, 13, 0, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert assignment_target_remind.call(**kwargs) is True
        with django_capture_on_commit_callbacks(execute=True):
            assert assignment_target_remind.call(**kwargs) is False  # run twice: one reminder
    target.refresh_from_db()
    assert target.reminded_after_for == date(2026, 10, 12)
    # 城关镇's two informants, its signer and its leader, and the office's editor: once each.
    assert _reminders(target, "assignment_overdue") == 5


def test_before_reminder_and_closed_target_is_not_reminded(
    world, people, instruction, django_capture_on_commit_callbacks
):
    assignment = _assign(people, instruction, [world.township, world.township2])
    town, town2 = assignment.targets.order_by("unit__path")
    with time_machine.travel(at(2026, 10, 8, 9, 0), tick=False):
        feedback = _answer(people, town)
        feedback_accept(actor=people.alice, feedback=feedback)
    with (
        time_machine.travel(at(2026, 10, 10, 9, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for t in (town, town2):
            assignment_target_remind.call(target_id=t.pk, kind="before", due_on="2026-10-12")
    assert _reminders(town, "assignment_due_soon") == 0
    assert _reminders(town2, "assignment_due_soon") >= 1


def test_stale_task_after_deadline_moved_does_nothing(world, people, instruction):
    target = _assign(people, instruction, [world.township]).targets.get()
    with time_machine.travel(at(2026, 10, 9, 10, 0), tick=False):
        feedback = _answer(people, target)
        feedback_request_more(actor=people.alice, feedback=feedback, comment="请补充整改台账", workdays=3)
    target.refresh_from_db()
    assert target.due_on == date(2026, 10, 13)  # Fri 9 Oct + 3: Sat 10 (调休), Mon 12, Tue 13
    with time_machine.travel(at(2026, 10, 13, 0, 0), tick=False):
        assert assignment_target_remind.call(target_id=target.pk, kind="after", due_on="2026-10-12") is False


def test_sweep_sends_missed_reminders_once(world, people, instruction, django_capture_on_commit_callbacks):
    target = _assign(people, instruction, [world.township]).targets.get()
    with time_machine.travel(at(2026, 10, 10, 9, 30), tick=False):
        assert followups_sweep() == 1  # the "before" reminder
        assert followups_sweep() == 0
    with time_machine.travel(at(2026, 10, 13, 8, 0), tick=False):
        assert followups_sweep() == 1  # the "after" reminder
        assert followups_sweep() == 0
    target.refresh_from_db()
    assert (target.reminded_before_for, target.reminded_after_for) == (date(2026, 10, 12), date(2026, 10, 12))


def test_sweep_skips_a_before_reminder_whose_deadline_passed(world, people, instruction):
    target = _assign(people, instruction, [world.township]).targets.get()
    with time_machine.travel(at(2026, 10, 14, 8, 0), tick=False):
        assert followups_sweep() == 1
    target.refresh_from_db()
    assert target.reminded_before_for is None
    assert target.reminded_after_for == date(2026, 10, 12)


# --- Feedback and closure -----------------------------------------------------------------------------------------


def test_feedback_accept_closes_on_time(world, people, instruction):
    target = _assign(people, instruction, [world.township]).targets.get()
    events = AuditEvent.objects.count()
    feedback = _answer(people, target, signed=False)
    assert feedback.report.report_type == ReportType.FEEDBACK
    assert feedback.report.state == ReportState.PENDING_SIGNOFF
    target.refresh_from_db()
    assert target.state == TargetState.ANSWERED
    with pytest.raises(ValidationFailed, match="审签"):
        feedback_accept(actor=people.alice, feedback=feedback)
    report_signoff(actor=people.signer, report=feedback.report, approve=True)
    target = feedback_accept(actor=people.alice, feedback=feedback, comment="落实到位")
    assert target.state == TargetState.CLOSED
    assert target.closed_on_time is True
    feedback.refresh_from_db()
    assert feedback.decision == FeedbackDecision.ACCEPTED
    audited = AuditEvent.objects.filter(object_type="followups.assignmenttarget", object_id=str(target.pk))
    assert {(e.detail.get("from"), e.detail.get("to")) for e in audited} >= {
        ("open", "answered"),
        ("answered", "closed"),
    }
    assert AuditEvent.objects.count() > events


def test_more_requested_then_closed_late(world, people, instruction):
    target = _assign(people, instruction, [world.township]).targets.get()
    with time_machine.travel(at(2026, 10, 9, 10, 0), tick=False):
        first = _answer(people, target)
        with pytest.raises(ValidationFailed, match="补充"):
            feedback_request_more(actor=people.alice, feedback=first, comment="  ")
        target = feedback_request_more(
            actor=people.alice, feedback=first, comment="请补充整改台账", workdays=3
        )
    assert target.state == TargetState.MORE_REQUESTED
    with time_machine.travel(at(2026, 10, 14, 16, 0), tick=False):
        second = _answer(people, target)
        target = feedback_accept(actor=people.alice, feedback=second)
    assert target.state == TargetState.CLOSED
    # The 补充 came after the first deadline (12 October): closed, but not on time.
    assert target.closed_on_time is False


def test_link_existing_feedback_item(world, people, instruction):
    target = _assign(people, instruction, [world.township]).targets.get()
    dynamic = make_sent_report(people.cast)
    with pytest.raises(ValidationFailed, match="落实反馈"):
        feedback_link(actor=people.informant, target=target, report=dynamic)
    item = make_report(people.informant, title="城关镇落实批示情况", report_type=ReportType.FEEDBACK)
    with pytest.raises(ValidationFailed, match="提交"):
        feedback_link(actor=people.informant, target=target, report=item)
    from xinbao.reports.services import report_submit

    report_submit(actor=people.informant, report=item)
    feedback = feedback_link(actor=people.informant, target=target, report=item)
    assert feedback.target_id == target.pk


# --- Illegal transitions and refusals change nothing ------------------------------------------------------------


def test_illegal_transitions_are_refused(world, people, instruction):
    target = _assign(people, instruction, [world.township]).targets.get()
    feedback = _answer(people, target)
    before = snapshot()
    with pytest.raises(ValidationFailed, match="等待"):
        _answer(people, target, signed=False)  # already answered, awaiting the office
    assert snapshot() == before
    feedback_accept(actor=people.alice, feedback=feedback)
    before = snapshot()
    for call in (
        lambda: feedback_accept(actor=people.alice, feedback=feedback),
        lambda: feedback_request_more(actor=people.alice, feedback=feedback, comment="再补充"),
        lambda: _answer(people, AssignmentTarget.objects.get(pk=target.pk), signed=False),
    ):
        with pytest.raises(ValidationFailed):
            call()
        assert snapshot() == before


def test_same_unit_cannot_be_assigned_twice_while_open(world, people, instruction):
    _assign(people, instruction, [world.township])
    before = snapshot()
    with pytest.raises(ValidationFailed, match="未办结"):
        _assign(people, instruction, [world.township, world.township2])
    assert snapshot() == before


@pytest.mark.parametrize(
    ("workdays", "units_key", "message"),
    [
        (0, "town", "1至60"),
        (61, "town", "1至60"),
        ("5", "town", "整数"),
        (5, "none", "至少一个"),
        (5, "other", "不是本地区"),
        (5, "office", "不是本地区"),
    ],
)
def test_assignment_bad_input(world, people, instruction, workdays, units_key, message):
    units = {
        "town": [world.township],
        "none": [],
        "other": [world.other_township],
        "office": [world.county_gov_office],
    }[units_key]
    before = snapshot()
    with pytest.raises(ValidationFailed, match=message):
        _assign(people, instruction, units, workdays=workdays)
    assert snapshot() == before


def test_requirement_too_long(world, people, instruction):
    before = snapshot()
    with pytest.raises(ValidationFailed, match="1000"):
        _assign(people, instruction, [world.township], requirement="要" * 1001)
    assert snapshot() == before


# --- Write permission matrix ---------------------------------------------------------------------------------------


def test_who_may_assign(world, people, instruction):
    before = snapshot()
    for who in (people.bob, people.charlie, people.informant, people.unit_leader):
        with pytest.raises(NotPermitted):
            assignment_create(actor=who, instruction=instruction, units=[world.township], workdays=5)
        assert snapshot() == before
    assert _assign(people, instruction, [world.township]).targets.count() == 1


def test_who_may_answer_and_decide(world, people, instruction):
    target = _assign(people, instruction, [world.township]).targets.get()
    before = snapshot()
    for who in (people.alice, people.bob, people.charlie, people.unit_leader, people.signer, people.sibling):
        with pytest.raises(NotPermitted):
            feedback_submit(actor=who, target=target, title="落实情况", body=FEEDBACK_BODY)
        assert snapshot() == before
    feedback = _answer(people, target)
    before = snapshot()
    for who in (people.bob, people.charlie, people.informant, people.unit_leader):
        with pytest.raises(NotPermitted):
            feedback_accept(actor=who, feedback=feedback)
        with pytest.raises(NotPermitted):
            feedback_request_more(actor=who, feedback=feedback, comment="补充")
        assert snapshot() == before


def test_figures_per_unit_and_per_office(world, people, instruction):
    """Open, overdue, closed on time and late (PRODUCT 3.3), per assigned unit and per assigning office; a feedback
    awaiting the office's decision is open but not overdue; each viewer counts only what he may see."""
    from xinbao.followups.figures import followup_figures

    assignment = _assign(people, instruction, [world.township, world.township2, world.county_dept])
    targets = {t.unit_id: t for t in assignment.targets.all()}
    with time_machine.travel(at(2026, 10, 9, 10, 0), tick=False):
        feedback_accept(actor=people.alice, feedback=_answer(people, targets[world.township.pk]))
    with time_machine.travel(at(2026, 10, 14, 10, 0), tick=False):
        feedback_submit(
            actor=people.sibling,
            target=targets[world.township2.pk],
            title="白沙镇落实情况",
            body=FEEDBACK_BODY,
        )
        by_unit = {
            f.unit_name: (f.total, f.open, f.overdue, f.closed_on_time, f.closed_late)
            for f in followup_figures(user=people.alice, by="unit")
        }
        by_office = [
            (f.unit_name, f.total, f.open, f.overdue, f.closed_on_time, f.closed_late)
            for f in followup_figures(user=people.alice, by="office")
        ]
        own = [(f.unit_name, f.open) for f in followup_figures(user=people.informant, by="unit")]
        stranger = followup_figures(user=people.charlie, by="unit")
    assert by_unit == {
        world.township.name: (1, 0, 0, 1, 0),
        world.township2.name: (1, 1, 0, 0, 0),
        world.county_dept.name: (1, 1, 1, 0, 0),
    }
    assert by_office == [(world.county_party_office.name, 3, 2, 1, 1, 0)]
    assert own == [(world.township.name, 0)]
    assert stranger == []
