"""Adoption events from ``reports.AdoptionCredit`` (PRODUCT 3.1/3.5).

Each credit is one adoption of an item credited to one originating item and its unit: adoption of a forwarded (转报)
item above is credited back to the original, a combined (综合) adoption to every source. Points go to the credited
unit and are shared by the original item's authors (its drafter when it names none)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from xinbao.reports.models import AdoptionCredit, ReportOrigin
from xinbao.scoring.events import ScoringEvent, Window

CHUNK = 2000

#: Keywords of publication names, first match wins (专报 before 简报: "信息专报" is a 专报).
PUBLICATION_KEYWORDS = (
    ("专报", "special"),
    ("要情", "daily"),
    ("每日", "daily"),
    ("简报", "bulletin"),
    ("图片", "website_picture"),
    ("网站", "website_text"),
    ("网", "website_text"),
)
PARTY_CENTRAL_KEYWORDS = ("中办", "中共中央办公厅", "中央办公厅")


def publication_kind(name: str) -> str:
    for keyword, kind in PUBLICATION_KEYWORDS:
        if keyword in name:
            return kind
    return "other"


def adopter_of(level: str, office_kind: str | None, publication: str) -> str:
    """The rule key of who adopted: the level, with 中办 (party) and 国办 (government) apart at the centre.

    An adoption recorded from outside the system has no office; its publication's name tells 中办 from 国办, and
    when it does not, the lower 国办 value applies (an office must not gain points it cannot prove)."""
    if level != "central":
        return level
    if office_kind == "party_office" or any(k in publication for k in PARTY_CENTRAL_KEYWORDS):
        return "central_party"
    return "central_gov"


def _rows(window: Window) -> Iterator[dict[str, Any]]:
    return (
        AdoptionCredit.objects.filter(
            unit__path__startswith=window.scope_path,
            adoption__adopted_on__gte=window.start,
            adoption__adopted_on__lte=window.end,
        )
        .order_by("origin_id", "adoption__adopted_on", "adoption_id", "id")
        .values(
            "id",
            "origin_id",
            "origin__created_by_id",
            "unit_id",
            "adoption_id",
            "adoption__report_id",
            "adoption__report__origin",
            "adoption__level",
            "adoption__office__kind",
            "adoption__mode",
            "adoption__publication",
            "adoption__adopted_on",
        )
        .iterator(chunk_size=CHUNK)
    )


def _authors(origin_ids: list[int]) -> dict[int, tuple[int, ...]]:
    from xinbao.reports.models import Report

    through = Report.authors.through
    found: dict[int, list[int]] = {}
    for report_id, user_id in (
        through.objects.filter(report_id__in=origin_ids)
        .order_by("report_id", "user_id")
        .values_list("report_id", "user_id")
    ):
        found.setdefault(report_id, []).append(user_id)
    return {k: tuple(v) for k, v in found.items()}


def _printed_kinds(adoption_ids: list[int]) -> dict[int, str]:
    """The series kind of adoptions printed in a published bulletin issue (``bulletins.scoring_events``)."""
    from django.apps import apps

    if not apps.is_installed("xinbao.bulletins"):
        return {}
    from xinbao.bulletins.scoring_events import printed_publication_kinds

    return printed_publication_kinds(adoption_ids)


def _events(rows: list[dict[str, Any]]) -> Iterator[ScoringEvent]:
    authors = _authors(sorted({r["origin_id"] for r in rows}))
    printed = _printed_kinds(sorted({r["adoption_id"] for r in rows}))
    for r in rows:
        publication = r["adoption__publication"] or ""
        forwarded = (
            r["adoption__report_id"] != r["origin_id"]
            and r["adoption__report__origin"] == ReportOrigin.FORWARDED
        )
        yield ScoringEvent(
            kind="adoption",
            unit_id=r["unit_id"],
            day=r["adoption__adopted_on"],
            source_type="reports.adoptioncredit",
            source_id=r["id"],
            people=authors.get(r["origin_id"]) or (r["origin__created_by_id"],),
            group=f"report:{r['origin_id']}",
            attrs={
                "adopter": adopter_of(r["adoption__level"], r["adoption__office__kind"], publication),
                "mode": r["adoption__mode"],
                # A printed issue's series kind beats a guess from the publication's name.
                "publication_kind": printed.get(r["adoption_id"]) or publication_kind(publication),
                "forwarded": forwarded,
                "report_id": r["origin_id"],
            },
            note=publication[:60],
        )


def adoption_events(window: Window) -> Iterator[ScoringEvent]:
    """Ordered by original item, then date: the credits of one item are contiguous (one group)."""
    batch: list[dict[str, Any]] = []
    for row in _rows(window):
        batch.append(row)
        if len(batch) >= CHUNK:
            yield from _events(batch)
            batch = []
    if batch:
        yield from _events(batch)
