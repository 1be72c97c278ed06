"""Figures behind the office's dashboard (PRODUCT 3.5 item 7): points and entries by unit, by scoring rule (the
level of adoption), by month, and the imbalance between units (the seed documents complain of "数量不平衡").

Read from the same current ledger as the rankings (``ledger_entries``); callers check ``can_view_office`` first."""

from __future__ import annotations

from decimal import Decimal
from statistics import mean, pstdev
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from xinbao.orgs.models import Unit
from xinbao.scoring.periods import Period
from xinbao.scoring.selectors import ledger_entries


def _num(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)):.2f}"


def dashboard_data(*, office: Unit, period: Period) -> dict[str, Any]:
    """JSON-ready figures; units sorted by points (descending), months ascending.

    Imbalance: entries per unit that has any entry in the period, with their mean and population standard deviation
    (the spread) — a unit with no entry is not in the ledger, so it cannot be told apart from one outside the scope.
    """
    entries = ledger_entries(office=office, period=period)
    units = list(
        entries.values("unit_id", "unit__name")
        .annotate(points=Sum("points"), count=Count("id"))
        .order_by("-points", "unit__name")
    )
    rules = list(
        entries.values("rule_key").annotate(points=Sum("points"), count=Count("id")).order_by("rule_key")
    )
    months = list(
        entries.annotate(month=TruncMonth("event_date"))
        .values("month")
        .annotate(points=Sum("points"), count=Count("id"))
        .order_by("month")
    )
    counts = [row["count"] for row in units]
    return {
        "office": office.pk,
        "period": period.code,
        "by_unit": [
            {
                "unit": r["unit_id"],
                "name": r["unit__name"],
                "points": _num(r["points"]),
                "entries": r["count"],
            }
            for r in units
        ],
        "by_rule": [
            {"rule": r["rule_key"], "points": _num(r["points"]), "entries": r["count"]} for r in rules
        ],
        "by_month": [
            {"month": r["month"].strftime("%Y-%m"), "points": _num(r["points"]), "entries": r["count"]}
            for r in months
        ],
        "imbalance": {
            "units": len(counts),
            "mean": f"{mean(counts):.2f}" if counts else "0.00",
            "spread": f"{pstdev(counts):.2f}" if counts else "0.00",
            "max": max(counts, default=0),
            "min": min(counts, default=0),
        },
    }
