"""The clock rules of PRODUCT 3.4, as pure functions of times and a rule (no database, easy to test frozen).

Shipped defaults, after the published local rules the seed quotes:
- 特别重大/重大: phone within 15 minutes and written within 30 minutes of learning of it;
- 较大: phone within 30 minutes, written within 1 hour;
- 一般: written within 4 hours (no phone limit);
- whatever the grade, never later than 4 hours after it occurred (最迟不得晚于事发后4小时);
- 续报 for 较大 and above at least twice a day, due before 08:00 and before 17:00 (local time), until the 终报.

Decisions where the rules are silent:
- The cap from occurred-at can fall before learned-at (the unit learned of it late). The report is then due at
  learned-at: the clock starts overdue, because the published rule is absolute, but it never runs backwards.
- 续报 slots keep running on nights, weekends and statutory holidays: a 总值班室 does not close for 国庆.
- An incident's clocks run by the rule in force when it was registered, kept on the incident (``rule_to_data``):
  an office editing its rule does not move a running incident's 续报 times or grace period.
- After an outage the missed 续报 slots are all owed (``slots_between``): each gets its own deadline.
- The first 续报 slot is the first one at least ``follow_up_min_gap_minutes`` after the 首报, so a 首报 at 07:50
  does not owe a 续报 ten minutes later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from xinbao.emergencies.models import IncidentGrade


@dataclass(frozen=True)
class Rule:
    phone_minutes: int | None
    written_minutes: int
    cap_minutes: int = 240
    follow_up_times: tuple[time, ...] = ()
    follow_up_min_gap_minutes: int = 60
    grace_minutes: int = 30


TWICE_A_DAY = (time(8, 0), time(17, 0))

DEFAULT_RULES: dict[str, Rule] = {
    IncidentGrade.EXTRAORDINARY: Rule(phone_minutes=15, written_minutes=30, follow_up_times=TWICE_A_DAY),
    IncidentGrade.MAJOR: Rule(phone_minutes=15, written_minutes=30, follow_up_times=TWICE_A_DAY),
    IncidentGrade.LARGE: Rule(phone_minutes=30, written_minutes=60, follow_up_times=TWICE_A_DAY),
    IncidentGrade.ORDINARY: Rule(phone_minutes=None, written_minutes=240),
}


def parse_times(text: str) -> tuple[time, ...]:
    """ "08:00,17:00" → (08:00, 17:00), sorted; raises ValueError on anything else."""
    out = set()
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        hour, minute = part.split(":")
        out.add(time(int(hour), int(minute)))
    return tuple(sorted(out))


def format_times(times: tuple[time, ...]) -> str:
    return ",".join(t.strftime("%H:%M") for t in times)


def rule_to_data(rule: Rule) -> dict[str, object]:
    """The rule as JSON, to be kept on an incident: its clocks run by the rule in force when it was registered."""
    return {
        "phone_minutes": rule.phone_minutes,
        "written_minutes": rule.written_minutes,
        "cap_minutes": rule.cap_minutes,
        "follow_up_times": format_times(rule.follow_up_times),
        "follow_up_min_gap_minutes": rule.follow_up_min_gap_minutes,
        "grace_minutes": rule.grace_minutes,
    }


def rule_from_data(data: dict[str, object]) -> Rule:
    def minutes(name: str) -> int:
        value = data[name]
        assert isinstance(value, int)
        return value

    phone = data.get("phone_minutes")
    return Rule(
        phone_minutes=phone if isinstance(phone, int) else None,
        written_minutes=minutes("written_minutes"),
        cap_minutes=minutes("cap_minutes"),
        follow_up_times=parse_times(str(data.get("follow_up_times") or "")),
        follow_up_min_gap_minutes=minutes("follow_up_min_gap_minutes"),
        grace_minutes=minutes("grace_minutes"),
    )


def _capped(limit_end: datetime, occurred_at: datetime, learned_at: datetime, rule: Rule) -> datetime:
    cap = occurred_at + timedelta(minutes=rule.cap_minutes)
    return max(min(limit_end, cap), learned_at)


def phone_due(rule: Rule, *, occurred_at: datetime, learned_at: datetime) -> datetime | None:
    if rule.phone_minutes is None:
        return None
    return _capped(learned_at + timedelta(minutes=rule.phone_minutes), occurred_at, learned_at, rule)


def written_due(rule: Rule, *, occurred_at: datetime, learned_at: datetime) -> datetime:
    return _capped(learned_at + timedelta(minutes=rule.written_minutes), occurred_at, learned_at, rule)


def next_slot(rule: Rule, after: datetime) -> datetime | None:
    """The first 续报 slot strictly after ``after``, in local time (None when the grade needs no 续报)."""
    if not rule.follow_up_times:
        return None
    local = timezone.localtime(after)
    tz = local.tzinfo
    day = local.date()
    for offset in range(3):
        d = day + timedelta(days=offset)
        for t in rule.follow_up_times:
            slot = datetime.combine(d, t, tzinfo=tz)
            if slot > local:
                return slot
    return None  # unreachable with at least one time a day


def first_follow_up(rule: Rule, first_report_at: datetime) -> tuple[datetime, datetime] | None:
    """(window opens, due) of the first 续报 after a 首报 made at ``first_report_at``."""
    slot = next_slot(
        rule, first_report_at + timedelta(minutes=rule.follow_up_min_gap_minutes) - timedelta(seconds=1)
    )
    return None if slot is None else (first_report_at, slot)


def following_follow_up(
    rule: Rule, previous_due: datetime, now: datetime
) -> tuple[datetime, datetime] | None:
    """(window opens, due) of the 续报 after the one due at ``previous_due``: the next slot after both the previous
    due time and now (a late 续报 at 19:00 for 17:00 leads to the 08:00 slot, not to a past one)."""
    slot = next_slot(rule, max(previous_due, now))
    if slot is None:
        return None
    return (previous_due if previous_due >= now else now, slot)


def slots_between(rule: Rule, after: datetime, until: datetime) -> list[datetime]:
    """Every 续报 slot strictly after ``after`` and at or before ``until`` (the slots that fell due meanwhile)."""
    out: list[datetime] = []
    slot = next_slot(rule, after)
    while slot is not None and slot <= until:
        out.append(slot)
        slot = next_slot(rule, slot)
    return out
