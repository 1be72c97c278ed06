"""Character-level diffs, which suit Chinese (no spaces between words), and the lineage of an item across levels.

"报到市一级已面目全非" (PRODUCT 3.1) becomes a number: the share of text changed on each hop between levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from xinbao.reports.models import Report, ReportOrigin, ReportSource, Revision


@dataclass(frozen=True)
class Segment:
    op: str  # "equal" | "insert" | "delete"
    text: str


def char_diff(old: str, new: str) -> list[Segment]:
    # autojunk off: in Chinese text the most common characters (的, 了, ，) are content, not noise.
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", old[i1:i2]))
        else:
            if i2 > i1:
                segments.append(Segment("delete", old[i1:i2]))
            if j2 > j1:
                segments.append(Segment("insert", new[j1:j2]))
    return segments


def change_ratio(old: str, new: str) -> float:
    """Share of text changed, 0 (identical) .. 1 (nothing in common)."""
    if not old and not new:
        return 0.0
    return round(1.0 - SequenceMatcher(None, old, new, autojunk=False).ratio(), 4)


def revision_text(rev: Revision) -> str:
    return f"{rev.title}\n{rev.body}"


@dataclass(frozen=True)
class Hop:
    level: str
    unit_name: str
    revision: Revision
    change_from_previous: float | None
    #: A level that adopted the text as it arrived: no revision of its own, shown so the path is complete.
    unchanged: bool = False


def lineage_revisions(report: Report) -> list[Revision]:
    """The revisions along the main line that led to ``report``: for a forwarded item its source's revisions up to
    the one that was forwarded, then its own. For a combined item the first source is followed (each source's own
    line is shown from the source's page)."""
    chain: list[Revision] = []
    current: Report | None = report
    upto: int | None = None
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        revs = list(current.revisions.select_related("unit", "author").order_by("number"))
        if upto is not None:
            revs = [r for r in revs if r.number <= upto]
        chain = revs + chain
        link = ReportSource.objects.filter(report=current).select_related("source", "source_revision").first()
        if link is None:
            break
        current = link.source
        upto = link.source_revision.number if link.source_revision else None
    return chain


def lineage_hops(report: Report) -> list[Hop]:
    """One hop per level: the text as it left each level, with the share changed since the level below."""
    hops: list[Hop] = []
    last_by_level: list[Revision] = []
    for rev in lineage_revisions(report):
        if last_by_level and last_by_level[-1].level == rev.level:
            last_by_level[-1] = rev
        else:
            last_by_level.append(rev)
    previous: Revision | None = None
    for rev in last_by_level:
        ratio = change_ratio(revision_text(previous), revision_text(rev)) if previous else None
        hops.append(Hop(rev.level, rev.unit.name, rev, ratio))
        previous = rev
    if previous is not None:
        hops.extend(_unchanged_adoption_hops(report, previous, {h.level for h in hops}))
    return hops


def _unchanged_adoption_hops(report: Report, last: Revision, seen_levels: set[str]) -> list[Hop]:
    """Levels above the last edit that adopted ``report`` without changing it (in the system or recorded from
    outside) — "adopted at the city as written" is part of the path the informant wants to see."""
    from xinbao.orgs.models import LEVEL_RANK, Level

    extra: dict[str, Hop] = {}
    for adoption in report.adoptions.select_related("office").order_by("adopted_on", "id"):
        if adoption.level in seen_levels or adoption.level in extra or adoption.level not in Level.values:
            continue
        if (
            LEVEL_RANK[Level(adoption.level)] >= LEVEL_RANK[Level(last.level)]
            if last.level in Level.values
            else False
        ):
            continue
        name = adoption.office.name if adoption.office else adoption.publication
        extra[adoption.level] = Hop(adoption.level, name, last, 0.0, unchanged=True)
    return sorted(extra.values(), key=lambda h: -LEVEL_RANK[Level(h.level)])


def lineage_tips(report: Report) -> list[Report]:
    """The items furthest up the forwarding (转报) chains that started from ``report``; ``[report]`` when it was not
    forwarded. The original's page shows ``lineage_hops(tip)`` for each so its informant sees what became of the
    text on the way up. 综合 links are not followed: a combined item carries other units' text, which the
    original's authors have no claim to see."""
    tips: list[Report] = []
    frontier = [report]
    seen: set[int] = set()
    while frontier:
        current = frontier.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        derived = [
            link.report
            for link in ReportSource.objects.filter(source=current, kind=ReportOrigin.FORWARDED)
            .select_related("report")
            .order_by("report_id")
        ]
        if derived:
            frontier.extend(derived)
        else:
            tips.append(current)
    return sorted(tips, key=lambda r: r.pk)


def lineage_paths(report: Report) -> list[tuple[Report, list[Hop]]]:
    """The whole lineage through ``report``: one path per forwarding chain that started from it, each from the
    original up to the last level the text reached. The page and the API both show this to anyone who may see
    ``report``: the lower levels' texts flowed up to them, and the higher levels' texts are what became of their
    own (the credit line the informant follows, PRODUCT 3.1)."""
    return [(tip, lineage_hops(tip)) for tip in lineage_tips(report)]
