"""交办 and 落实反馈 (PRODUCT 3.3, 件件有回音).

assign → (each unit) open → answered (a 落实反馈 item linked) → closed (office accepts) or more_requested
(补充反馈: a new deadline in working days) → answered → ... Deadlines are working days after the day of assignment
(``xinbao.common.calendar.add_workdays``: China's holidays and 调休). A target is "closed on time" when the feedback
the office accepted was sent on or before the *first* deadline: a 补充 deadline does not make a late answer timely.

Locks: the target row first, then its feedback rows (one fixed order); every transition is audited in its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.calendar import add_workdays
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.followups.models import (
    Assignment,
    AssignmentTarget,
    Feedback,
    FeedbackDecision,
    Instruction,
    TargetState,
)
from xinbao.followups.selectors import assignable_units, is_office_editor, office_editors_of, unit_people
from xinbao.followups.services.reminders import schedule_assignment_reminders
from xinbao.notifications.services import notify
from xinbao.reports.models import Report, ReportState, ReportType, Visibility
from xinbao.reports.services import report_create, report_submit
from xinbao.reports.services.authoring import reach_add

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit

WORKDAYS_MAX = 60
REQUIREMENT_MAX = 1000


def _audit(actor: User, obj: object, before: str, after: str, **detail: object) -> None:
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=obj,
        detail={"from": before, "to": after, **detail},
    )


def _check_workdays(workdays: object, field: str = "workdays") -> int:
    if isinstance(workdays, bool) or not isinstance(workdays, int):
        raise ValidationFailed(_("反馈时限须为整数个工作日"), field=field)
    if not 1 <= workdays <= WORKDAYS_MAX:
        raise ValidationFailed(_("反馈时限须在1至60个工作日之间"), field=field)
    return workdays


@transaction.atomic
def assignment_create(
    *,
    actor: User,
    instruction: Instruction,
    units: Iterable[Unit],
    workdays: int,
    requirement: str = "",
) -> Assignment:
    """交办 an instruction to one or more units of the office's region, due ``workdays`` working days after today."""
    if not is_office_editor(actor, instruction.office_id):
        raise NotPermitted(_("只有登记批示的单位的编辑可以交办"))
    # Two editors assigning the same instruction at once: the second waits here and then sees the first's targets.
    instruction = Instruction.objects.select_for_update().get(pk=instruction.pk)
    workdays = _check_workdays(workdays)
    requirement = (requirement or "").strip()
    if len(requirement) > REQUIREMENT_MAX:
        raise ValidationFailed(_("交办要求不能超过1000个字"), field="requirement")
    chosen = list({u.pk: u for u in units}.values())
    if not chosen:
        raise ValidationFailed(_("请选择至少一个承办单位"), field="units")
    allowed = set(
        assignable_units(instruction.office)
        .filter(pk__in=[u.pk for u in chosen])
        .values_list("pk", flat=True)
    )
    for unit in chosen:
        if unit.pk not in allowed:
            raise ValidationFailed(
                _("%(unit)s不是本地区的下级单位，不能交办") % {"unit": unit.name}, field="units"
            )
    already = set(
        AssignmentTarget.objects.filter(
            assignment__instruction=instruction,
            unit__in=chosen,
            state__in=[TargetState.OPEN, TargetState.ANSWERED, TargetState.MORE_REQUESTED],
        ).values_list("unit__name", flat=True)
    )
    if already:
        raise ValidationFailed(
            _("%(units)s已有这条批示的未办结交办") % {"units": "、".join(sorted(already))}, field="units"
        )
    today = timezone.localdate()
    due = add_workdays(today, workdays)
    assignment = Assignment.objects.create(
        instruction=instruction,
        office_id=instruction.office_id,
        requirement=requirement,
        assigned_on=today,
        workdays=workdays,
        created_by=actor,
    )
    for unit in chosen:
        target = AssignmentTarget.objects.create(
            assignment=assignment, unit=unit, due_on=due, first_due_on=due
        )
        _audit(actor, target, "", TargetState.OPEN, due_on=due.isoformat(), unit=unit.pk)
        schedule_assignment_reminders(target)
        notify(
            recipients=unit_people(unit.pk),
            kind="assignment_new",
            title=_("新交办事项：%(leader)s批示，请于%(due)s前反馈")
            % {"leader": instruction.leader_name, "due": due.strftime("%Y-%m-%d")},
            url=reverse("followups:target", args=[target.pk]),
        )
    return assignment


def _lock_target(target: AssignmentTarget) -> AssignmentTarget:
    return (
        AssignmentTarget.objects.select_for_update()
        .select_related("assignment", "assignment__instruction", "unit")
        .get(pk=target.pk)
    )


def _check_can_answer(actor: User, target: AssignmentTarget) -> None:
    if actor.unit_id != target.unit_id or not actor.has_role(Role.INFORMANT, Role.EDITOR):
        raise NotPermitted(_("只有承办单位的信息员可以报送落实反馈"))
    if target.state == TargetState.CLOSED:
        raise ValidationFailed(_("该交办事项已办结，不能再报送反馈"))
    if target.state == TargetState.ANSWERED:
        raise ValidationFailed(_("已报送的反馈正在等待交办单位审核，请等待审核结果"))


