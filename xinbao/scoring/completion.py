"""Quotas and completion (PRODUCT 3.5): per informant (≥5 items a month, ≥1 综合分析), per unit (≥10 submitted a
month, ≥20 adopted a year), the completion rate (seed: 2457 of 3580 expected = 68.6%, "不到百分之七十"), inactive
informants and the 重点督查 list (< 6 adopted in a year). Thresholds come from the office's rule set (``quota``).

An informant is expected to deliver the monthly quota for every month of the period their registration (备案)
overlaps, up to today: someone registered in March owes nothing for January. Items count by their drafter and
first submission time, originals only (报送 = 原创稿件, as ``quotas.unit_submission_counts``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Max, Q

from xinbao.orgs.models import InformantRecord, Unit, UnitKind
from xinbao.reports.models import AdoptionCredit, Report, ReportOrigin, ReportType
from xinbao.scoring.periods import Period
from xinbao.scoring.quotas import Month


def months_in(period: Period, today: date) -> list[Month]:
    months = []
    month = Month.of(period.start)
    last = min(period.end, today)
    while month.first_day <= last:
        months.append(month)
        month = month.next
    return months


def rate(done: int, expected: int) -> Decimal | None:
    if not expected:
        return None
    return (Decimal(done) * 100 / Decimal(expected)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class InformantRow:
    person_id: int
    name: str
    username: str
    unit_id: int
    unit_name: str
    months: int
    expected: int
    submitted: int
    analysis: int
    months_met: int
    rate: Decimal | None
    last_submitted: Any = None


@dataclass
class Completion:
    rows: list[InformantRow] = field(default_factory=list)
    expected: int = 0
    submitted: int = 0

    @property
    def rate(self) -> Decimal | None:
        return rate(self.submitted, self.expected)

    @property
    def informants(self) -> int:
        return len({r.person_id for r in self.rows})


def _records(scope: Unit, period: Period) -> list[InformantRecord]:
    return list(
        InformantRecord.objects.filter(unit__path__startswith=scope.path, start_date__lte=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .select_related("person", "unit")
        .order_by("unit__path", "person__username", "start_date")
    )


def _overlaps(record: InformantRecord, month: Month) -> bool:
    end = month.next.first_day - timedelta(days=1)
    return record.start_date <= end and (record.end_date is None or record.end_date >= month.first_day)


def informant_completion(*, scope: Unit, period: Period, quota: dict[str, Any], today: date) -> Completion:
    months = months_in(period, today)
    records = _records(scope, period)
    people = sorted({r.person_id for r in records})
    start, _ = Month.of(period.start).bounds()
    _, end = Month.of(min(period.end, today)).bounds()
    counts: dict[tuple[int, int, int], tuple[int, int]] = {}
    last_seen: dict[int, Any] = {}
    from django.db.models.functions import ExtractMonth, ExtractYear

    rows = (
        Report.objects.filter(
            created_by_id__in=people,
            origin=ReportOrigin.ORIGINAL,
            submitted_at__gte=start,
            submitted_at__lt=end,
        )
        .annotate(y=ExtractYear("submitted_at"), m=ExtractMonth("submitted_at"))
        .values("created_by_id", "y", "m")
        .annotate(
            n=Count("id"), a=Count("id", filter=Q(report_type=ReportType.ANALYSIS)), last=Max("submitted_at")
        )
        .order_by()
    )
    for r in rows:
        counts[(r["created_by_id"], r["y"], r["m"])] = (r["n"], r["a"])
        if last_seen.get(r["created_by_id"]) is None or r["last"] > last_seen[r["created_by_id"]]:
            last_seen[r["created_by_id"]] = r["last"]
    per_month = int(quota["informant_monthly"])
    analysis_min = int(quota["informant_monthly_analysis"])
    result = Completion()
    seen: set[int] = set()
    for record in records:
        if record.person_id in seen:
            continue  # a person registered twice in the period (moved unit) is counted once, at the first unit
        seen.add(record.person_id)
        own = [m for m in months if any(_overlaps(r, m) for r in records if r.person_id == record.person_id)]
        submitted = analysis = met = 0
        for m in own:
            n, a = counts.get((record.person_id, m.year, m.month), (0, 0))
            submitted += n
            analysis += a
            met += n >= per_month and a >= analysis_min
        expected = len(own) * per_month
        result.rows.append(
            InformantRow(
                record.person_id,
                record.person.full_name,
                record.person.username,
                record.unit_id,
                record.unit.display_name,
                len(own),
                expected,
                submitted,
                analysis,
                met,
                rate(submitted, expected),
                last_seen.get(record.person_id),
            )
        )
        result.expected += expected
        result.submitted += submitted
    return result


def inactive_informants(*, scope: Unit, today: date, days: int) -> list[InformantRow]:
    """Registered informants with no submitted item in the last ``days`` days (oldest silence first)."""
    period = Period(today - timedelta(days=days), today, "", "range")
    cutoff = today - timedelta(days=days)
    records = [r for r in _records(scope, period) if r.end_date is None]
    last = dict(
        Report.objects.filter(created_by_id__in=[r.person_id for r in records], submitted_at__isnull=False)
        .values("created_by_id")
        .annotate(last=Max("submitted_at"))
        .values_list("created_by_id", "last")
    )
    out = []
    for r in records:
        seen = last.get(r.person_id)
        if seen is None or seen.date() <= cutoff:
            out.append(
                InformantRow(
                    r.person_id,
                    r.person.full_name,
                    r.person.username,
                    r.unit_id,
                    r.unit.display_name,
                    0,
                    0,
                    0,
                    0,
                    0,
                    None,
                    seen,
                )
            )
    out.sort(key=lambda row: (row.last_submitted is not None, row.last_submitted or 0, row.username))
    return out


@dataclass
class UnitQuotaRow:
    unit_id: int
    code: str
    name: str
    submitted: int
    expected: int
    months_met: int
    adopted: int
    adopted_target: int
    rate: Decimal | None
    supervise: bool


def reporting_units(scope: Unit) -> list[Unit]:
    """Units that report (not regions, not the receiving offices that assess them)."""
    return list(
        Unit.objects.filter(path__startswith=scope.path, is_active=True, is_receiving_office=False)
        .exclude(kind=UnitKind.REGION)
        .order_by("path")
    )


def unit_quotas(*, scope: Unit, period: Period, quota: dict[str, Any], today: date) -> list[UnitQuotaRow]:
    """Per unit: originals submitted against ``unit_monthly`` × months, items adopted in the period's year(s)
    against ``unit_yearly_adopted``; a unit below ``supervision_floor`` adopted items goes on the 重点督查 list."""
    units = reporting_units(scope)
    months = months_in(period, today)
    start, _ = Month.of(period.start).bounds()
    _, end = Month.of(min(period.end, today)).bounds() if months else (None, start)
    from django.db.models.functions import ExtractMonth, ExtractYear

    monthly: dict[int, list[int]] = {}
    for r in (
        Report.objects.filter(
            unit__in=units, origin=ReportOrigin.ORIGINAL, submitted_at__gte=start, submitted_at__lt=end
        )
        .annotate(y=ExtractYear("submitted_at"), m=ExtractMonth("submitted_at"))
        .values("unit_id", "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    ):
        monthly.setdefault(r["unit_id"], []).append(r["n"])
    adopted = dict(
        AdoptionCredit.objects.filter(
            unit__in=units, adoption__adopted_on__gte=period.start, adoption__adopted_on__lte=period.end
        )
        .values("unit_id")
        .annotate(n=Count("origin_id", distinct=True))
        .values_list("unit_id", "n")
    )
    per_month = int(quota["unit_monthly"])
    years = len(period.years)
    rows = []
    for u in units:
        counts = monthly.get(u.pk, [])
        submitted = sum(counts)
        expected = per_month * len(months)
        n_adopted = adopted.get(u.pk, 0)
        rows.append(
            UnitQuotaRow(
                u.pk,
                u.code,
                u.display_name,
                submitted,
                expected,
                sum(1 for n in counts if n >= per_month),
                n_adopted,
                int(quota["unit_yearly_adopted"]) * years,
                rate(submitted, expected),
                n_adopted < int(quota["supervision_floor"]) * years,
            )
        )
    return rows
