"""Turning scoring events into ledger entries under one rule set (PRODUCT 3.5). Pure: no writes, no clock.

The same events in the same order under the same rules give the same entries, which is what makes a rebuild
deterministic. Events arrive grouped (see ``events``); a group is priced as a whole so "highest publication
only", first/further 批示 and the per-item cap apply per item. Unit caps per month and year are applied at the
end as visible adjustment entries (封顶扣减), so the ledger still shows every point that was earned.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from itertools import groupby
from typing import Any

from xinbao.scoring.events import ScoringEvent

CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class EntryDraft:
    unit_id: int
    person_id: int | None
    points: Decimal
    kind: str
    rule_key: str
    source_type: str
    source_id: int
    event_date: date
    note: str = ""


def d(value: Any) -> Decimal:
    return Decimal(str(value))


def _adoption(event: ScoringEvent, rules: dict[str, Any]) -> tuple[str, Decimal]:
    a = rules["adoption"]
    adopter = event.attrs.get("adopter", "")
    points = d(a["points"].get(adopter, 0))
    points *= d(a["mode_factor"].get(event.attrs.get("mode", "full"), 1))
    points *= d(a["publication_factor"].get(event.attrs.get("publication_kind", "other"), 1))
    key = f"adoption.{adopter}"
    if event.attrs.get("forwarded"):
        multiplier = d(a["forwarded_multiplier"].get(adopter, 1))
        if multiplier != 1:
            points *= multiplier
            key += ".forwarded"
    return key, points.quantize(CENT)


def _simple(event: ScoringEvent, rules: dict[str, Any]) -> tuple[str, Decimal]:
    if event.kind == "commission":
        outcome = event.attrs.get("outcome", "")
        return f"commission.{outcome}", d(rules["commission"].get(outcome, 0))
    if event.kind == "emergency":
        outcome = event.attrs.get("outcome", "")
        return f"emergency.{outcome}", d(rules["emergency"].get(outcome, 0))
    if event.kind == "instruction_feedback_late":
        return "instruction.feedback_late", d(rules["instruction"]["feedback_late"])
    if event.kind == "quota_met":
        return "quota.monthly_base", d(rules["quota"]["monthly_base"])
    return f"unknown.{event.kind}", ZERO


def _instructions(events: list[ScoringEvent], rules: dict[str, Any]) -> list[tuple[str, Decimal]]:
    ins = rules["instruction"]
    if ins["first"] is None:
        return [
            (
                f"instruction.{e.attrs.get('leader_rank', '')}",
                d(ins["points"].get(e.attrs.get("leader_rank", ""), 0)),
            )
            for e in events
        ]
    order = sorted(range(len(events)), key=lambda i: (events[i].day, events[i].source_id))
    priced: list[tuple[str, Decimal]] = [("", ZERO)] * len(events)
    for position, index in enumerate(order):
        priced[index] = (
            ("instruction.first", d(ins["first"]))
            if position == 0
            else ("instruction.further", d(ins["further"]))
        )
    return priced


def _price_group(
    events: list[ScoringEvent], rules: dict[str, Any]
) -> list[tuple[ScoringEvent, str, Decimal]]:
    adoptions = [e for e in events if e.kind == "adoption"]
    instructions = [e for e in events if e.kind == "instruction"]
    others = [e for e in events if e.kind not in ("adoption", "instruction")]
    priced: list[tuple[ScoringEvent, str, Decimal]] = []
    scored = [(e, *_adoption(e, rules)) for e in adoptions]
    if rules["adoption"]["several"] == "highest" and scored:
        # Per credited unit: keep the best adoption of the item (ties: the earliest, then the lowest id).
        best: dict[int, tuple[ScoringEvent, str, Decimal]] = {}
        for item in scored:
            e, _key, pts = item
            kept = best.get(e.unit_id)
            if (
                kept is None
                or pts > kept[2]
                or (pts == kept[2] and (e.day, e.source_id) < (kept[0].day, kept[0].source_id))
            ):
                best[e.unit_id] = item
        scored = [item for item in scored if best[item[0].unit_id] is item]
    priced.extend(scored)
    priced.extend(
        (e, key, pts) for e, (key, pts) in zip(instructions, _instructions(instructions, rules), strict=True)
    )
    priced.extend((e, *_simple(e, rules)) for e in others)
    return priced


def split(points: Decimal, people: tuple[int, ...]) -> list[tuple[int | None, Decimal]]:
    """Evenly in cents; the cents left over go to the first people by id, so the shares add up exactly."""
    people = tuple(sorted(set(people)))
    if not people:
        return [(None, points)]
    n = len(people)
    share = (points / n).quantize(CENT, rounding=ROUND_DOWN)
    rest = int(((points - share * n) / CENT).to_integral_value())
    return [(p, share + (CENT if i < rest else ZERO)) for i, p in enumerate(people)]


def _drafts(
    event: ScoringEvent, key: str, points: Decimal, rules: dict[str, Any], remap: dict[int, int]
) -> Iterator[EntryDraft]:
    unit_id = remap.get(event.unit_id, event.unit_id)
    people = event.people
    if not rules["joint_split"] and len(set(people)) > 1:
        # Not split: the unit keeps the points, no single author of a joint item is credited with them.
        people = ()
    for person, share in split(points, people):
        if share == ZERO:
            continue
        yield EntryDraft(
            unit_id=unit_id,
            person_id=person,
            points=share,
            kind=event.kind,
            rule_key=key,
            source_type=event.source_type,
            source_id=event.source_id,
            event_date=event.day,
            note=event.note[:120],
        )


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def price_events(
    events: Iterable[ScoringEvent],
    rules: dict[str, Any],
    *,
    remap: dict[int, int] | None = None,
    year_end: date | None = None,
) -> Iterator[EntryDraft]:
    """Stream entry drafts for ``events`` (grouped by ``group``, contiguous) under ``rules``.

    ``remap`` moves a unit's points to another unit (直报点 → its county when ``direct_point_to_county``)."""
    remap = remap or {}
    caps = rules["caps"]
    per_item = d(caps["per_item"]) if caps["per_item"] is not None else None
    month_cap = d(caps["unit_month"]) if caps["unit_month"] is not None else None
    year_cap = d(caps["unit_year"]) if caps["unit_year"] is not None else None
    # Positive points per (unit, month end): the unit caps need them once the stream is over.
    earned: dict[tuple[int, date], Decimal] = {}
    for _group, members in groupby(events, key=lambda e: e.group or f"{e.source_type}:{e.source_id}"):
        priced = _price_group(list(members), rules)
        per_unit: dict[int, Decimal] = {}
        last: dict[int, ScoringEvent] = {}
        for event, key, points in priced:
            if points == ZERO:
                continue
            unit_id = remap.get(event.unit_id, event.unit_id)
            if points > ZERO:
                per_unit[unit_id] = per_unit.get(unit_id, ZERO) + points
                last[unit_id] = event
                if month_cap is not None or year_cap is not None:
                    slot = (unit_id, _month_end(event.day))
                    earned[slot] = earned.get(slot, ZERO) + points
            yield from _drafts(event, key, points, rules, remap)
        if per_item is not None:
            for unit_id in sorted(per_unit):
                excess = per_unit[unit_id] - per_item
                if excess > ZERO:
                    e = last[unit_id]
                    if month_cap is not None or year_cap is not None:
                        slot = (unit_id, _month_end(e.day))
                        earned[slot] -= excess
                    yield EntryDraft(
                        unit_id,
                        None,
                        -excess,
                        "cap",
                        "caps.per_item",
                        e.source_type,
                        e.source_id,
                        e.day,
                        e.group,
                    )
    yield from _unit_caps(earned, month_cap, year_cap, year_end)


def _unit_caps(
    earned: dict[tuple[int, date], Decimal],
    month_cap: Decimal | None,
    year_cap: Decimal | None,
    year_end: date | None,
) -> Iterator[EntryDraft]:
    yearly: dict[int, Decimal] = {}
    for unit_id, month_end in sorted(earned):
        amount = earned[(unit_id, month_end)]
        if month_cap is not None and amount > month_cap:
            yield EntryDraft(
                unit_id,
                None,
                month_cap - amount,
                "cap",
                "caps.unit_month",
                "scoring.cap",
                0,
                month_end,
                f"{month_end:%Y-%m}",
            )
            amount = month_cap
        yearly[unit_id] = yearly.get(unit_id, ZERO) + amount
    if year_cap is not None:
        for unit_id in sorted(yearly):
            if yearly[unit_id] > year_cap:
                day = year_end or max(m for u, m in earned if u == unit_id)
                yield EntryDraft(
                    unit_id,
                    None,
                    year_cap - yearly[unit_id],
                    "cap",
                    "caps.unit_year",
                    "scoring.cap",
                    0,
                    day,
                    "",
                )
