"""Scoring events of follow-up work (PRODUCT 3.3, 3.5): 批示, late 批示 feedback and 约稿 outcomes.

Business rules decided here:

* A 批示 counts for the unit(s) the item originally came from (``reports.services.review.origins_of``), like an
  adoption: a 市 leader's 批示 on the county's forwarded item is credited back to the township that wrote it, and
  is shared by the original item's authors (its drafter when it names none). It counts in every ledger whose
  region holds that origin unit, on the 批示's date, whoever recorded it.
* An assignment target is late (``instruction_feedback_late``, against the assigned unit, dated on its due date)
  when it was closed but not on time, or is still open after its due date.
* A 约稿 (kind ``topic`` only: a 信息需求要点 is a standing list of wanted topics, not an order to answer) gives one
  outcome per target unit, dated on the deadline: ``answered`` (first answer on or before the deadline),
  ``late`` (after it) or ``missed`` (none, and the deadline has passed). Before the deadline an unanswered target
  has no event yet. "Passed" is judged against today's date in Asia/Shanghai, so the ledger moves when a deadline
  passes (the hourly scoring sweep sees no changed row then; the nightly/manual rebuild does).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from xinbao.followups.models import AssignmentTarget, CommissionKind, CommissionTarget, Instruction
from xinbao.scoring.events import ScoringEvent, Window, register_links, register_source


def _origins(report_ids: list[int]) -> dict[int, list[tuple[int, int, int]]]:
    """report id -> [(origin id, origin unit id, origin drafter id)], following 转报/综合 links to the originals."""
    from xinbao.reports.models import ReportSource

    links: dict[int, list[int]] = {}
    frontier = set(report_ids)
    seen: set[int] = set()
    while frontier - seen:
        batch = sorted(frontier - seen)
        seen.update(batch)
        for report_id, source_id in ReportSource.objects.filter(report_id__in=batch).values_list(
            "report_id", "source_id"
        ):
            links.setdefault(report_id, []).append(source_id)
            frontier.add(source_id)

    def roots(report_id: int, path: frozenset[int]) -> set[int]:
        sources = [s for s in links.get(report_id, []) if s not in path]
        if not sources:
            return {report_id}
        return set().union(*(roots(s, path | {s}) for s in sources))

    from xinbao.reports.models import Report

    by_report = {r: sorted(roots(r, frozenset({r}))) for r in report_ids}
    info = {
        pk: (unit_id, created_by_id)
        for pk, unit_id, created_by_id in Report.objects.filter(
            pk__in={o for os in by_report.values() for o in os}
        ).values_list("pk", "unit_id", "created_by_id")
    }
    return {r: [(o, *info[o]) for o in origins] for r, origins in by_report.items()}


def _authors(origin_ids: list[int]) -> dict[int, tuple[int, ...]]:
    from xinbao.reports.models import Report

    found: dict[int, list[int]] = {}
    for report_id, user_id in (
        Report.authors.through.objects.filter(report_id__in=origin_ids)
        .order_by("report_id", "user_id")
        .values_list("report_id", "user_id")
    ):
        found.setdefault(report_id, []).append(user_id)
    return {k: tuple(v) for k, v in found.items()}


@register_source("followups.instructions")
def instruction_events(window: Window) -> Iterator[ScoringEvent]:
    """One event per 批示 and origin unit in the region, ordered by original item, date, 批示: one group per item.

    A year's 批示 of one region are a few hundred rows, so they are read at once and sorted by origin."""
    rows = list(
        Instruction.objects.filter(instructed_on__gte=window.start, instructed_on__lte=window.end)
        .order_by("pk")
        .values_list("pk", "report_id", "rank", "instructed_on", "leader_name")
    )
    origins = _origins(sorted({r[1] for r in rows}))
    events = []
    for pk, report_id, rank, day, leader in rows:
        for origin_id, unit_id, drafter_id in origins[report_id]:
            events.append((origin_id, day, pk, unit_id, drafter_id, rank, leader))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    unit_paths = _paths({e[3] for e in events})
    authors = _authors(sorted({e[0] for e in events}))
    for origin_id, day, pk, unit_id, drafter_id, rank, leader in events:
        if not unit_paths.get(unit_id, "").startswith(window.scope_path):
            continue
        yield ScoringEvent(
            kind="instruction",
            unit_id=unit_id,
            day=day,
            source_type="followups.instruction",
            source_id=pk,
            people=authors.get(origin_id) or (drafter_id,),
            group=f"report:{origin_id}",
            attrs={"leader_rank": rank, "report_id": origin_id},
            note=leader[:60],
        )


def _paths(unit_ids: set[int]) -> dict[int, str]:
    from xinbao.orgs.models import Unit

    return dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path"))


@register_source("followups.feedback_late")
def feedback_late_events(window: Window) -> Iterator[ScoringEvent]:
    today = timezone.localdate()
    late = Q(closed_on_time=False) | Q(closed_at__isnull=True, due_on__lt=today)
    for pk, unit_id, due_on, report_id in (
        AssignmentTarget.objects.filter(
            late,
            unit__path__startswith=window.scope_path,
            due_on__gte=window.start,
            due_on__lte=window.end,
        )
        .order_by("due_on", "pk")
        .values_list("pk", "unit_id", "due_on", "assignment__instruction__report_id")
        .iterator()
    ):
        yield ScoringEvent(
            kind="instruction_feedback_late",
            unit_id=unit_id,
            day=due_on,
            source_type="followups.assignmenttarget",
            source_id=pk,
            group=f"assignmenttarget:{pk}",
            attrs={"report_id": report_id},
        )


def commission_outcome(answered_on: date | None, deadline: date, today: date) -> str | None:
    if answered_on is not None:
        return "answered" if answered_on <= deadline else "late"
    return "missed" if deadline < today else None


@register_source("followups.commissions")
def commission_events(window: Window) -> Iterator[ScoringEvent]:
    today = timezone.localdate()
    for pk, unit_id, deadline, answered_at, title in (
        CommissionTarget.objects.filter(
            unit__path__startswith=window.scope_path,
            commission__kind=CommissionKind.TOPIC,
            commission__deadline__gte=window.start,
            commission__deadline__lte=window.end,
        )
        .order_by("commission__deadline", "commission_id", "pk")
        .values_list("pk", "unit_id", "commission__deadline", "answered_at", "commission__title")
        .iterator()
    ):
        answered_on = timezone.localdate(answered_at) if answered_at is not None else None
        outcome = commission_outcome(answered_on, deadline, today)
        if outcome is None:
            continue
        yield ScoringEvent(
            kind="commission",
            unit_id=unit_id,
            day=deadline,
            source_type="followups.commissiontarget",
            source_id=pk,
            group=f"commissiontarget:{pk}",
            attrs={"outcome": outcome},
            note=title[:60],
        )


@register_links("followups.instruction")
def instruction_links(ids: list[int]) -> dict[int, str]:
    return {pk: reverse("followups:instruction", args=[pk]) for pk in ids}


@register_links("followups.assignmenttarget")
def target_links(ids: list[int]) -> dict[int, str]:
    return {pk: reverse("followups:target", args=[pk]) for pk in ids}


@register_links("followups.commissiontarget")
def commission_links(ids: list[int]) -> dict[int, str]:
    pairs = CommissionTarget.objects.filter(pk__in=ids).values_list("pk", "commission_id")
    return {pk: reverse("followups:commission", args=[c]) for pk, c in pairs}
