"""Coverage over the 2026 National Day holiday, the stricter holiday rule, gaps across midnight, the 30-day window
and the to-do. The calendar (chinese-calendar 2026): 中秋节 25–27 September (days off), 国庆节 1–7 October (days off),
10 October a 调休 Saturday (working day)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from xinbao.common.todos import todos_for
from xinbao.duty.coverage import coverage_gaps
from xinbao.duty.models import DutyPolicy, DutyRole, RosterEntry
from xinbao.duty.selectors import on_duty_at
from xinbao.duty.tests.factories import at, fill, make_cast

pytestmark = pytest.mark.django_db

SEP20 = date(2026, 9, 20)


@pytest.fixture
def cast(world):
    return make_cast(world)


@time_machine.travel("2026-09-20 09:30 +0800", tick=False)
def test_full_roster_with_two_staff_has_no_gaps_over_national_day(cast):
    fill(cast.office, SEP20, 31, staff=2)
    assert coverage_gaps(office=cast.office) == []


@time_machine.travel("2026-09-20 09:30 +0800", tick=False)
def test_one_staff_is_enough_on_ordinary_days_but_not_on_national_day(cast):
    fill(cast.office, SEP20 - timedelta(days=1), 32, staff=1)
    gaps = coverage_gaps(office=cast.office)
    # One merged gap of 值班员 from 1 October 00:00 to 8 October 00:00 (the strict rule goes by calendar day).
    assert [(g.role, g.start, g.end, g.have, g.need) for g in gaps] == [
        (DutyRole.STAFF, at(date(2026, 10, 1), 0), at(date(2026, 10, 8), 0), 1, 2)
    ]
    assert gaps[0].holidays == ["国庆节"]
    assert gaps[0].hours == 7 * 24


@time_machine.travel("2026-02-05 09:30 +0800", tick=False)
def test_spring_festival_needs_two_staff_by_default_but_not_its_makeup_workday(cast):
    """春节 2026: days off 15–23 February; Saturday 14 February is a 调休 working day (ordinary rule)."""
    feb = date(2026, 2, 4)
    fill(cast.office, feb, 32, staff=1)
    gaps = coverage_gaps(office=cast.office)
    assert [(g.role, g.start, g.end, g.have, g.need) for g in gaps] == [
        (DutyRole.STAFF, at(date(2026, 2, 15), 0), at(date(2026, 2, 24), 0), 1, 2)
    ]
    assert gaps[0].holidays == ["春节"]
    # A second 值班员 on the 春节 night shifts only: the day shifts (and the evenings before 18:00) stay short.
    nights = [
        RosterEntry(
            office=cast.office,
            day=date(2026, 2, 14) + timedelta(days=n),
            shift_name="夜班",
            starts_at=at(date(2026, 2, 14) + timedelta(days=n), 18),
            ends_at=at(date(2026, 2, 15) + timedelta(days=n), 8),
            role=DutyRole.STAFF,
            name=f"加班{n}",
            phone="13900000001",
        )
        for n in range(10)
    ]
    RosterEntry.objects.bulk_create(nights)
    gaps = coverage_gaps(office=cast.office)
    assert len(gaps) == 9 and all(g.role == DutyRole.STAFF and g.hours == 10 for g in gaps)
    assert [g.start for g in gaps] == [at(date(2026, 2, 15 + n), 8) for n in range(9)]


@time_machine.travel("2026-09-20 09:30 +0800", tick=False)
def test_mid_autumn_and_makeup_workday_follow_the_ordinary_rule(cast):
    """中秋节 (25–27 Sep) is a holiday but not one of the default strict ones; 10 October is a 调休 workday."""
    fill(cast.office, SEP20 - timedelta(days=1), 32, staff=1)
    gaps = coverage_gaps(office=cast.office)
    covered_days = {date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27), date(2026, 10, 10)}
    for gap in gaps:
        assert gap.start.date() not in covered_days


@time_machine.travel("2026-09-20 09:30 +0800", tick=False)
def test_stricter_rule_is_configurable_per_office(cast):
    fill(cast.office, SEP20 - timedelta(days=1), 32, staff=1)
    DutyPolicy.objects.create(
        office=cast.office, strict_holidays=["中秋节"], strict_min_staff=2, min_staff=1, min_leaders=1
    )
    gaps = coverage_gaps(office=cast.office)
    assert [(g.start, g.end) for g in gaps] == [(at(date(2026, 9, 25), 0), at(date(2026, 9, 28), 0))]
    assert gaps[0].holidays == ["中秋节"]
    # The other office keeps the default.
    fill(cast.other_office, SEP20 - timedelta(days=1), 32, staff=1)
    assert coverage_gaps(office=cast.other_office)[0].holidays == ["国庆节"]


@time_machine.travel("2026-09-20 09:30 +0800", tick=False)
def test_holiday_night_without_leader_is_one_gap_spanning_midnight(cast):
    night = date(2026, 10, 2)
    fill(cast.office, SEP20 - timedelta(days=1), 32, staff=2, skip={(night, "夜班", DutyRole.LEADER)})
    gaps = coverage_gaps(office=cast.office)
    assert len(gaps) == 1
    gap = gaps[0]
    assert (gap.role, gap.start, gap.end, gap.hours) == (
        DutyRole.LEADER,
        at(night, 18),
        at(night + timedelta(days=1), 8),
        14,
    )
    assert gap.holidays == ["国庆节"]
    assert gap.role_label == "带班领导"


@time_machine.travel("2026-09-20 09:30 +0800", tick=False)
def test_window_is_thirty_days_from_the_current_hour(cast):
    # Nothing at all: two gaps (staff and leader) from 09:00 today to 09:00 thirty days later.
    gaps = coverage_gaps(office=cast.office)
    assert {(g.role, g.start, g.end) for g in gaps} == {
        (DutyRole.STAFF, at(SEP20, 9), at(SEP20 + timedelta(days=30), 9)),
        (DutyRole.LEADER, at(SEP20, 9), at(SEP20 + timedelta(days=30), 9)),
    }
    # Thirty duty days from 20 Sep 08:00 end at 20 Oct 08:00: the window (to 09:00) still lacks its last hour.
    fill(cast.office, SEP20, 30, staff=2)
    last = at(SEP20 + timedelta(days=30), 8)
    assert {(g.role, g.start, g.end) for g in coverage_gaps(office=cast.office)} == {
        (DutyRole.STAFF, last, last + timedelta(hours=1)),
        (DutyRole.LEADER, last, last + timedelta(hours=1)),
    }
    # One more day closes it; nothing beyond the window is looked at.
    fill(cast.office, SEP20 + timedelta(days=30), 1, staff=2)
    assert coverage_gaps(office=cast.office) == []


@time_machine.travel("2026-09-20 09:30 +0800", tick=False)
def test_a_shift_starting_at_half_past_leaves_the_hour_open(cast):
    fill(cast.office, SEP20 - timedelta(days=1), 32, staff=2)
    from xinbao.duty.models import RosterEntry

    entry = RosterEntry.objects.get(
        office=cast.office, day=date(2026, 9, 22), shift_name="白班", role=DutyRole.LEADER
    )
    entry.starts_at = at(date(2026, 9, 22), 8, 30)
    entry.save()
    gaps = coverage_gaps(office=cast.office)
    assert [(g.role, g.start, g.end) for g in gaps] == [
        (DutyRole.LEADER, at(date(2026, 9, 22), 8), at(date(2026, 9, 22), 9))
    ]


@time_machine.travel("2026-09-20 09:30 +0800", tick=False)
def test_todo_for_duty_officers_only_when_a_gap_is_within_seven_days(cast):
    night = date(2026, 10, 2)  # 12 days ahead: no to-do
    fill(cast.office, SEP20 - timedelta(days=1), 32, staff=2, skip={(night, "夜班", DutyRole.LEADER)})
    assert not [t for t in todos_for(cast.alice) if "值守缺口" in t.title]
    soon = date(2026, 9, 23)
    from xinbao.duty.models import RosterEntry

    RosterEntry.objects.filter(office=cast.office, day=soon, shift_name="夜班", role=DutyRole.LEADER).delete()
    todos = [t for t in todos_for(cast.alice) if "值守缺口" in t.title]
    assert len(todos) == 1 and todos[0].level == "danger" and todos[0].count == 1
    assert todos[0].url == "/duty/"
    # bob (an editor) gets none; charlie's to-do is about his own office only.
    assert not [t for t in todos_for(cast.bob) if "值守缺口" in t.title]
    fill(cast.other_office, SEP20 - timedelta(days=1), 32, staff=2)
    assert not [t for t in todos_for(cast.charlie) if "值守缺口" in t.title]


@time_machine.travel("2026-10-01 20:00 +0800", tick=False)
def test_on_duty_at_names_leader_and_staff_with_phones(cast):
    fill(cast.office, date(2026, 9, 30), 3, staff=2)
    result = on_duty_at(office=cast.office, at=at(date(2026, 10, 1), 20))
    assert [p.shift_name for p in result.leaders] == ["夜班"]
    assert len(result.staff) == 2 and all(p.phone == "13900000000" for p in result.staff)
    assert result.covered
    # At 18:00 sharp the night shift is on, not the day shift.
    edge = on_duty_at(office=cast.office, at=at(date(2026, 10, 1), 18))
    assert {p.shift_name for p in edge.leaders + edge.staff} == {"夜班"}
    assert not on_duty_at(office=cast.other_office, at=at(date(2026, 10, 1), 20)).covered


@time_machine.travel("2026-09-20 09:30 +0800", tick=False)
def test_stricter_rule_holds_when_the_page_is_in_english(cast):
    """The policy stores the calendar's Chinese names; an English request must not lose the 国庆 rule."""
    from django.utils import translation

    fill(cast.office, SEP20 - timedelta(days=1), 32, staff=1)
    with translation.override("en"):
        gaps = coverage_gaps(office=cast.office)
        assert [(g.start, g.end) for g in gaps] == [(at(date(2026, 10, 1), 0), at(date(2026, 10, 8), 0))]
        assert gaps[0].holiday_text == "National Day"
