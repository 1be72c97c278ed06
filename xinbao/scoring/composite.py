"""The composite 千分制 score (PRODUCT 3.5: "composite 千分制 weighting"): ledger kinds grouped into categories, one
weight per category in the rule set (``composite``, the weights add up to 100).

For the units of one ranking (after its level/kind filters), a unit's composite score is

    Σ over categories c:  weight[c] × 10 × max(points[c], 0) / best[c]

where ``points[c]`` is the unit's category total rolled up through the hierarchy exactly as its total is (rules
``rollup``), and ``best[c]`` is the highest such total among the ranked units. So the best unit in every category
gets 1000 and the others a share of each category's weight in proportion to their points.

- A category in which no ranked unit has positive points contributes 0 to everyone (there is no best to measure
  against).
- Negative category points (a category of penalties only: 迟报, a missed 约稿) count as 0 in the share: the
  composite rewards the best performer of each category; penalties already lower a unit's points of their own
  category, and there is no share below nothing. The total score still carries every penalty in full.

Which kinds belong to which category: penalties stay in the category of what they penalise (a 批示 feedback
given late is 约稿与反馈 work, as is a 约稿 missed; 迟报/漏报/瞒报 are 紧急信息). Cap adjustments (kind ``cap``, 封顶扣减)
count in 信息采用: caps limit what items and units earn, and those points come overwhelmingly from adoptions; a
cap is never split across categories because the ledger does not record which points it cut.
A kind a future capability adds and this table does not list counts in no category (and so not in the composite)
until it is given one here; ``test_every_ledger_kind_has_a_category`` keeps the table complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

ZERO = Decimal(0)
CENT = Decimal("0.01")

#: Categories in display order, with the ledger kinds (``events.EVENT_KINDS`` and ``cap``) each one groups.
CATEGORY_KINDS: dict[str, tuple[str, ...]] = {
    "adoption": ("adoption", "cap"),
    "instruction": ("instruction",),
    "followup": ("commission", "instruction_feedback_late"),
    "emergency": ("emergency",),
    "quota": ("quota_met",),
}
CATEGORIES = tuple(CATEGORY_KINDS)
CATEGORY_OF_KIND = {kind: category for category, kinds in CATEGORY_KINDS.items() for kind in kinds}
CATEGORY_LABELS = {
    "adoption": _("信息采用"),
    "instruction": _("领导批示"),
    "followup": _("约稿与反馈"),
    "emergency": _("紧急信息"),
    "quota": _("报送数量"),
}

#: The shipped weights. Under the shipped rule set (PRODUCT 3.5's county rule) only adoptions and 批示 earn
#: positive points: 约稿 answered, timely emergency reports and the monthly base are worth 0 and the rest are
#: penalties, which score 0 in the share. Weight on those categories would only lower every unit's maximum below
#: 1000, so the default gives it all to what the rule rewards, in the proportion offices weigh them in the published
#: assessments (采用 is the measure of information work; 批示 the sign of its value to leaders): 70 / 30. An office
#: that prices 约稿, emergency reports or the monthly base moves weight to them when it edits its rules.
DEFAULT_WEIGHTS: dict[str, int] = {
    "adoption": 70,
    "instruction": 30,
    "followup": 0,
    "emergency": 0,
    "quota": 0,
}
WEIGHT_TOTAL = Decimal(100)


def category_of(kind: str) -> str | None:
    return CATEGORY_OF_KIND.get(kind)


@dataclass(frozen=True)
class CategoryShare:
    """One category's part of a unit's composite score: ``weight × 10 × max(points, 0) / best`` (0 without a
    positive best or a weight). ``share`` is exact; the composite rounds only the sum of the shares."""

    category: str
    weight: Decimal
    points: Decimal  # the unit's rolled-up points of the category
    best: Decimal  # the highest such points among the ranked units
    share: Decimal

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self.category])

    @property
    def counted(self) -> bool:
        """Whether the category gives the unit anything to measure (a weight, a positive best, positive points)."""
        return self.share > ZERO

    @property
    def share_rounded(self) -> Decimal:
        return self.share.quantize(CENT, rounding=ROUND_HALF_UP)


def best_points(rows: Iterable[Any]) -> dict[str, Decimal]:
    """The highest rolled-up points of each category among the ranked rows (``rankings.UnitScore``)."""
    rows = list(rows)
    return {c: max((r.categories.get(c, ZERO) for r in rows), default=ZERO) for c in CATEGORIES}


def category_shares(
    categories: dict[str, Decimal], best: dict[str, Decimal], weights: dict[str, Any]
) -> list[CategoryShare]:
    """A unit's part of its composite score per category, in display order (the formula of this module)."""
    shares = []
    for category in CATEGORIES:
        weight = Decimal(str(weights.get(category, 0)))
        mine = categories.get(category, ZERO)
        share = ZERO
        if weight and best[category] > ZERO:
            share = weight * 10 * max(mine, ZERO) / best[category]
        shares.append(CategoryShare(category, weight, mine, best[category], share))
    return shares


def composite_of(shares: Iterable[CategoryShare]) -> Decimal:
    return sum((s.share for s in shares), ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def apply_composite(rows: Iterable[Any], weights: dict[str, Any]) -> None:
    """Set ``composite`` on each row (a ``rankings.UnitScore``) from its rolled-up ``categories``."""
    rows = list(rows)
    best = best_points(rows)
    for row in rows:
        row.composite = composite_of(category_shares(row.categories, best, weights))
