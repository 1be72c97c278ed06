"""Deadlines as timers (PRODUCT 3.4, house habit 6).

Every due time is a ``Deadline`` row and a task scheduled with ``run_after`` for that minute, enqueued after commit.
Both live in the database (the django_tasks_db queue), so a restart of the web server or the worker loses nothing:
the next worker picks up the task when it is due. ``deadlines_sweep`` (a management command run every minute and a
task) catches anything missed — a task lost with a restored backup, a queue backend switched by hand.

Alerts are idempotent: the row is claimed with a conditional UPDATE (``alerted_at IS NULL``) before anyone is
notified, so a task and the sweep running at once, or a task run twice, alert once.

Every clock of an incident runs by the rule recorded on it at registration (``incident_rule``), not by the office's
rule of the day: a rule edited while an incident is open changes neither its 续报 times nor its grace period.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.calendar import holiday_name
from xinbao.emergencies import clock
from xinbao.emergencies.models import Deadline, DeadlineKind, DeadlineState, Incident
from xinbao.emergencies.selectors import (
    duty_officers,
    escalation_offices,
    incident_rule,
    office_receivers,
    unit_reporters,
)
from xinbao.notifications.services import notify

logger = logging.getLogger(__name__)


def enqueue_at(task: Any, when: datetime, **kwargs: Any) -> None:
    """Enqueue ``task`` to run at ``when`` once the surrounding transaction commits. A backend that cannot defer
    (the immediate backend some tests use) gets nothing: running an alert early would be wrong, and the sweep
    alerts at the due time anyway."""

    def _enqueue() -> None:
        if task.get_backend().supports_defer:
            task.using(run_after=when).enqueue(**kwargs)

    transaction.on_commit(_enqueue)


def deadline_schedule(deadline: Deadline) -> None:
    """Enqueue the alert task for the due minute, once the row is committed."""
    from xinbao.emergencies.tasks import deadline_fire

    enqueue_at(deadline_fire, deadline.due_at, deadline_id=deadline.pk)


def deadline_create(
    *, incident: Incident, kind: str, opens_at: datetime, due_at: datetime, grace_minutes: int
) -> Deadline:
    deadline, created = Deadline.objects.get_or_create(
        incident=incident,
        kind=kind,
        due_at=due_at,
        defaults={"opens_at": opens_at, "grace_minutes": grace_minutes},
    )
    if created:
        deadline_schedule(deadline)
    return deadline


def deadlines_start(incident: Incident) -> list[Deadline]:
    """The first clocks of a newly registered incident: phone (if the grade has one) and written 首报."""
    rule = incident_rule(incident)
    out = []
    due = clock.phone_due(rule, occurred_at=incident.occurred_at, learned_at=incident.learned_at)
    if due is not None:
        out.append(
            deadline_create(
                incident=incident,
                kind=DeadlineKind.PHONE,
                opens_at=incident.learned_at,
                due_at=due,
                grace_minutes=rule.grace_minutes,
            )
        )
    due = clock.written_due(rule, occurred_at=incident.occurred_at, learned_at=incident.learned_at)
    out.append(
        deadline_create(
            incident=incident,
            kind=DeadlineKind.FIRST,
            opens_at=incident.learned_at,
            due_at=due,
            grace_minutes=rule.grace_minutes,
        )
    )
    return out


def _close(deadline: Deadline, at: datetime) -> None:
    deadline.met_at = at
    deadline.state = DeadlineState.MET if at <= deadline.due_at else DeadlineState.LATE
    deadline.save(update_fields=["met_at", "state", "updated_at"])


def deadline_meet(*, incident: Incident, kind: str, at: datetime) -> Deadline | None:
    """Mark the earliest open deadline of ``kind`` whose window had opened by ``at`` as met (on time or late).

    A 续报 made after one or more 续报 slots have passed unanswered answers all of them, each late by its own
    minutes (the unit is not asked for one late 续报 per missed half-day); it does not also cover a slot still to
    come. Returns the last deadline it closed."""
    if kind == DeadlineKind.FOLLOW_UP:
        follow_up_catch_up(incident=incident, at=at)
        overdue = list(
            Deadline.objects.select_for_update()
            .filter(incident=incident, kind=kind, state=DeadlineState.OPEN, opens_at__lt=at, due_at__lt=at)
            .order_by("due_at")
        )
        for missed in overdue:
            _close(missed, at)
        if overdue:
            return overdue[-1]
    deadline = (
        Deadline.objects.select_for_update()
        .filter(incident=incident, kind=kind, state=DeadlineState.OPEN, opens_at__lt=at)
        .order_by("due_at")
        .first()
    )
    if deadline is None and kind != DeadlineKind.FOLLOW_UP:
        # A phone report or 首报 at the very minute of learning still counts.
        deadline = (
            Deadline.objects.select_for_update()
            .filter(incident=incident, kind=kind, state=DeadlineState.OPEN, opens_at__lte=at)
            .order_by("due_at")
            .first()
        )
    if deadline is not None:
        _close(deadline, at)
    return deadline


def follow_up_next(
    *, incident: Incident, after_due: datetime | None, first_report_at: datetime | None
) -> None:
    """Schedule the next 续报 for grades that need them (较大 and above by default), until the 终报."""
    rule = incident_rule(incident)
    if first_report_at is not None:
        window = clock.first_follow_up(rule, first_report_at)
    else:
        assert after_due is not None
        window = clock.following_follow_up(rule, after_due, timezone.now())
    if window is None:
        return
    if Deadline.objects.filter(
        incident=incident, kind=DeadlineKind.FOLLOW_UP, state=DeadlineState.OPEN
    ).exists():
        return
    deadline_create(
        incident=incident,
        kind=DeadlineKind.FOLLOW_UP,
        opens_at=window[0],
        due_at=window[1],
        grace_minutes=rule.grace_minutes,
    )


def _follow_up_backfill(incident: Incident, after_due: datetime, until: datetime) -> list[Deadline]:
    """Rows for the 续报 slots after ``after_due`` that fell due by ``until`` without one — the worker and the sweep
    were down, so no alert created them. Each is a deadline of its own (open, overdue, its window opening at the
    slot before it), so the monthly 通报 counts every missed half-day and a late 续报 answers each by its own
    minutes, exactly as if the chase had run. Returns the rows it created."""
    rule = incident_rule(incident)
    made = []
    opens = after_due
    for slot in clock.slots_between(rule, after_due, until):
        deadline, created = Deadline.objects.get_or_create(
            incident=incident,
            kind=DeadlineKind.FOLLOW_UP,
            due_at=slot,
            defaults={"opens_at": opens, "grace_minutes": rule.grace_minutes},
        )
        if created:
            made.append(deadline)
        opens = slot
    return made


def follow_up_catch_up(*, incident: Incident, at: datetime) -> list[Deadline]:
    """Before a 续报 or 终报 made at ``at`` is matched to slots: the slots since the last one on the books that fell
    due while nobody was chasing get their rows, so the report answers each of them late."""
    if not incident.is_open:
        return []
    last = (
        Deadline.objects.filter(incident=incident, kind=DeadlineKind.FOLLOW_UP)
        .exclude(state=DeadlineState.CANCELLED)
        .order_by("-due_at")
        .first()
    )
    if last is None:  # no 首报 yet, or a grade without 续报
        return []
    return _follow_up_backfill(incident, last.due_at, at)


def _follow_up_chase(incident: Incident, missed: Deadline, now: datetime) -> list[Deadline]:
    """A 续报 slot passed with no 续报: the next slot is owed all the same (PRODUCT 3.4 "until 终报"), so it gets its
    own deadline and timer now instead of waiting for the late 续报 — a unit that stops reporting is chased at
    every 08:00 and 17:00, not once.

    After an outage the alert comes late, and every slot between ``missed`` and now is owed too: those get their
    rows (``_follow_up_backfill``), and they and any other overdue slot never alerted (its timer lost) are marked
    as covered by this one alert. One 催报 naming how many slots were missed tells the unit and the duty room
    everything; one per slot would put a dozen identical notices in the same inboxes in the same minute for one
    silence, and bury the rest of the night's alerts. Returns the other slots the alert covers, oldest first."""
    rule = incident_rule(incident)
    _follow_up_backfill(incident, missed.due_at, now)
    covered = list(
        Deadline.objects.filter(
            incident=incident,
            kind=DeadlineKind.FOLLOW_UP,
            state=DeadlineState.OPEN,
            alerted_at__isnull=True,
            due_at__lte=now,
        )
        .exclude(pk=missed.pk)
        .order_by("due_at")
    )
    if covered:
        Deadline.objects.filter(pk__in=[d.pk for d in covered]).update(alerted_at=now, updated_at=now)
        from xinbao.emergencies.tasks import deadline_escalate_task

        for d in covered:
            if d.escalate_at > now:  # the ones already past grace go up with ``missed`` (deadline_escalate)
                enqueue_at(deadline_escalate_task, d.escalate_at, deadline_id=d.pk)
    last_due = max([missed.due_at, *(d.due_at for d in covered)])
    window = clock.following_follow_up(rule, last_due, now)
    if window is not None:
        deadline_create(
            incident=incident,
            kind=DeadlineKind.FOLLOW_UP,
            opens_at=window[0],
            due_at=window[1],
            grace_minutes=rule.grace_minutes,
        )
    return covered


