"""Coverage check (issue 5 item 6): every hour of the coming 30 days needs a 值班员 and a 带班领导 on duty,
holidays included; on the office's stricter holidays (default 春节 and 国庆节) it needs more 值班员.

An hour counts as covered by a roster line only when the line covers the whole hour: a shift from 08:30 leaves
08:00–09:00 with a gap, because a call at 08:10 would reach nobody. Consecutive gap hours of one post are merged
into one gap, across midnight, so "夜班 18:00–次日08:00 无带班领导" is one line, not fourteen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xinbao.common.calendar import days_info
from xinbao.duty.models import DutyRole, RosterEntry
from xinbao.duty.selectors import policy_for
from xinbao.orgs.models import Unit

HOUR = timedelta(hours=1)
WINDOW_DAYS = 30
TODO_DAYS = 7


@dataclass
class Gap:
    role: str
    start: datetime
    end: datetime
    have: int
    need: int
    holidays: list[str] = field(default_factory=list)

    @property
    def hours(self) -> int:
        return int((self.end - self.start) / HOUR)

    @property
    def role_label(self) -> str:
        return str(DutyRole(self.role).label)

    @property
    def holiday_text(self) -> str:
        return "、".join(_(name) for name in self.holidays)


def window_start(now: datetime | None = None) -> datetime:
    """The current hour, in the site's time zone (the current hour is still to be covered)."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(minute=0, second=0, microsecond=0)


def coverage_gaps(*, office: Unit, start: datetime | None = None, days: int = WINDOW_DAYS) -> list[Gap]:
    """Gaps of the office's roster from ``start`` (default: the current hour) for ``days`` days, ordered by start.
    ``start`` is rounded down to the hour."""
    begin = window_start(start)
    hours = days * 24
    end = begin + hours * HOUR
    staff = [0] * hours
    leaders = [0] * hours
    rows = RosterEntry.objects.filter(office=office, starts_at__lt=end, ends_at__gt=begin).values_list(
        "starts_at", "ends_at", "role"
    )
    for starts_at, ends_at, role in rows:
        first = max(0, -int((begin - starts_at) // HOUR))  # ceil: the first hour the line covers entirely
        last = min(hours, int((ends_at - begin) // HOUR))
        counts = leaders if role == DutyRole.LEADER else staff
        for index in range(first, last):
            counts[index] += 1
    policy = policy_for(office)
    strict = set(policy.strict_holidays or [])
    # The holiday rule matches the calendar's Chinese names whatever the language of the page.
    with translation.override("zh-hans"):
        info = days_info(begin.date(), (end - HOUR).date())
    gaps: list[Gap] = []
    open_gaps: dict[str, Gap | None] = {DutyRole.STAFF: None, DutyRole.LEADER: None}
    for index in range(hours):
        at = begin + index * HOUR
        day_info = info[timezone.localtime(at).date()]
        holiday = day_info.holiday_name
        is_strict = holiday is not None and holiday in strict
        need = {
            DutyRole.STAFF: policy.strict_min_staff if is_strict else policy.min_staff,
            DutyRole.LEADER: policy.strict_min_leaders if is_strict else policy.min_leaders,
        }
        have = {DutyRole.STAFF: staff[index], DutyRole.LEADER: leaders[index]}
        for role in (DutyRole.STAFF, DutyRole.LEADER):
            current = open_gaps[role]
            if have[role] < need[role]:
                if current is not None and current.end == at:
                    current.end = at + HOUR
                    current.have = min(current.have, have[role])
                    current.need = max(current.need, need[role])
                else:
                    current = Gap(role, at, at + HOUR, have[role], need[role])
                    gaps.append(current)
                    open_gaps[role] = current
                if holiday and holiday not in current.holidays:
                    current.holidays.append(holiday)
            else:
                open_gaps[role] = None
    gaps.sort(key=lambda g: (g.start, g.role != DutyRole.STAFF))
    return gaps


def gaps_within(gaps: list[Gap], *, until: datetime) -> list[Gap]:
    return [g for g in gaps if g.start < until]


def days_of(gap: Gap) -> list[date]:
    day = timezone.localtime(gap.start).date()
    last = timezone.localtime(gap.end - HOUR).date()
    out = []
    while day <= last:
        out.append(day)
        day += timedelta(days=1)
    return out
