"""Hourly scoring sweep: rebuild this year's ledger of every office whose inputs changed since its last build.

Which offices: those taking part in scoring this year, i.e. holding a rule set for it (``ruleset_ensure`` creates
one the first time the office's ranking is built or its rules are opened).

How "changed" is known cheaply: one ``Max(updated_at)`` per input table (``INPUT_TABLES``: every table an event
source reads, plus the rule sets), taken once per sweep over all regions, compared with the ``created_at`` of
the office's current build (its *start*: a row written while it ran is caught next hour). This is coarse — a
change in one county also rebuilds the others with older builds — but costs a handful of indexed aggregates per
hour instead of per-region joins, and a rebuild is idempotent and deterministic, so an unneeded one changes
nothing but the build row. Two things leave no newer row and are covered by a daily rebuild instead: deleted
rows, and outcomes that turn with the clock (a 约稿 deadline or 首报 deadline passing). So an office is also
rebuilt when its current build started on an earlier day (Asia/Shanghai).
"""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.db.models import Max
from django.utils import timezone

from xinbao.common.sweeps import register

#: Tables whose rows the registered event sources read ("app_label.Model"); an app not installed is skipped.
INPUT_TABLES = (
    "scoring.RuleSet",
    "reports.Report",
    "reports.Submission",
    "reports.Adoption",
    "reports.AdoptionCredit",
    "reports.ReportSource",
    "bulletins.Issue",
    "bulletins.IssueEntry",
    "followups.Instruction",
    "followups.AssignmentTarget",
    "followups.Commission",
    "followups.CommissionTarget",
    "emergencies.Incident",
    "emergencies.Deadline",
    "emergencies.ReportingIssue",
)


def inputs_changed_at() -> datetime | None:
    """The latest ``updated_at`` over every input table (None when all are empty)."""
    latest: datetime | None = None
    for label in INPUT_TABLES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        value = model.objects.aggregate(m=Max("updated_at"))["m"]
        if value is not None and (latest is None or value > latest):
            latest = value
    return latest


def stale_offices(year: int) -> list[int]:
    """Ids of the offices scoring ``year`` whose current build is missing, older than the newest input change, or
    from an earlier day."""
    from xinbao.scoring.models import LedgerBuild, RuleSet

    changed = inputs_changed_at()
    today = timezone.localdate()
    office_ids = sorted(set(RuleSet.objects.filter(year=year).values_list("office_id", flat=True)))
    built = dict(
        LedgerBuild.objects.filter(year=year, is_current=True, office_id__in=office_ids).values_list(
            "office_id", "created_at"
        )
    )
    stale = []
    for office_id in office_ids:
        started = built.get(office_id)
        if (
            started is None
            or (changed is not None and changed >= started)
            or timezone.localdate(started) < today
        ):
            stale.append(office_id)
    return stale


def scoring_sweep() -> tuple[int, int]:
    """Rebuild the stale ledgers of the current year; returns (rebuilt, failed). One office failing (e.g. its
    rules became invalid) does not stop the others; it is retried next hour."""
    from xinbao.orgs.models import Unit
    from xinbao.scoring.services import ledger_rebuild

    year = timezone.localdate().year
    rebuilt = failed = 0
    for office in Unit.objects.filter(pk__in=stale_offices(year)).order_by("pk"):
        try:
            ledger_rebuild(actor=None, office=office, year=year)
        except Exception:  # one office failing must not stop the others
            import logging

            logging.getLogger(__name__).exception("scoring sweep: rebuild of office %s failed", office.pk)
            failed += 1
        else:
            rebuilt += 1
    return rebuilt, failed


@register("scoring", every_seconds=3600)
def sweep() -> str:
    rebuilt, failed = scoring_sweep()
    return f"rebuilt={rebuilt} failed={failed}"
