"""China's working-day calendar: statutory holidays and 调休 make-up workdays (PRODUCT 1, 3.3, 3.4).

Deadlines in working days (交办 feedback) and holiday duty rules both ask one question — is this date a working day,
and if not, which holiday is it? The answer comes, in order, from:

1. ``CalendarDay`` rows an administrator entered (the State Council publishes next year's arrangement each autumn,
   usually before the ``chinesecalendar`` package has a release that knows it);
2. the ``chinesecalendar`` package (2004–2026 in the pinned version);
3. for years neither knows: Saturday and Sunday off, and the fixed-date statutory days of the 2024 rules
   (元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October). Lunar holidays cannot be guessed and need rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext_lazy as _

# The package names holidays in English; the UI speaks Chinese (and English through the catalogue).
HOLIDAY_NAMES = {
    "New Year's Day": _("元旦"),
    "Spring Festival": _("春节"),
    "Tomb-sweeping Day": _("清明节"),
    "Labour Day": _("劳动节"),
    "Dragon Boat Festival": _("端午节"),
    "Mid-autumn Festival": _("中秋节"),
    "National Day": _("国庆节"),
}
# Fixed-date statutory days (国务院《全国年节及纪念日放假办法》, 2024 revision) for years the package does not know.
_FIXED_HOLIDAYS = {
    (1, 1): "New Year's Day",
    (5, 1): "Labour Day",
    (5, 2): "Labour Day",
    (10, 1): "National Day",
    (10, 2): "National Day",
    (10, 3): "National Day",
}


@dataclass(frozen=True)
class DayInfo:
    day: date
    is_workday: bool
    #: The holiday this date belongs to, for a day off in a holiday or a 调休 make-up workday; None otherwise.
    holiday: str | None
    source: str  # "override" | "package" | "fallback"

    @property
    def holiday_name(self) -> str | None:
        """The statutory holiday's name, only on days off (a 调休 workday is a working day, not a holiday)."""
        return None if self.is_workday or self.holiday is None else self.holiday


def _package_info(day: date) -> DayInfo | None:
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    label = str(HOLIDAY_NAMES.get(name, name)) if name else None
    return DayInfo(day, not is_holiday, label, "package")


def _fallback_info(day: date) -> DayInfo:
    name = _FIXED_HOLIDAYS.get((day.month, day.day))
    if name:
        return DayInfo(day, False, str(HOLIDAY_NAMES[name]), "fallback")
    return DayInfo(day, day.weekday() < 5, None, "fallback")


def days_info(start: date, end: date) -> dict[date, DayInfo]:
    """Every date from start to end inclusive, with one query for the administrator's rows."""
    from xinbao.common.models import CalendarDay

    overrides = {row.day: row for row in CalendarDay.objects.filter(day__gte=start, day__lte=end)}
    result: dict[date, DayInfo] = {}
    day = start
    while day <= end:
        row = overrides.get(day)
        if row is not None:
            result[day] = DayInfo(day, row.is_workday, row.name or None, "override")
        else:
            result[day] = _package_info(day) or _fallback_info(day)
        day += timedelta(days=1)
    return result


def day_info(day: date) -> DayInfo:
    return days_info(day, day)[day]


def is_workday(day: date) -> bool:
    return day_info(day).is_workday


def holiday_name(day: date) -> str | None:
    """The statutory holiday's Chinese name when the date is a day off in one (e.g. "国庆节"), else None."""
    return day_info(day).holiday_name


def add_workdays(start: date, n: int) -> date:
    """The n-th working day after ``start`` (``start`` itself does not count; n=0 gives start).

    A 交办 given on Tuesday 29 September 2026 with 5 working days is due on the 5th working day after it, counting
    the 调休 Saturday and skipping the 国庆 week (seed: 反馈时限按工作日计算)."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    day, counted = start, 0
    # Look ahead in windows: a holiday week plus weekends never spans more than ~n*2+14 calendar days.
    window_end = start + timedelta(days=n * 2 + 14)
    info = days_info(start + timedelta(days=1), window_end)
    while counted < n:
        day += timedelta(days=1)
        if day > window_end:
            window_end = day + timedelta(days=n * 2 + 14)
            info.update(days_info(day, window_end))
        if info[day].is_workday:
            counted += 1
    return day


def workdays_between(a: date, b: date) -> int:
    """Working days after ``a`` up to and including ``b`` (0 when b <= a): how late a feedback is, in working days."""
    if b <= a:
        return 0
    return sum(1 for info in days_info(a + timedelta(days=1), b).values() if info.is_workday)
