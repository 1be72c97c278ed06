"""Rankings of units and informants with the roll-up through the hierarchy (PRODUCT 3.5).

Own points come from one SQL aggregate over the office's current ledger entries of the period. The roll-up then
walks the region's tree once, bottom-up (rules ``rollup``; seed: 市总分 = 本级 + 所辖县之和 / 县数):

- a region's *own* score is its 本级: its own entries plus the totals of the organisations directly under it that
  are not regions (its offices, departments, townships); its *children* are the regions directly under it;
- any other unit's own score is its own entries; its children are the units directly under it;
- total = own + mean(children's totals) by default; ``sum`` adds them, ``own`` ignores them, ``weighted`` is
  own × own_weight + mean × children_weight; a unit with no children keeps its own score under every method.

Ranks are competition ranks (1, 2, 2, 4) by total; ties are listed by unit code so the order is stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum

from xinbao.common.choices import choice_label
from xinbao.orgs.models import Level, Unit, UnitKind
from xinbao.scoring.periods import Period
from xinbao.scoring.rules import DEFAULT_RULES
from xinbao.scoring.selectors import ledger_entries, office_scope, ruleset_current

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass
class UnitScore:
    unit_id: int
    code: str
    name: str
    level: str
    kind: str
    own: Decimal = ZERO
    total: Decimal = ZERO
    points: Decimal = ZERO  # the unit's own entries only
    children: list[str] = field(default_factory=list)
    rank: int = 0

    @property
    def level_label(self) -> str:
        return choice_label(Level, self.level)

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.code,
            "name": self.name,
            "level": self.level,
            "kind": self.kind,
            "own": float(self.own),
            "total": float(self.total),
            "rank": self.rank,
            "children": self.children,
        }


def unit_points(*, office: Unit, period: Period) -> dict[int, Decimal]:
    rows = ledger_entries(office=office, period=period).values("unit_id").annotate(s=Sum("points")).order_by()
    return {r["unit_id"]: r["s"] or ZERO for r in rows}


def _roll(own: Decimal, kids: list[Decimal], rollup: dict[str, Any]) -> Decimal:
    method = rollup["method"]
    if method == "own" or not kids:
        # A unit with nothing under it is its own score under every method (weights share out a roll-up).
        return own
    if method == "sum":
        return own + sum(kids, ZERO)
    mean = sum(kids, ZERO) / len(kids)
    if method == "weighted":
        return own * Decimal(str(rollup["own_weight"])) + mean * Decimal(str(rollup["children_weight"]))
    return own + mean


def rollup_rules(office: Unit, period: Period) -> dict[str, Any]:
    rule_set = ruleset_current(office=office, year=period.start.year)
    return (rule_set.rules if rule_set else DEFAULT_RULES)["rollup"]


def score_tree(*, root: Unit, points: dict[int, Decimal], rollup: dict[str, Any]) -> dict[int, UnitScore]:
    """Scores of every unit under ``root`` (inclusive), computed bottom-up in one pass."""
    rows = list(
        Unit.objects.filter(path__startswith=root.path, is_active=True)
        .order_by("-depth", "path")
        .values("id", "parent_id", "code", "name", "short_name", "level", "kind", "depth")
    )
    scores = {
        r["id"]: UnitScore(r["id"], r["code"], r["short_name"] or r["name"], r["level"], r["kind"])
        for r in rows
    }
    children: dict[int, list[int]] = {}
    for r in rows:
        if r["parent_id"] in scores:
            children.setdefault(r["parent_id"], []).append(r["id"])
    for r in rows:  # deepest first: every child is final before its parent
        s = scores[r["id"]]
        s.points = points.get(r["id"], ZERO)
        kids = sorted(children.get(r["id"], []), key=lambda pk: scores[pk].code)
        if r["kind"] == UnitKind.REGION:
            own_parts = [k for k in kids if scores[k].kind != UnitKind.REGION]
            kids = [k for k in kids if scores[k].kind == UnitKind.REGION]
            s.own = s.points + sum((scores[k].total for k in own_parts), ZERO)
        else:
            s.own = s.points
        s.children = [scores[k].code for k in kids]
        s.total = _roll(s.own, [scores[k].total for k in kids], rollup)
    for s in scores.values():
        s.own = s.own.quantize(CENT, rounding=ROUND_HALF_UP)
        s.total = s.total.quantize(CENT, rounding=ROUND_HALF_UP)
    return scores


def assign_ranks(rows: list[Any], key: str = "total") -> list[Any]:
    rows.sort(key=lambda r: (-getattr(r, key), r.code))
    previous = None
    for index, row in enumerate(rows, start=1):
        value = getattr(row, key)
        row.rank = index if value != previous else rows[index - 2].rank
        previous = value
    return rows


def unit_ranking(
    *, office: Unit, period: Period, root: Unit | None = None, level: str = "", kind: str = ""
) -> list[UnitScore]:
    """The units directly under ``root`` (default: the office's region), ranked; filters by level and kind.

    Receiving offices are not ranked: they assess (their own items still count in their region's 本级 score)."""
    scope = office_scope(office)
    root = root or scope
    scores = score_tree(
        root=scope, points=unit_points(office=office, period=period), rollup=rollup_rules(office, period)
    )
    direct = set(
        Unit.objects.filter(parent=root, is_active=True, is_receiving_office=False).values_list(
            "pk", flat=True
        )
    )
    rows = [s for s in scores.values() if s.unit_id in direct]
    if level:
        rows = [s for s in rows if s.level == level]
    if kind:
        rows = [s for s in rows if s.kind == kind]
    return assign_ranks(rows)


@dataclass
class PersonScore:
    person_id: int
    code: str  # username, for a stable tie order
    name: str
    unit_name: str
    total: Decimal
    rank: int = 0
    unit_id: int | None = None


def informant_ranking(*, office: Unit, period: Period, unit: Unit | None = None) -> list[PersonScore]:
    qs = ledger_entries(office=office, period=period).filter(person__isnull=False)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    rows = (
        qs.values(
            "person_id", "person__username", "person__full_name", "unit_id", "unit__name", "unit__short_name"
        )
        .annotate(s=Sum("points"))
        .order_by()
    )
    merged: dict[int, PersonScore] = {}
    for r in rows:
        p = merged.get(r["person_id"])
        if p is None:
            merged[r["person_id"]] = PersonScore(
                r["person_id"],
                r["person__username"],
                r["person__full_name"],
                r["unit__short_name"] or r["unit__name"],
                r["s"],
                unit_id=r["unit_id"],
            )
        else:
            p.total += r["s"]
    return assign_ranks(list(merged.values()))
