"""Figures behind the office's dashboard (PRODUCT 3.5 item 7): points and entries by unit, by scoring rule (the
level of adoption), by month, and the imbalance between units (the seed documents complain of "数量不平衡").

Read from the same current ledger as the rankings (``ledger_entries``); callers check ``can_view_office`` first.

Beside the ledger, from the items themselves: each reporting unit's quota completion (``completion.unit_quotas``,
the figures of the quotas page; there is no map data, so the "completion map" is a sorted bar chart), and the
items submitted and adopted by item type and adopted by level of adoption, counted as the 通报 counts them
(originals submitted in the period; distinct original items credited with an adoption dated in the period)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from statistics import mean, pstdev
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from xinbao.common.choices import choice_label
from xinbao.orgs.models import Level, Unit
from xinbao.reports.models import AdoptionCredit, Report, ReportOrigin, ReportType
from xinbao.scoring.completion import unit_quotas
from xinbao.scoring.periods import Period
from xinbao.scoring.rankings import period_rules
from xinbao.scoring.rule_labels import rule_key_label
from xinbao.scoring.selectors import ledger_entries, office_scope


def _num(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)):.2f}"


def completion_by_unit(*, office: Unit, period: Period, today: date) -> list[dict[str, Any]]:
    """Reporting units' submission quota completion, highest rate first (a unit owing nothing yet — a period in
    the future — has no rate and comes last). ``under``: submitted fewer than the quota asks for."""
    quota = period_rules(office, period)["quota"]
    rows = unit_quotas(scope=office_scope(office), period=period, quota=quota, today=today)
    rows.sort(key=lambda u: (u.rate is None, -(u.rate or 0), u.code))
    return [
        {
            "unit": u.unit_id,
            "name": u.name,
            "submitted": u.submitted,
            "expected": u.expected,
            "rate": f"{u.rate:.1f}" if u.rate is not None else None,
            "under": u.rate is not None and u.submitted < u.expected,
        }
        for u in rows
    ]


def _adoptions(office: Unit, period: Period):  # type: ignore[no-untyped-def]
    return AdoptionCredit.objects.filter(
        unit__path__startswith=office_scope(office).path,
        adoption__adopted_on__gte=period.start,
        adoption__adopted_on__lte=period.end,
    )


def counts_by_type(*, office: Unit, period: Period) -> list[dict[str, Any]]:
    """Items submitted and adopted per item type, every type listed (zeros too) in the type's order."""
    submitted = dict(
        Report.objects.filter(
            unit__path__startswith=office_scope(office).path,
            origin=ReportOrigin.ORIGINAL,
            submitted_at__date__gte=period.start,
            submitted_at__date__lte=period.end,
        )
        .values("report_type")
        .annotate(n=Count("id"))
        .values_list("report_type", "n")
    )
    adopted = dict(
        _adoptions(office, period)
        .values("origin__report_type")
        .annotate(n=Count("origin_id", distinct=True))
        .values_list("origin__report_type", "n")
    )
    types = list(ReportType.values) + sorted((set(submitted) | set(adopted)) - set(ReportType.values))
    return [
        {
            "type": t,
            "label": choice_label(ReportType, t),
            "submitted": submitted.get(t, 0),
            "adopted": adopted.get(t, 0),
        }
        for t in types
    ]


def adoptions_by_level(*, office: Unit, period: Period) -> list[dict[str, Any]]:
    """Per level of the adopting office (中央 first): items adopted (an item counts once per level) and adoptions
    (one item taken into two publications of a level is two)."""
    rows = {
        r["adoption__level"]: r
        for r in _adoptions(office, period)
        .values("adoption__level")
        .annotate(items=Count("origin_id", distinct=True), adoptions=Count("adoption_id", distinct=True))
        .order_by()
    }
    levels = list(Level.values) + sorted(set(rows) - set(Level.values))
    return [
        {
            "level": lv,
            "label": choice_label(Level, lv),
            "items": rows[lv]["items"] if lv in rows else 0,
            "adoptions": rows[lv]["adoptions"] if lv in rows else 0,
        }
        for lv in levels
    ]


def dashboard_data(*, office: Unit, period: Period, today: date | None = None) -> dict[str, Any]:
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
            {
                "rule": r["rule_key"],
                "label": rule_key_label(r["rule_key"]),
                "points": _num(r["points"]),
                "entries": r["count"],
            }
            for r in rules
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
        "completion": completion_by_unit(office=office, period=period, today=today or timezone.localdate()),
        "by_type": counts_by_type(office=office, period=period),
        "by_level": adoptions_by_level(office=office, period=period),
    }
