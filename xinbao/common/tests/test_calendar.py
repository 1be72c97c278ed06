"""The working-day calendar: statutory holidays, 调休 workdays, administrator overrides for unknown years."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent
from xinbao.common.calendar import add_workdays, day_info, holiday_name, is_workday, workdays_between
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.common.models import CalendarDay
from xinbao.common.services import calendar_day_set

pytestmark = pytest.mark.django_db


def test_national_day_2026_and_its_make_up_workday():
    assert holiday_name(date(2026, 10, 1)) == "国庆节"
    assert not is_workday(date(2026, 10, 7))
    # Saturday 10 October 2026 is a 调休 workday: a working day, and not a holiday.
    assert is_workday(date(2026, 10, 10))
    assert holiday_name(date(2026, 10, 10)) is None
    assert day_info(date(2026, 10, 10)).holiday == "国庆节"


def test_spring_festival_2026_with_make_up_saturdays():
    assert holiday_name(date(2026, 2, 17)) == "春节"
    assert is_workday(date(2026, 2, 14)) and is_workday(date(2026, 2, 28))
    # Friday 13 February + 1 working day is the 调休 Saturday 14 February; +2 skips the whole holiday to the 24th.
    assert add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_add_workdays_across_national_day():
    # Tuesday 29 September 2026: 30 September, then 国庆 1–7 October off, then 8, 9, 10 (调休 Saturday) and 12.
    due = add_workdays(date(2026, 9, 29), 5)
    assert [is_workday(date(2026, 10, d)) for d in range(1, 13)] == [False] * 7 + [
        True,
        True,
        True,
        False,
        True,
    ]
    assert due == date(2026, 10, 12)
    assert workdays_between(date(2026, 9, 29), due) == 5
    assert workdays_between(due, date(2026, 9, 29)) == 0
    assert add_workdays(date(2026, 9, 29), 0) == date(2026, 9, 29)


def test_unknown_year_falls_back_to_weekends_and_fixed_days_until_an_administrator_enters_it():
    assert day_info(date(2027, 1, 1)).source == "fallback"
    assert holiday_name(date(2027, 1, 1)) == "元旦"
    assert not is_workday(date(2027, 1, 2))  # Saturday
    assert is_workday(date(2027, 2, 8))  # a Monday: lunar holidays cannot be guessed
    admin = make_user(None, Role.SYSTEM_ADMIN)
    calendar_day_set(actor=admin, day=date(2027, 2, 8), is_workday=False, name="春节")
    assert holiday_name(date(2027, 2, 8)) == "春节"
    assert day_info(date(2027, 2, 8)).source == "override"
    assert AuditEvent.objects.filter(detail__calendar_day="2027-02-08").exists()
    # Friday 5 February 2027 + 1 working day now skips Monday 8 February.
    assert add_workdays(date(2027, 2, 5), 1) == date(2027, 2, 9)


def test_only_a_system_administrator_keeps_the_calendar_and_bad_input_changes_nothing(world):
    editor = make_user(world.county_party_office, Role.EDITOR)
    with pytest.raises(NotPermitted):
        calendar_day_set(actor=editor, day=date(2027, 2, 8), is_workday=False, name="春节")
    admin = make_user(None, Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationFailed) as exc:
        calendar_day_set(actor=admin, day=date(2027, 2, 8), is_workday=False, name="")
    assert "节日名称" in exc.value.message
    assert not CalendarDay.objects.exists()


def test_calendar_day_command(capsys):
    call_command("calendar_day", "2027-02-14", "--work", "--name", "春节")
    assert "2027-02-14 工作日 春节" in capsys.readouterr().out
    assert is_workday(date(2027, 2, 14))
    call_command("calendar_day", "2027-02-14", "--clear")
    assert not is_workday(date(2027, 2, 14))
    with pytest.raises(CommandError, match="日期格式"):
        call_command("calendar_day", "2027-02-30", "--off", "--name", "春节")
