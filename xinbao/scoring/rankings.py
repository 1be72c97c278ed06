"""Rankings of units and informants with the roll-up through the hierarchy (PRODUCT 3.5).

Own points come from one SQL aggregate over the office's current ledger entries of the period. The roll-up then
walks the region's tree once, bottom-up (rules ``rollup``; seed: 市总分 = 本级 + 所辖县之和 / 县数):

- a region's *own* score is its 本级: its own entries plus the totals of the organisations directly under it that
  are not regions (its offices, departments, townships); its *children* are the regions directly under it;
- any other unit's own score is its own entries; its children are the units directly under it;
- total = own + mean(children's totals) by default; ``sum`` adds them, ``own`` ignores them, ``weighted`` is
  own × own_weight + mean × children_weight; a unit with no children keeps its own score under every method.

Every unit also carries its points per category (``composite``), rolled up the same way, and the ranked units get
their composite 千分制 score from them. Ranks are competition ranks (1, 2, 2, 4) by total — or by the composite
score when the ranking is ordered by it; ties are listed by unit code so the order is stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from xinbao.common.choices import choice_label
from xinbao.common.errors import ValidationFailed
from xinbao.orgs.models import Level, Unit, UnitKind
from xinbao.scoring.composite import (
    CATEGORIES,
    CategoryShare,
    apply_composite,
    best_points,
    category_of,
    category_shares,
)
from xinbao.scoring.periods import Period
from xinbao.scoring.rules import DEFAULT_RULES, validate_rules
from xinbao.scoring.selectors import ledger_entries, office_scope, ruleset_current

ZERO = Decimal(0)
CENT = Decimal("0.01")
ORDERS = ("total", "composite")


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
    #: Rolled-up points per composite category, and the composite 千分制 score among the ranked units.
    categories: dict[str, Decimal] = field(default_factory=dict)
    composite: Decimal = ZERO

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
            "composite": float(self.composite),
            "rank": self.rank,
            "children": self.children,
        }


def unit_category_points(
    *, office: Unit, period: Period
) -> tuple[dict[int, Decimal], dict[int, dict[str, Decimal]]]:
    """Each unit's points, in total and per composite category, from one aggregate by (unit, kind)."""
    rows = (
        ledger_entries(office=office, period=period)
        .values("unit_id", "kind")
        .annotate(s=Sum("points"))
        .order_by()
    )
    totals: dict[int, Decimal] = {}
    categories: dict[int, dict[str, Decimal]] = {}
    for r in rows:
        points = r["s"] or ZERO
        totals[r["unit_id"]] = totals.get(r["unit_id"], ZERO) + points
        category = category_of(r["kind"])
        if category is not None:
            mine = categories.setdefault(r["unit_id"], {})
            mine[category] = mine.get(category, ZERO) + points
    return totals, categories


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


def period_rules(office: Unit, period: Period) -> dict[str, Any]:
    """The normalised rules of the period's first year (a version saved before a section existed gets its default)."""
    rule_set = ruleset_current(office=office, year=period.start.year)
    return validate_rules(rule_set.rules) if rule_set else validate_rules(DEFAULT_RULES)


def score_tree(
    *,
    root: Unit,
    points: dict[int, Decimal],
    rollup: dict[str, Any],
    categories: dict[int, dict[str, Decimal]] | None = None,
) -> dict[int, UnitScore]:
    """Scores of every unit under ``root`` (inclusive), computed bottom-up in one pass; with ``categories`` (points
    per unit and composite category), each unit's category totals too, rolled up exactly as its total."""
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
        own_parts: list[int] = []
        if r["kind"] == UnitKind.REGION:
            own_parts = [k for k in kids if scores[k].kind != UnitKind.REGION]
            kids = [k for k in kids if scores[k].kind == UnitKind.REGION]
        s.own = s.points + sum((scores[k].total for k in own_parts), ZERO)
        s.children = [scores[k].code for k in kids]
        s.total = _roll(s.own, [scores[k].total for k in kids], rollup)
        if categories is not None:
            mine = categories.get(r["id"], {})
            for c in CATEGORIES:
                own_c = mine.get(c, ZERO) + sum((scores[k].categories[c] for k in own_parts), ZERO)
                s.categories[c] = _roll(own_c, [scores[k].categories[c] for k in kids], rollup)
    for s in scores.values():
        s.own = s.own.quantize(CENT, rounding=ROUND_HALF_UP)
        s.total = s.total.quantize(CENT, rounding=ROUND_HALF_UP)
        s.categories = {c: v.quantize(CENT, rounding=ROUND_HALF_UP) for c, v in s.categories.items()}
    return scores


def assign_ranks(rows: list[Any], key: str = "total") -> list[Any]:
    rows.sort(key=lambda r: (-getattr(r, key), r.code))
    previous = None
    for index, row in enumerate(rows, start=1):
        value = getattr(row, key)
        row.rank = index if value != previous else rows[index - 2].rank
        previous = value
    return rows


def check_order(order: str) -> None:
    if order not in ORDERS:
        raise ValidationFailed(_("排序方式只能是 total（总分）或 composite（千分制综合得分）"), field="order")


def office_scores(
    *, office: Unit, period: Period, rules: dict[str, Any] | None = None
) -> dict[int, UnitScore]:
    """Every active unit of the office's region with its own, total and per-category points for the period."""
    rules = rules or period_rules(office, period)
    totals, categories = unit_category_points(office=office, period=period)
    return score_tree(root=office_scope(office), points=totals, rollup=rules["rollup"], categories=categories)


def _ranked(
    scores: dict[int, UnitScore], *, root: Unit, level: str, kind: str, weights: dict[str, Any], order: str
) -> list[UnitScore]:
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
    apply_composite(rows, weights)
    return assign_ranks(rows, key=order)


def unit_ranking(
    *,
    office: Unit,
    period: Period,
    root: Unit | None = None,
    level: str = "",
    kind: str = "",
    order: str = "total",
) -> list[UnitScore]:
    """The units directly under ``root`` (default: the office's region), ranked by ``order`` (total, or the
    composite 千分制 score among the listed units); filters by level and kind.

    Receiving offices are not ranked: they assess (their own items still count in their region's 本级 score)."""
    check_order(order)
    rules = period_rules(office, period)
    scores = office_scores(office=office, period=period, rules=rules)
    return _ranked(
        scores,
        root=root or office_scope(office),
        level=level,
        kind=kind,
        weights=rules["composite"],
        order=order,
    )


@dataclass
class CompositeExplained:
    """Why a unit's composite score is what the office's ranking shows: its row, how many units were ranked with
    it, and each category's part (weight, its points, the best points, the share)."""

    row: UnitScore
    ranked: int
    shares: list[CategoryShare]


def unit_scores_explained(
    *, office: Unit, period: Period
) -> tuple[dict[int, UnitScore], dict[int, CompositeExplained]]:
    """Every unit's score (as ``office_scores``) and, for the units of the office's default ranking (no level or
    kind filter — the ranking page's first view), the breakdown of their composite score. One computation."""
    rules = period_rules(office, period)
    scores = office_scores(office=office, period=period, rules=rules)
    weights = rules["composite"]
    rows = _ranked(scores, root=office_scope(office), level="", kind="", weights=weights, order="total")
    best = best_points(rows)
    explained = {
        r.unit_id: CompositeExplained(r, len(rows), category_shares(r.categories, best, weights))
        for r in rows
    }
    return scores, explained


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
