"""The roster as a grid for the page: one row per duty day, one cell per shift, holidays and 调休 marked."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy

from xinbao.common.calendar import days_info
from xinbao.duty.coverage import Gap, coverage_gaps, days_of
from xinbao.duty.models import DutyRole, RosterEntry
from xinbao.duty.selectors import ShiftSpec, roster_entry_list_visible_to, shifts_for
from xinbao.duty.services.roster import shift_bounds
from xinbao.orgs.models import Unit

WEEKDAYS = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)


@dataclass
class Cell:
    day: date
    shift: ShiftSpec
    index: int
    leaders: list[RosterEntry] = field(default_factory=list)
    staff: list[RosterEntry] = field(default_factory=list)
    has_gap: bool = False

    @property
    def dom_id(self) -> str:
        return f"cell-{self.day:%Y%m%d}-{self.index}"


@dataclass
class Row:
    day: date
    weekday: str
    holiday: str | None
    makeup_workday: bool
    weekend: bool
    cells: list[Cell]


def parse_day(raw: str | None, default: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def month_bounds(day: date) -> tuple[date, date]:
    last = pycalendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def gap_days(gaps: list[Gap]) -> set[date]:
    return {d for g in gaps for d in days_of(g)}


def build_rows(user: Any, office: Unit, start: date, end: date, gaps: list[Gap]) -> list[Row]:
    shifts = shifts_for(office)
    entries: dict[tuple[date, str], list[RosterEntry]] = defaultdict(list)
    for entry in roster_entry_list_visible_to(user=user, start=start, end=end):
        entries[(entry.day, entry.shift_name)].append(entry)
    with translation.override("zh-hans"):
        info = days_info(start, end)
    rows = []
    day = start
    while day <= end:
        cells = []
        for index, spec in enumerate(shifts):
            cell = Cell(day, spec, index)
            for entry in entries.get((day, spec.name), []):
                (cell.leaders if entry.role == DutyRole.LEADER else cell.staff).append(entry)
            cell.has_gap = _cell_has_gap(cell, gaps)
            cells.append(cell)
        # Lines of a shift the office no longer has still show, under their own name, so nobody is lost.
        known = {s.name for s in shifts}
        for (d, name), rest in entries.items():
            if d == day and name not in known:
                spec = ShiftSpec(name, rest[0].starts_at.timetz(), rest[0].ends_at.timetz())
                cell = Cell(day, spec, len(cells))
                for entry in rest:
                    (cell.leaders if entry.role == DutyRole.LEADER else cell.staff).append(entry)
                cells.append(cell)
        day_info = info[day]
        rows.append(
            Row(
                day=day,
                weekday=str(WEEKDAYS[day.weekday()]),
                holiday=day_info.holiday_name,
                makeup_workday=day_info.is_workday and day.weekday() >= 5,
                weekend=day.weekday() >= 5,
                cells=cells,
            )
        )
        day += timedelta(days=1)
    return rows


def _cell_has_gap(cell: Cell, gaps: list[Gap]) -> bool:
    starts, ends = shift_bounds(cell.shift, cell.day)
    return any(g.start < ends and g.end > starts for g in gaps)


def page_gaps(office: Unit) -> list[Gap]:
    return coverage_gaps(office=office)
