"""Monthly base score for meeting the submission quota (PRODUCT 3.5 variant: "a monthly base score for meeting
the quota"). Emitted only when the rule set gives the base a value."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date

from xinbao.scoring.events import ScoringEvent, Window
from xinbao.scoring.quotas import Month, unit_submission_counts


def quota_met_events(window: Window) -> Iterator[ScoringEvent]:
    quota = window.rules.get("quota", {})
    if not quota.get("monthly_base"):
        return
    threshold = int(quota.get("unit_monthly", 0))
    month = Month.of(window.start)
    while month.first_day <= window.end:
        last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
        rows = (
            unit_submission_counts(month)
            .filter(unit__path__startswith=window.scope_path, n__gte=max(threshold, 1))
            .order_by("unit_id")
        )
        for row in rows:
            key = month.year * 100 + month.month
            yield ScoringEvent(
                kind="quota_met",
                unit_id=row["unit_id"],
                day=min(last, window.end),
                source_type="scoring.quota",
                source_id=key,
                group=f"quota:{row['unit_id']}:{key}",
                attrs={"submitted": row["n"]},
                note=f"{month.year}-{month.month:02d}",
            )
        month = month.next
