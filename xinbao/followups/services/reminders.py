"""Reminders before and after a deadline, as tasks at the exact due time plus a sweep (house habit 6).

When: the "before" reminder at 09:00 on the working day before the due date (seed: 提前一个工作日提醒); the "after"
reminder at 00:00 after the due date, the moment the unit is late. Each task carries the due date it was made for and
the target row records the due date each reminder was sent for, so a task for a deadline that has since moved, a task
run twice, or a task and the sweep racing, send one reminder at most (the row is locked while deciding).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.common.calendar import is_workday
from xinbao.followups.models import (
    AssignmentTarget,
    CommissionState,
    CommissionTarget,
    TargetState,
)
from xinbao.followups.selectors import office_editors_of, unit_people
from xinbao.notifications.services import notify

BEFORE = "before"
AFTER = "after"
KINDS = (BEFORE, AFTER)
#: The hour of the "before" reminder on the working day before the deadline.
BEFORE_HOUR = 9
#: How far back from a due date the sweep looks for a "before" reminder still to send.
_SWEEP_HORIZON_DAYS = 40


def previous_workday(day: date) -> date:
    day -= timedelta(days=1)
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def reminder_moment(kind: str, due_on: date) -> datetime:
    tz = timezone.get_current_timezone()
    if kind == BEFORE:
        return datetime.combine(previous_workday(due_on), time(BEFORE_HOUR), tzinfo=tz)
    return datetime.combine(due_on + timedelta(days=1), time(0), tzinfo=tz)


def _enqueue(task: Any, *, target_id: int, due_on: date, now: datetime) -> None:
    """Queue both reminders after commit; a "before" moment already past is skipped (a one-day deadline gets no
    "due tomorrow" notice at the moment it is assigned). A backend that cannot defer leaves it to the sweep."""
    if not task.get_backend().supports_defer:
        return
    for kind in KINDS:
        moment = reminder_moment(kind, due_on)
        if kind == BEFORE and moment <= now:
            continue
        task.using(run_after=moment).enqueue(target_id=target_id, kind=kind, due_on=due_on.isoformat())


def schedule_assignment_reminders(target: AssignmentTarget) -> None:
    from xinbao.followups.tasks import assignment_target_remind

    target_id, due_on, now = target.pk, target.due_on, timezone.now()
    transaction.on_commit(
        lambda: _enqueue(assignment_target_remind, target_id=target_id, due_on=due_on, now=now)
    )


def schedule_commission_reminders(target: CommissionTarget) -> None:
    from xinbao.followups.tasks import commission_target_remind

    target_id, due_on, now = target.pk, target.commission.deadline, timezone.now()
    transaction.on_commit(
        lambda: _enqueue(commission_target_remind, target_id=target_id, due_on=due_on, now=now)
    )


def _due(kind: str, due_on: date, now: datetime) -> bool:
    """The reminder's moment has come; a "before" reminder whose deadline has already passed is no longer wanted
    (the "after" one says more)."""
    if kind not in KINDS or reminder_moment(kind, due_on) > now:
        return False
    return kind == AFTER or now < reminder_moment(AFTER, due_on)


@transaction.atomic
def assignment_target_send_reminder(
    *, target_id: int, kind: str, due_on: str, now: datetime | None = None
) -> bool:
    """Send one reminder if it is still wanted; True when sent."""
    now = now or timezone.now()
    target = (
        AssignmentTarget.objects.select_for_update()
        .select_related("assignment", "unit", "assignment__instruction")
        .filter(pk=target_id)
        .first()
    )
    if target is None or target.due_on.isoformat() != due_on or not _due(kind, target.due_on, now):
        return False
    # Only a unit that still owes an answer is reminded; a feedback awaiting the office's decision is enough.
    if target.state not in (TargetState.OPEN, TargetState.MORE_REQUESTED):
        return False
    field = "reminded_before_for" if kind == BEFORE else "reminded_after_for"
    if getattr(target, field) == target.due_on:
        return False
    setattr(target, field, target.due_on)
    target.save(update_fields=[field, "updated_at"])
    url = reverse("followups:target", args=[target.pk])
    leader = target.assignment.instruction.leader_name
    due_text = target.due_on.strftime("%Y-%m-%d")
    if kind == BEFORE:
        notify(
            recipients=unit_people(target.unit_id),
            kind="assignment_due_soon",
            title=_("交办事项即将到期：%(leader)s批示，请于%(due)s前反馈")
            % {"leader": leader, "due": due_text},
            url=url,
        )
    else:
        notify(
            recipients=unit_people(target.unit_id),
            kind="assignment_overdue",
            title=_("交办事项已超期：%(leader)s批示，反馈期限%(due)s") % {"leader": leader, "due": due_text},
            url=url,
        )
        notify(
            recipients=office_editors_of(target.assignment.office_id),
            kind="assignment_overdue",
            title=_("%(unit)s未按期反馈：%(leader)s批示（期限%(due)s）")
            % {"unit": target.unit.name, "leader": leader, "due": due_text},
            url=url,
        )
    return True


@transaction.atomic
def commission_target_send_reminder(
    *, target_id: int, kind: str, due_on: str, now: datetime | None = None
) -> bool:
    now = now or timezone.now()
    target = (
        CommissionTarget.objects.select_for_update()
        .select_related("commission", "unit")
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        return False
    commission = target.commission
    deadline = commission.deadline
    if deadline.isoformat() != due_on or not _due(kind, deadline, now):
        return False
    if commission.state != CommissionState.PUBLISHED or target.answered_at is not None:
        return False
    field = "reminded_before_for" if kind == BEFORE else "reminded_after_for"
    if getattr(target, field) == deadline:
        return False
    setattr(target, field, deadline)
    target.save(update_fields=[field, "updated_at"])
    url = reverse("followups:commission", args=[commission.pk])
    values = {"title": commission.title, "due": deadline.strftime("%Y-%m-%d")}
    if kind == BEFORE:
        title = _("约稿即将截止：%(title)s，请于%(due)s前报送") % values
    else:
        title = _("约稿已过截止日期未报送：%(title)s（截止%(due)s）") % values
    notify(recipients=unit_people(target.unit_id), kind="commission_" + kind, title=title, url=url)
    return True


def _not_sent(field: str, due: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | ~Q(**{field: F(due)})


def followups_sweep(*, now: datetime | None = None) -> int:
    """Send every reminder whose moment has passed and that no task sent (a lost queue row, a restart, a backend
    without deferral). Run periodically (``manage.py followups_sweep``); returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    sent = 0
    horizon = today + timedelta(days=_SWEEP_HORIZON_DAYS)
    owing = AssignmentTarget.objects.filter(state__in=[TargetState.OPEN, TargetState.MORE_REQUESTED])
    for kind, field in ((BEFORE, "reminded_before_for"), (AFTER, "reminded_after_for")):
        candidates = owing.filter(_not_sent(field, "due_on"), due_on__lte=horizon)
        for pk, due_on in candidates.values_list("pk", "due_on").order_by("pk"):
            if _due(kind, due_on, now):
                sent += assignment_target_send_reminder(
                    target_id=pk, kind=kind, due_on=due_on.isoformat(), now=now
                )
    waiting = CommissionTarget.objects.filter(
        commission__state=CommissionState.PUBLISHED, answered_at__isnull=True
    )
    for kind, field in ((BEFORE, "reminded_before_for"), (AFTER, "reminded_after_for")):
        unanswered = waiting.filter(
            _not_sent(field, "commission__deadline"), commission__deadline__lte=horizon
        )
        for pk, due_on in unanswered.values_list("pk", "commission__deadline").order_by("pk"):
            if _due(kind, due_on, now):
                sent += commission_target_send_reminder(
                    target_id=pk, kind=kind, due_on=due_on.isoformat(), now=now
                )
    return sent
