"""After an outage every 续报 slot that fell due is owed and counted (one alert, not a flood), and a running incident
keeps the rule it was registered under when the office edits its rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from xinbao.emergencies.circular import _case
from xinbao.emergencies.clock import DEFAULT_RULES
from xinbao.emergencies.models import Deadline, DeadlineKind, Incident
from xinbao.emergencies.selectors import incident_rule
from xinbao.emergencies.services import (
    deadline_alert,
    deadline_escalate,
    deadline_rule_set,
    deadlines_sweep,
    incident_report_submit,
)
from xinbao.emergencies.tests.factories import BODY, make_cast, register
from xinbao.notifications.models import Notification


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def titles(user, kind: str) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))


def follow_ups(incident: Incident, **filters) -> list[Deadline]:
    return list(
        Deadline.objects.filter(incident=incident, kind=DeadlineKind.FOLLOW_UP, **filters).order_by("due_at")
    )


def fire_tasks(task: str) -> list[tuple[int, datetime]]:
    return sorted(
        (r.args_kwargs["kwargs"]["deadline_id"], r.run_after)
        for r in DBTaskResult.objects.filter(task_path=f"xinbao.emergencies.tasks.{task}")
    )


@pytest.fixture
def opened(world, django_capture_on_commit_callbacks):
    """A 重大 incident with its 首报 on the evening of 30 September: the first 续报 is due 1 October 08:00."""
    cast = make_cast(world)
    with time_machine.travel(at(9, 30, 19), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident = register(cast, world, grade="major", occurred_ago=30, learned_ago=20)
    with time_machine.travel(at(9, 30, 20), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)
    assert [d.due_at for d in follow_ups(incident)] == [at(10, 1, 8)]
    DBTaskResult.objects.all().delete()  # the worker (and the sweep) went down right after
    return cast, incident


def test_sweep_after_an_outage_owes_every_missed_slot_and_alerts_once(
    opened, django_capture_on_commit_callbacks
):
    cast, incident = opened
    # Back at 08:10 on 2 October: 1 Oct 08:00, 1 Oct 17:00 and 2 Oct 08:00 fell due while nobody was looking.
    back = at(10, 2, 8, 10)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=back) == {"alerted": 1, "escalated": 1}
    rows = follow_ups(incident)
    assert [d.due_at for d in rows] == [at(10, 1, 8), at(10, 1, 17), at(10, 2, 8), at(10, 2, 17)]
    assert [d.state for d in rows] == ["open"] * 4
    assert [d.alerted_at for d in rows] == [back, back, back, None]
    # Each backfilled slot's window opens at the slot before it (a 续报 made in it answers that slot).
    assert [d.opens_at for d in rows[1:3]] == [at(10, 1, 8), at(10, 1, 17)]
    # One 催报 naming all three, not three; the two slots past their grace go up in one notice.
    for person in (cast.informant, cast.signer, cast.alice):
        assert len(titles(person, "emergency_overdue")) == 1
    assert "连续3次未按时续报" in titles(cast.informant, "emergency_overdue")[0]
    assert [d.escalated_at for d in rows] == [back, back, None, None]
    [up] = titles(cast.city_duty, "emergency_escalated")
    assert "连续2次未按时续报" in up and "最早一次已逾期1450分钟" in up
    # The future slot has its timer; the slot still within its grace has its escalation timer.
    assert fire_tasks("deadline_fire") == [(rows[3].pk, at(10, 2, 17))]
    assert (rows[2].pk, at(10, 2, 8, 30)) in fire_tasks("deadline_escalate_task")

    # Safe to run again; the third slot goes up on its own at the end of its grace.
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=back + timedelta(minutes=1)) == {"alerted": 0, "escalated": 0}
        assert not deadline_alert(deadline_id=rows[1].pk, now=back + timedelta(minutes=1))
        assert not deadline_escalate(deadline_id=rows[1].pk, now=back + timedelta(minutes=1))
        assert deadlines_sweep(now=at(10, 2, 8, 30)) == {"alerted": 0, "escalated": 1}
    assert len(follow_ups(incident)) == 4
    assert len(titles(cast.informant, "emergency_overdue")) == 1
    assert len(titles(cast.city_duty, "emergency_escalated")) == 2

    # The monthly 通报 counts the three missed half-days.
    with time_machine.travel(at(10, 2, 8, 45), tick=False):
        assert _case(Incident.objects.get(pk=incident.pk)).follow_up_overdue == 3
    # The late 续报 answers each by its own minutes; 17:00 is owed next.
    with time_machine.travel(at(10, 2, 9), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(actor=cast.informant, incident=incident, kind="follow_up", body=BODY)
    assert [d.minutes_late for d in follow_ups(incident, state="late")] == [25 * 60, 16 * 60, 60]
    assert [d.due_at for d in follow_ups(incident, state="open")] == [at(10, 2, 17)]


@pytest.mark.parametrize(("kind", "still_open"), [("follow_up", [at(10, 2, 17)]), ("final", [])])
def test_a_report_made_before_the_sweep_caught_up_answers_every_missed_slot(
    opened, django_capture_on_commit_callbacks, kind, still_open
):
    """Worker and sweep both down: the unit's late 续报 (or its 终报) is the first thing to notice the slots."""
    cast, incident = opened
    with time_machine.travel(at(10, 2, 9), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(actor=cast.informant, incident=incident, kind=kind, body=BODY)
    late = follow_ups(incident, state="late")
    assert [d.due_at for d in late] == [at(10, 1, 8), at(10, 1, 17), at(10, 2, 8)]
    assert [d.minutes_late for d in late] == [25 * 60, 16 * 60, 60]
    assert all(d.alerted_at is None for d in late)  # nobody was chased, and the record says so
    assert [d.due_at for d in follow_ups(incident, state="open")] == still_open
    with time_machine.travel(at(10, 2, 9, 5), tick=False):
        assert _case(Incident.objects.get(pk=incident.pk)).follow_up_overdue == 3


def test_an_ordinary_incident_owes_no_follow_up_after_an_outage(world, django_capture_on_commit_callbacks):
    cast = make_cast(world)
    with time_machine.travel(at(9, 30, 19), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident = register(cast, world, grade="ordinary", occurred_ago=30, learned_ago=20)
        incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=at(10, 3, 9))
    with time_machine.travel(at(10, 3, 9), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(actor=cast.informant, incident=incident, kind="final", body=BODY)
    assert follow_ups(incident) == []


def test_a_running_incident_keeps_the_rule_it_was_registered_under(world, django_capture_on_commit_callbacks):
    cast = make_cast(world)
    office = world.county_party_office
    with time_machine.travel(at(9, 30, 19), tick=False), django_capture_on_commit_callbacks(execute=True):
        old = register(cast, world, grade="major", occurred_ago=30, learned_ago=20)
    assert old.rule["follow_up_times"] == "08:00,17:00" and old.rule["grace_minutes"] == 30
    # The office moves 重大 to one 续报 a day at 12:00 with a 5-minute grace while the incident runs.
    deadline_rule_set(
        actor=cast.editor,
        office=office,
        grade="major",
        phone_minutes=10,
        written_minutes=20,
        follow_up_times="12:00",
        grace_minutes=5,
    )
    with time_machine.travel(at(9, 30, 20), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(actor=cast.informant, incident=old, kind="first", body=BODY)
    [slot] = follow_ups(old)
    assert (slot.due_at, slot.grace_minutes) == (at(10, 1, 8), 30)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_alert(deadline_id=slot.pk, now=at(10, 1, 8))
        assert not deadline_escalate(deadline_id=slot.pk, now=at(10, 1, 8, 5))
        assert deadline_escalate(deadline_id=slot.pk, now=at(10, 1, 8, 30))
    assert [(d.due_at, d.grace_minutes) for d in follow_ups(old, state="open")][-1] == (at(10, 1, 17), 30)
    # Slots it catches up on after an outage follow its own rule too.
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=at(10, 2, 13))
    assert [d.due_at for d in follow_ups(old)] == [at(10, 1, 8), at(10, 1, 17), at(10, 2, 8), at(10, 2, 17)]

    # An incident registered after the change runs by the new rule.
    with time_machine.travel(at(10, 1, 9), tick=False), django_capture_on_commit_callbacks(execute=True):
        new = register(cast, world, grade="major", occurred_ago=30, learned_ago=20)
    with time_machine.travel(at(10, 1, 9, 10), tick=False), django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(actor=cast.informant, incident=new, kind="first", body=BODY)
    assert [(d.due_at, d.grace_minutes) for d in follow_ups(new)] == [(at(10, 1, 12), 5)]
    first = Deadline.objects.get(incident=new, kind=DeadlineKind.FIRST)
    assert first.due_at == new.learned_at + timedelta(minutes=20)


def test_an_incident_without_a_recorded_rule_reads_the_office_rule(world):
    """Rows registered before the rule was kept on the incident fall back to the office's current rule."""
    cast = make_cast(world)
    incident = register(cast, world, grade="large")
    Incident.objects.filter(pk=incident.pk).update(rule={})
    deadline_rule_set(
        actor=cast.editor,
        office=world.county_party_office,
        grade="large",
        phone_minutes=20,
        written_minutes=45,
        follow_up_times="09:00",
    )
    incident.refresh_from_db()
    assert incident_rule(incident).follow_up_times == (datetime(2026, 1, 1, 9).time(),)
    assert incident_rule(register(cast, world, grade="large")).written_minutes == 45


def test_the_migration_records_the_rule_in_force_on_incidents_registered_before_it(world):
    from django.apps import apps

    record_rules = import_module("xinbao.emergencies.migrations.0002_incident_rule").record_rules
    cast = make_cast(world)
    large, ordinary = register(cast, world, grade="large"), register(cast, world, grade="ordinary")
    deadline_rule_set(
        actor=cast.editor,
        office=world.county_party_office,
        grade="large",
        phone_minutes=20,
        written_minutes=45,
        follow_up_times="09:00",
        grace_minutes=10,
    )
    Incident.objects.update(rule={})
    record_rules(apps, None)
    large.refresh_from_db()
    ordinary.refresh_from_db()
    assert large.rule == {
        "phone_minutes": 20,
        "written_minutes": 45,
        "cap_minutes": 240,
        "follow_up_times": "09:00",
        "follow_up_min_gap_minutes": 60,
        "grace_minutes": 10,
    }
    assert incident_rule(ordinary) == DEFAULT_RULES["ordinary"]
    assert ordinary.rule and incident_rule(large).grace_minutes == 10
