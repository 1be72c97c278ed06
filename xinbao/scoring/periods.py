"""Ranking periods: a year "2026", a quarter "2026Q1", a month "2026-03" or a range "2026-01-01..2026-06-30"."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from xinbao.common.errors import ValidationFailed

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    code: str
    kind: str  # year / quarter / month / range

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("%(y)d年") % {"y": self.start.year}
        if self.kind == "quarter":
            q = (_("一"), _("二"), _("三"), _("四"))[(self.start.month - 1) // 3]
            return _("%(y)d年第%(q)s季度") % {"y": self.start.year, "q": q}
        if self.kind == "month":
            return _("%(y)d年%(m)d月") % {"y": self.start.year, "m": self.start.month}
        return f"{self.start:%Y-%m-%d}—{self.end:%Y-%m-%d}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """Raise ``ValidationFailed`` (field "period") on anything else, with the accepted forms in the message."""
    value = (text or "").strip()
    bad = ValidationFailed(
        _("考核期间“%(value)s”无效，应为 2026、2026Q1、2026-03 或 2026-01-01..2026-06-30") % {"value": value},
        field="period",
    )
    try:
        if m := _YEAR.match(value):
            y = int(m[1])
            return Period(date(y, 1, 1), date(y, 12, 31), value, "year")
        if m := _QUARTER.match(value):
            y, q = int(m[1]), int(m[2])
            return Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), f"{y}Q{q}", "quarter")
        if m := _MONTH.match(value):
            y, mo = int(m[1]), int(m[2])
            return Period(date(y, mo, 1), _month_end(y, mo), f"{y}-{mo:02d}", "month")
        if m := _RANGE.match(value):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if end < start or (end - start).days > 3660:
                raise bad
            return Period(start, end, value, "range")
    except ValueError as exc:
        raise bad from exc
    raise bad


def current_quarter(today: date) -> Period:
    return parse_period(f"{today.year}Q{(today.month - 1) // 3 + 1}")
