"""Clock rules (PRODUCT 3.4) with frozen time: every grade, learned-at vs occurred-at, the 4-hour cap, and 续报
slots at 08:00/17:00 across midnight and holidays."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from xinbao.common.calendar import holiday_name
from xinbao.emergencies import clock
from xinbao.emergencies.models import Deadline, DeadlineKind, DeadlineState, IncidentStatus
from xinbao.emergencies.services import deadline_rule_set, incident_report_submit
from xinbao.emergencies.tests.factories import BODY, make_cast, register

TZ = ZoneInfo("Asia/Shanghai")


def at(day: str, hm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=TZ)


D = "2026-11-20"  # a Friday, a working day


@pytest.mark.parametrize(
    ("grade", "phone", "written"),
    [
        ("extraordinary", "10:20", "10:35"),
        ("major", "10:20", "10:35"),
        ("large", "10:35", "11:05"),
        ("ordinary", None, "14:00"),  # 4 h from learning (14:05) is capped by 4 h from occurring (14:00)
    ],
)
def test_each_grade_counts_from_learned_at(grade, phone, written):
    rule = clock.DEFAULT_RULES[grade]
    occurred, learned = at(D, "10:00"), at(D, "10:05")
    assert clock.written_due(rule, occurred_at=occurred, learned_at=learned) == at(D, written)
    due = clock.phone_due(rule, occurred_at=occurred, learned_at=learned)
    assert due == (at(D, phone) if phone else None)


def test_ordinary_learned_at_once_gets_the_full_four_hours():
    rule = clock.DEFAULT_RULES["ordinary"]
    assert clock.written_due(rule, occurred_at=at(D, "10:00"), learned_at=at(D, "10:00")) == at(D, "14:00")


def test_four_hour_cap_from_occurred_at_wins_over_the_grade_limit():
    rule = clock.DEFAULT_RULES["large"]
    occurred, learned = at(D, "10:00"), at(D, "13:30")
    assert clock.written_due(rule, occurred_at=occurred, learned_at=learned) == at(D, "14:00")  # not 14:30
    assert clock.phone_due(rule, occurred_at=occurred, learned_at=learned) == at(D, "14:00")  # = 13:30 + 30


def test_learned_after_the_cap_is_due_at_once_never_before_learning():
    rule = clock.DEFAULT_RULES["major"]
    occurred, learned = at(D, "10:00"), at(D, "15:00")
    assert clock.written_due(rule, occurred_at=occurred, learned_at=learned) == learned
    assert clock.phone_due(rule, occurred_at=occurred, learned_at=learned) == learned


def test_ordinary_grade_owes_no_follow_up():
    assert clock.first_follow_up(clock.DEFAULT_RULES["ordinary"], at(D, "10:00")) is None


@pytest.mark.parametrize(
    ("first_at", "due"),
    [
        (at(D, "10:20"), at(D, "17:00")),
        (at(D, "07:30"), at(D, "17:00")),  # 08:00 is within the minimum gap of an hour
        (at(D, "06:50"), at(D, "08:00")),
        (at(D, "16:30"), at("2026-11-21", "08:00")),  # across midnight
        (at(D, "23:50"), at("2026-11-21", "08:00")),
    ],
)
def test_first_follow_up_slot(first_at, due):
    assert clock.first_follow_up(clock.DEFAULT_RULES["large"], first_at) == (first_at, due)


def test_follow_up_slots_keep_running_through_a_holiday(db):
    # 2026-10-01..03 is 国庆节: the duty room does not close, 08:00 and 17:00 stay due every day.
    rule = clock.DEFAULT_RULES["major"]
    assert holiday_name(at("2026-10-01", "08:00").date()) == "国庆节"
    window = clock.first_follow_up(rule, at("2026-09-30", "20:00"))
    assert window == (at("2026-09-30", "20:00"), at("2026-10-01", "08:00"))
    slots = []
    due = window[1]
    for _ in range(5):
        _opens, due = clock.following_follow_up(rule, due, due - timedelta(minutes=5))
        slots.append(due)
    assert slots == [
        at("2026-10-01", "17:00"),
        at("2026-10-02", "08:00"),
        at("2026-10-02", "17:00"),
        at("2026-10-03", "08:00"),
        at("2026-10-03", "17:00"),
    ]


def test_late_follow_up_leads_to_the_next_future_slot_not_a_past_one():
    rule = clock.DEFAULT_RULES["large"]
    opens, due = clock.following_follow_up(rule, at(D, "17:00"), at(D, "19:00"))
    assert (opens, due) == (at(D, "19:00"), at("2026-11-21", "08:00"))


def test_parse_times_accepts_chinese_comma_and_sorts():
    assert clock.parse_times("17:00，08:00") == clock.TWICE_A_DAY
    with pytest.raises(ValueError):
        clock.parse_times("8点")


# --- The same rules through the services, with the database and frozen time ---------------------------------------


def _deadlines(incident):
    return {
        d.kind: d for d in Deadline.objects.filter(incident=incident).exclude(kind=DeadlineKind.FOLLOW_UP)
    }


@pytest.mark.parametrize("grade", ["extraordinary", "major", "large", "ordinary"])
def test_registering_starts_the_grade_clocks(world, grade):
    cast = make_cast(world)
    with time_machine.travel(at(D, "10:10"), tick=False):
        incident = register(cast, world, grade=grade, by_phone=False, occurred_ago=10, learned_ago=5)
    rows = _deadlines(incident)
    rule = clock.DEFAULT_RULES[grade]
    assert rows[DeadlineKind.FIRST].due_at == at(D, "10:05") + timedelta(minutes=rule.written_minutes) or (
        grade == "ordinary" and rows[DeadlineKind.FIRST].due_at == at(D, "14:00")
    )
    assert (DeadlineKind.PHONE in rows) == (rule.phone_minutes is not None)


def test_first_report_late_by_the_clock_with_minutes(world):
    cast = make_cast(world)
    with time_machine.travel(at(D, "10:10"), tick=False):
        incident = register(cast, world, grade="large", occurred_ago=10, learned_ago=10)  # learned 10:00
    with time_machine.travel(at(D, "11:25"), tick=False):  # written due 11:00
        incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)
    first = _deadlines(incident)[DeadlineKind.FIRST]
    assert first.state == DeadlineState.LATE
    assert first.minutes_late == 25
    phone = _deadlines(incident)[DeadlineKind.PHONE]
    assert phone.state == DeadlineState.MET  # the call at 10:10 was within 30 minutes
    assert phone.minutes_late == 0


def test_follow_ups_across_midnight_and_a_holiday_until_final(world):
    cast = make_cast(world)
    with time_machine.travel(at("2026-09-30", "19:40"), tick=False):
        incident = register(cast, world, grade="major", occurred_ago=30, learned_ago=20)
    with time_machine.travel(at("2026-09-30", "20:00"), tick=False):
        first = incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)
    assert first.kind == "first"
    follow = Deadline.objects.get(incident=incident, kind=DeadlineKind.FOLLOW_UP, state=DeadlineState.OPEN)
    assert follow.due_at == at("2026-10-01", "08:00")  # across midnight, on 国庆节
    with time_machine.travel(at("2026-10-01", "07:40"), tick=False):
        one = incident_report_submit(
            actor=cast.informant, incident=incident, kind="follow_up", body=BODY + "续一"
        )
    assert (one.number, one.report.title) == (1, "【续报一】城关镇南街居民楼火灾")
    follow.refresh_from_db()
    assert follow.state == DeadlineState.MET
    nxt = Deadline.objects.get(incident=incident, kind=DeadlineKind.FOLLOW_UP, state=DeadlineState.OPEN)
    assert nxt.due_at == at("2026-10-01", "17:00")
    # A second 续报 in the same half-day does not cover the next slot.
    with time_machine.travel(at("2026-10-01", "07:45"), tick=False):
        two = incident_report_submit(
            actor=cast.informant, incident=incident, kind="follow_up", body=BODY + "续二"
        )
    assert two.number == 2
    nxt.refresh_from_db()
    assert nxt.state == DeadlineState.OPEN
    with time_machine.travel(at("2026-10-01", "18:30"), tick=False):  # 90 minutes late
        incident_report_submit(actor=cast.informant, incident=incident, kind="follow_up", body=BODY + "续三")
    nxt.refresh_from_db()
    assert (nxt.state, nxt.minutes_late) == (DeadlineState.LATE, 90)
    later = Deadline.objects.get(incident=incident, kind=DeadlineKind.FOLLOW_UP, state=DeadlineState.OPEN)
    assert later.due_at == at("2026-10-02", "08:00")
    with time_machine.travel(at("2026-10-02", "07:00"), tick=False):
        incident_report_submit(actor=cast.informant, incident=incident, kind="final", body=BODY + "终报")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    later.refresh_from_db()
    assert later.state == DeadlineState.MET
    assert not Deadline.objects.filter(incident=incident, state=DeadlineState.OPEN).exists()


def test_office_rule_overrides_the_default(world):
    cast = make_cast(world)
    deadline_rule_set(
        actor=cast.editor,
        office=world.county_party_office,
        grade="ordinary",
        phone_minutes=60,
        written_minutes=120,
        follow_up_times="09:00",
    )
    with time_machine.travel(at(D, "10:10"), tick=False):
        incident = register(cast, world, grade="ordinary", by_phone=False, occurred_ago=10, learned_ago=10)
    rows = _deadlines(incident)
    assert rows[DeadlineKind.PHONE].due_at == at(D, "11:00")
    assert rows[DeadlineKind.FIRST].due_at == at(D, "12:00")
    with time_machine.travel(at(D, "10:30"), tick=False):
        incident_report_submit(actor=cast.informant, incident=incident, kind="first", body=BODY)
    follow = Deadline.objects.get(incident=incident, kind=DeadlineKind.FOLLOW_UP)
    assert follow.due_at == at("2026-11-21", "09:00")