def deadlines_cancel_open(incident: Incident) -> int:
    """The 终报 closes the incident; no further 续报 is owed."""
    return Deadline.objects.filter(
        incident=incident, state=DeadlineState.OPEN, kind=DeadlineKind.FOLLOW_UP
    ).update(state=DeadlineState.CANCELLED, updated_at=timezone.now())


def _due_text(deadline: Deadline) -> str:
    local = timezone.localtime(deadline.due_at)
    text = local.strftime("%m-%d %H:%M")
    name = holiday_name(local.date())
    return f"{text}（{name}）" if name else text


def deadline_alert(*, deadline_id: int, now: datetime | None = None) -> bool:
    """At a due time with no report: tell the unit's informants and signers and the office's duty room, then
    schedule the escalation for the end of the grace period. Returns True when this call sent the alert."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Deadline.objects.filter(
            pk=deadline_id, state=DeadlineState.OPEN, alerted_at__isnull=True, due_at__lte=now
        ).update(alerted_at=now, updated_at=now)
        if not claimed:
            return False
        deadline = Deadline.objects.select_related("incident", "incident__unit", "incident__office").get(
            pk=deadline_id
        )
        incident = deadline.incident
        url = reverse("emergencies:detail", args=[incident.pk])
        covered: list[Deadline] = []
        if deadline.kind == DeadlineKind.FOLLOW_UP and incident.is_open:
            covered = _follow_up_chase(incident, deadline, now)
        if covered:
            slots = sorted([deadline, *covered], key=lambda d: d.due_at)
            title = _("【催报】%(unit)s“%(incident)s”已连续%(count)d次未按时续报（%(first)s至%(last)s）") % {
                "unit": incident.unit.display_name,
                "incident": incident.title,
                "count": len(slots),
                "first": _due_text(slots[0]),
                "last": _due_text(slots[-1]),
            }
        else:
            title = _("【催报】%(unit)s“%(incident)s”%(kind)s已到时限（%(due)s）") % {
                "unit": incident.unit.display_name,
                "incident": incident.title,
                "kind": deadline.get_kind_display(),
                "due": _due_text(deadline),
            }
        notify(recipients=unit_reporters(incident.unit_id), kind="emergency_overdue", title=title, url=url)
        notify(recipients=duty_officers([incident.office_id]), kind="emergency_overdue", title=title, url=url)
        audit_record(
            event_type=EventType.STATE_CHANGE,
            obj=incident,
            detail={
                "deadline": deadline.pk,
                "kind": deadline.kind,
                "alert": "overdue",
                "covers": [d.pk for d in covered],
            },
        )
        from xinbao.emergencies.tasks import deadline_escalate_task

        escalate_at = deadline.due_at + timedelta(minutes=deadline.grace_minutes)
        enqueue_at(deadline_escalate_task, escalate_at, deadline_id=deadline_id)
    logger.info("emergency deadline %s alerted", deadline_id)
    return True


def deadline_escalate(*, deadline_id: int, now: datetime | None = None) -> bool:
    """Still unmet after the grace period: tell the next office up (its duty room, else its editors)."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Deadline.objects.filter(
            pk=deadline_id, state=DeadlineState.OPEN, alerted_at__isnull=False, escalated_at__isnull=True
        )
        candidate = claimed.select_related("incident").first()
        if candidate is None or candidate.due_at + timedelta(minutes=candidate.grace_minutes) > now:
            return False
        if not claimed.update(escalated_at=now, updated_at=now):
            return False
        incident = candidate.incident
        minutes = int((now - candidate.due_at).total_seconds() // 60)
        # Other 续报 slots of the incident past their grace and not yet taken up (a catch-up after an outage)
        # go up in this one notice, for the reason the catch-up alerts once (see _follow_up_chase).
        siblings = 0
        if candidate.kind == DeadlineKind.FOLLOW_UP:
            ready = [
                d
                for d in Deadline.objects.filter(
                    incident=incident,
                    kind=DeadlineKind.FOLLOW_UP,
                    state=DeadlineState.OPEN,
                    alerted_at__isnull=False,
                    escalated_at__isnull=True,
                ).exclude(pk=candidate.pk)
                if d.escalate_at <= now
            ]
            siblings = Deadline.objects.filter(
                pk__in=[d.pk for d in ready], escalated_at__isnull=True
            ).update(escalated_at=now, updated_at=now)
            if siblings:
                earliest = min([candidate.due_at, *(d.due_at for d in ready)])
                minutes = int((now - earliest).total_seconds() // 60)
        if siblings:
            title = _(
                "【逾期上报】%(unit)s“%(incident)s”已连续%(count)d次未按时续报，最早一次已逾期%(minutes)d分钟"
            ) % {
                "unit": incident.unit.display_name,
                "incident": incident.title,
                "count": siblings + 1,
                "minutes": minutes,
            }
        else:
            title = _("【逾期上报】%(unit)s“%(incident)s”%(kind)s已逾期%(minutes)d分钟未报") % {
                "unit": incident.unit.display_name,
                "incident": incident.title,
                "kind": candidate.get_kind_display(),
                "minutes": minutes,
            }
        url = reverse("emergencies:detail", args=[incident.pk])
        for office in escalation_offices(incident.office):
            people = duty_officers([office.pk])
            if not people.exists():
                people = office_receivers([office.pk])
            notify(recipients=people, kind="emergency_escalated", title=title, url=url)
        notify(
            recipients=duty_officers([incident.office_id]), kind="emergency_escalated", title=title, url=url
        )
        audit_record(
            event_type=EventType.STATE_CHANGE,
            obj=incident,
            detail={
                "deadline": candidate.pk,
                "kind": candidate.kind,
                "alert": "escalated",
                "minutes": minutes,
                "with_slots": siblings,
            },
        )
    return True


def deadlines_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Alert and escalate whatever is due and not yet done (the safety net behind the scheduled tasks)."""
    now = now or timezone.now()
    alerted = escalated = 0
    due = Deadline.objects.filter(state=DeadlineState.OPEN, alerted_at__isnull=True, due_at__lte=now)
    for pk in list(due.values_list("pk", flat=True)[:1000]):
        alerted += deadline_alert(deadline_id=pk, now=now)
    pending = Deadline.objects.filter(
        state=DeadlineState.OPEN, alerted_at__isnull=False, escalated_at__isnull=True, due_at__lte=now
    ).only("pk", "due_at", "grace_minutes")
    for d in list(pending[:1000]):
        if d.due_at + timedelta(minutes=d.grace_minutes) <= now:
            escalated += deadline_escalate(deadline_id=d.pk, now=now)
    return {"alerted": alerted, "escalated": escalated}