def _link(actor: User, target: AssignmentTarget, report: Report) -> Feedback:
    before = target.state
    feedback = Feedback.objects.create(target=target, report=report, created_by=actor)
    target.state = TargetState.ANSWERED
    target.save(update_fields=["state", "updated_at"])
    # The assigning office reads the feedback item even when it is not on the unit's main channel.
    reach_add(report, [target.assignment.office])
    _audit(actor, target, before, target.state, feedback=feedback.pk, report=report.pk)
    notify(
        recipients=office_editors_of(target.assignment.office_id),
        kind="feedback_received",
        title=_("%(unit)s报送落实反馈：%(title)s") % {"unit": target.unit.name, "title": report.title},
        url=reverse("followups:target", args=[target.pk]),
    )
    return feedback


@transaction.atomic
def feedback_submit(*, actor: User, target: AssignmentTarget, title: str, body: str) -> Feedback:
    """The unit answers with a new 落实反馈 item (written and sent through the reporting services, so it goes
    through the unit's sign-off like any item). The target counts as answered from now; the office decides once
    the item has been signed off and sent."""
    target = _lock_target(target)
    _check_can_answer(actor, target)
    report = report_create(
        actor=actor, title=title, body=body, report_type=ReportType.FEEDBACK, visibility=Visibility.NORMAL
    )
    report = report_submit(actor=actor, report=report)
    return _link(actor, target, report)


@transaction.atomic
def feedback_link(*, actor: User, target: AssignmentTarget, report: Report) -> Feedback:
    """Link a 落实反馈 item the unit already wrote and sent (or sent for sign-off)."""
    target = _lock_target(target)
    _check_can_answer(actor, target)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.unit_id != target.unit_id or report.report_type != ReportType.FEEDBACK:
        raise ValidationFailed(_("只能关联本单位的“落实反馈”类信息"), field="report")
    if report.state not in (ReportState.PENDING_SIGNOFF, ReportState.SENT):
        raise ValidationFailed(_("请先提交这条落实反馈信息再关联"), field="report")
    if Feedback.objects.filter(report=report).exists():
        raise ValidationFailed(_("这条信息已作为反馈关联过"), field="report")
    return _link(actor, target, report)


def _pending_feedback(target: AssignmentTarget, feedback: Feedback) -> Feedback:
    feedback = Feedback.objects.select_for_update().select_related("report").get(pk=feedback.pk)
    if feedback.target_id != target.pk:
        raise ValidationFailed(_("反馈不属于该交办事项"))
    if feedback.decision != FeedbackDecision.PENDING or target.state != TargetState.ANSWERED:
        raise ValidationFailed(_("这条反馈已审核，不能重复处理"))
    if feedback.report.state != ReportState.SENT:
        raise ValidationFailed(_("这条反馈尚在承办单位审签，报送后才能审核"))
    return feedback


@transaction.atomic
def feedback_accept(*, actor: User, feedback: Feedback, comment: str = "") -> AssignmentTarget:
    """The office accepts the feedback: the unit's share is closed (办结)."""
    target = _lock_target(feedback.target)
    if not is_office_editor(actor, target.assignment.office_id):
        raise NotPermitted(_("只有交办单位的编辑可以审核反馈"))
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationFailed(_("审核意见不能超过500个字"), field="comment")
    feedback = _pending_feedback(target, feedback)
    now = timezone.now()
    feedback.decision, feedback.decided_by, feedback.decided_at = FeedbackDecision.ACCEPTED, actor, now
    feedback.comment = comment
    feedback.save()
    sent_on = timezone.localtime(feedback.report.submitted_at or feedback.created_at).date()
    before = target.state
    target.state = TargetState.CLOSED
    target.closed_at = now
    target.closed_on_time = sent_on <= target.first_due_on
    target.save(update_fields=["state", "closed_at", "closed_on_time", "updated_at"])
    _audit(actor, target, before, target.state, feedback=feedback.pk, on_time=target.closed_on_time)
    notify(
        recipients=unit_people(target.unit_id),
        kind="feedback_accepted",
        title=_("落实反馈已认可，交办事项办结：%(title)s") % {"title": feedback.report.title},
        body=comment,
        url=reverse("followups:target", args=[target.pk]),
    )
    return target


@transaction.atomic
def feedback_request_more(
    *, actor: User, feedback: Feedback, comment: str, workdays: int = 3
) -> AssignmentTarget:
    """补充反馈: the office asks for more, with its reason and a new deadline ``workdays`` working days from today."""
    target = _lock_target(feedback.target)
    if not is_office_editor(actor, target.assignment.office_id):
        raise NotPermitted(_("只有交办单位的编辑可以审核反馈"))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(_("要求补充反馈时必须说明需要补充的内容"), field="comment")
    if len(comment) > 500:
        raise ValidationFailed(_("审核意见不能超过500个字"), field="comment")
    workdays = _check_workdays(workdays)
    feedback = _pending_feedback(target, feedback)
    feedback.decision, feedback.decided_by, feedback.decided_at = (
        FeedbackDecision.MORE_REQUESTED,
        actor,
        timezone.now(),
    )
    feedback.comment = comment
    feedback.save()
    before = target.state
    target.state = TargetState.MORE_REQUESTED
    target.due_on = add_workdays(timezone.localdate(), workdays)
    target.save(update_fields=["state", "due_on", "updated_at"])
    _audit(actor, target, before, target.state, feedback=feedback.pk, due_on=target.due_on.isoformat())
    schedule_assignment_reminders(target)
    notify(
        recipients=unit_people(target.unit_id),
        kind="feedback_more",
        title=_("请补充落实反馈，新期限%(due)s") % {"due": target.due_on.strftime("%Y-%m-%d")},
        body=comment,
        url=reverse("followups:target", args=[target.pk]),
    )
    return target
