"""Monthly submission quotas (报送任务数) and whether a unit has met them (PRODUCT 3.5).

The figures are the shipped defaults from the seed documents — a reporting unit submits at least 10 items a month,
an informant at least 5 — set per deployment with ``XINBAO_UNIT_MONTHLY_QUOTA`` / ``XINBAO_INFORMANT_MONTHLY_QUOTA``.
The office inbox filters by them today ("which of this month's items come from units still short of their quota");
per-office, per-year rule sets replace the settings when the scoring capability lands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from xinbao.reports.models import Report, ReportOrigin


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next(self) -> Month:
        return Month(self.year + (self.month == 12), self.month % 12 + 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes in the site's time zone (Asia/Shanghai)."""
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.first_day, time.min, tzinfo=zone)
        end = datetime.combine(self.next.first_day, time.min, tzinfo=zone)
        return start, end


def unit_monthly_quota() -> int:
    return settings.UNIT_MONTHLY_QUOTA


def informant_monthly_quota() -> int:
    return settings.INFORMANT_MONTHLY_QUOTA


def unit_submission_counts(month: Month) -> QuerySet:
    """Items each unit submitted in the month (first submission time), as rows of ``unit_id`` and ``n``.

    Forwarded and combined items are the receiving office's own work, not the lower unit's quota, so only
    originals count — the same rule the seed's completion figures use (报送 = 原创稿件)."""
    start, end = month.bounds()
    return (
        Report.objects.filter(submitted_at__gte=start, submitted_at__lt=end, origin=ReportOrigin.ORIGINAL)
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def units_meeting_quota(month: Month) -> QuerySet:
    """Ids of units whose submissions this month reached the quota (a subquery: nothing is loaded)."""
    return unit_submission_counts(month).filter(n__gte=unit_monthly_quota()).values("unit_id")


#: Values of the inbox's quota filter.
QUOTA_BELOW = "below"
QUOTA_MET = "met"
