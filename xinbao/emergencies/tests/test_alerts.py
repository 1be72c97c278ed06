"""Alerts at the due time, escalation after the grace period, idempotency, the sweep, and the scheduled tasks."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from xinbao.emergencies.models import Deadline, DeadlineKind
from xinbao.emergencies.services import (
    deadline_alert,
    deadline_escalate,
    deadline_rule_set,
    deadlines_sweep,
    incident_report_submit,
)
from xinbao.emergencies.tests.factories import BODY, make_cast, register
from xinbao.notifications.models import Notification


def notices(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    cast = make_cast(world)
    with django_capture_on_commit_callbacks(execute=True):
        incident = register(cast, world, grade="large", occurred_ago=5, learned_ago=5)
    first = Deadline.objects.get(incident=incident, kind=DeadlineKind.FIRST)
    return cast, incident, first


def test_each_deadline_is_a_task_scheduled_for_its_due_minute(scene):
    _, _incident, first = scene
    rows = {r.args_kwargs["kwargs"]["deadline_id"]: r for r in DBTaskResult.objects.all()}
    assert first.pk in rows
    assert rows[first.pk].run_after == first.due_at
    assert rows[first.pk].task_path == "xinbao.emergencies.tasks.deadline_fire"


def test_alert_at_due_time_goes_to_unit_and_duty_room_once(scene, django_capture_on_commit_callbacks):
    cast, _incident, first = scene
    assert not deadline_alert(deadline_id=first.pk, now=first.due_at - timedelta(seconds=1))  # not yet due
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_alert(deadline_id=first.pk, now=first.due_at)
        assert not deadline_alert(deadline_id=first.pk, now=first.due_at + timedelta(seconds=5))  # idempotent
    for person in (cast.informant, cast.signer, cast.alice):
        assert notices(person, "emergency_overdue") == 1
    assert notices(cast.bob, "emergency_overdue") == 0  # a leader is not the duty room
    assert notices(cast.city_duty, "emergency_overdue") == 0
    escalations = DBTaskResult.objects.filter(task_path="xinbao.emergencies.tasks.deadline_escalate_task")
    assert [r.run_after for r in escalations] == [first.due_at + timedelta(minutes=30)]


def test_escalation_only_after_the_grace_period_and_only_while_unmet(
    scene, django_capture_on_commit_callbacks
):
    cast, _incident, first = scene
    with django_capture_on_commit_callbacks(execute=True):
        deadline_alert(deadline_id=first.pk, now=first.due_at)
        assert not deadline_escalate(deadline_id=first.pk, now=first.due_at + timedelta(minutes=29))
        assert notices(cast.city_duty, "emergency_escalated") == 0
        assert deadline_escalate(deadline_id=first.pk, now=first.due_at + timedelta(minutes=30))
        assert not deadline_escalate(deadline_id=first.pk, now=first.due_at + timedelta(minutes=31))
    assert notices(cast.city_duty, "emergency_escalated") == 1  # the next office up
    assert notices(cast.alice, "emergency_escalated") == 1  # and the own duty room knows it went up
    assert notices(cast.charlie, "emergency_escalated") == 0


def test_met_deadline_is_neither_alerted_nor_escalated(scene, django_capture_on_commit_callbacks):
    cast, incident, first = scene
    with django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)
        assert not deadline_alert(deadline_id=first.pk, now=first.due_at + timedelta(minutes=1))
        assert not deadline_escalate(deadline_id=first.pk, now=first.due_at + timedelta(hours=2))
    assert notices(cast.informant, "emergency_overdue") == 0


def test_grace_period_is_configurable(world, django_capture_on_commit_callbacks):
    cast = make_cast(world)
    deadline_rule_set(
        actor=cast.editor,
        office=world.county_party_office,
        grade="ordinary",
        phone_minutes=None,
        written_minutes=60,
        grace_minutes=5,
    )
    with django_capture_on_commit_callbacks(execute=True):
        incident = register(cast, world, grade="ordinary", occurred_ago=1, learned_ago=1)
    first = Deadline.objects.get(incident=incident, kind=DeadlineKind.FIRST)
    with django_capture_on_commit_callbacks(execute=True):
        deadline_alert(deadline_id=first.pk, now=first.due_at)
        assert deadline_escalate(deadline_id=first.pk, now=first.due_at + timedelta(minutes=5))
    assert notices(cast.city_duty, "emergency_escalated") == 1


def test_sweep_catches_missed_tasks_and_is_safe_twice(scene, django_capture_on_commit_callbacks):
    cast, _incident, first = scene
    DBTaskResult.objects.all().delete()  # as if the queue had been lost
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=first.due_at - timedelta(minutes=1)) == {"alerted": 0, "escalated": 0}
        assert deadlines_sweep(now=first.due_at + timedelta(minutes=1)) == {"alerted": 1, "escalated": 0}
        assert deadlines_sweep(now=first.due_at + timedelta(minutes=2)) == {"alerted": 0, "escalated": 0}
        assert deadlines_sweep(now=first.due_at + timedelta(minutes=31)) == {"alerted": 0, "escalated": 1}
        assert deadlines_sweep(now=first.due_at + timedelta(minutes=32)) == {"alerted": 0, "escalated": 0}
    assert notices(cast.informant, "emergency_overdue") == 1
    assert notices(cast.city_duty, "emergency_escalated") == 1


def test_sweep_command(scene, django_capture_on_commit_callbacks, capsys):
    cast, _incident, first = scene
    with time_machine.travel(first.due_at + timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("emergencies_sweep")
    assert "alerted=1" in capsys.readouterr().out
    assert notices(cast.alice, "emergency_overdue") == 1


def test_tasks_run_through_the_immediate_backend_without_alerting_early(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from xinbao.emergencies.tasks import deadline_fire

    cast = make_cast(world)
    incident = register(cast, world, grade="large", occurred_ago=5, learned_ago=5)
    first = Deadline.objects.get(incident=incident, kind=DeadlineKind.FIRST)
    assert deadline_fire.enqueue(deadline_id=first.pk).return_value is False  # not due yet
    Deadline.objects.filter(pk=first.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    assert deadline_fire.enqueue(deadline_id=first.pk).return_value is True


def test_follow_ups_are_chased_at_every_slot_until_one_late_follow_up_answers_them(
    world, django_capture_on_commit_callbacks
):
    """A unit that stops sending 续报 is chased at every 08:00 and 17:00 (across midnight and 国庆节), not once;
    its late 续报 then answers every missed slot, each late by its own minutes, and the chase goes on."""
    cast = make_cast(world)
    tz = timezone.get_current_timezone()

    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 9 if day == 30 else 10, day, hour, tzinfo=tz)

    with time_machine.travel(at(30, 19), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident = register(cast, world, grade="major", occurred_ago=30, learned_ago=20)
    with time_machine.travel(at(30, 20), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)

    def open_follow_ups() -> list[datetime]:
        return list(
            Deadline.objects.filter(incident=incident, kind=DeadlineKind.FOLLOW_UP, state="open")
            .order_by("due_at")
            .values_list("due_at", flat=True)
        )

    assert open_follow_ups() == [at(1, 8)]
    # Nobody reports: each slot's alert schedules the next slot, with its own timer.
    for due, following in ((at(1, 8), at(1, 17)), (at(1, 17), at(2, 8))):
        missed = Deadline.objects.get(incident=incident, kind=DeadlineKind.FOLLOW_UP, due_at=due)
        with django_capture_on_commit_callbacks(execute=True):
            assert deadline_alert(deadline_id=missed.pk, now=due)
        assert open_follow_ups()[-1] == following
        nxt = Deadline.objects.get(incident=incident, kind=DeadlineKind.FOLLOW_UP, due_at=following)
        task = DBTaskResult.objects.get(
            task_path="xinbao.emergencies.tasks.deadline_fire", args_kwargs__kwargs__deadline_id=nxt.pk
        )
        assert task.run_after == following
    assert notices(cast.informant, "emergency_overdue") == 2
    # The same alert run twice schedules nothing more.
    assert not deadline_alert(deadline_id=missed.pk, now=at(1, 17) + timedelta(minutes=1))
    assert open_follow_ups() == [at(1, 8), at(1, 17), at(2, 8)]

    # 续报 at 2 October 09:00: the three missed slots are met late by their own minutes; 17:00 is owed next.
    with time_machine.travel(at(2, 9), tick=False), django_capture_on_commit_callbacks(execute=True):
        one = incident_report_submit(actor=cast.informant, incident=incident, kind="follow_up", body=BODY)
    assert one.number == 1
    late = Deadline.objects.filter(incident=incident, kind=DeadlineKind.FOLLOW_UP, state="late")
    assert sorted(d.minutes_late for d in late) == [60, 16 * 60, 25 * 60]
    assert open_follow_ups() == [at(2, 17)]

    # The 终报 ends the chase: the open slot is cancelled and its alert does nothing.
    with time_machine.travel(at(2, 10), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(actor=cast.informant, incident=incident, kind="final", body=BODY)
    assert open_follow_ups() == []
    last = Deadline.objects.get(incident=incident, kind=DeadlineKind.FOLLOW_UP, due_at=at(2, 17))
    assert not deadline_alert(deadline_id=last.pk, now=at(2, 17))
