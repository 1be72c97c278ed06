"""What bulletins add to the scoring ledger (PRODUCT 3.2, 3.5): the real publication kind of printed adoptions.

Publishing an issue already records an ``reports.Adoption`` for every entry (``services.publish``: the series
name, the printed mode, credited to the origins through ``AdoptionCredit``), and the adoption source prices those.
A separate "publication" event here would count one printed item twice, so bulletins yields **no events of its
own**; instead the adoption source asks this module for the series kind of each adoption printed in a published
issue and uses it instead of guessing from keywords of the publication's name. 系统刊物 and 其他 series have no
rule kind of their own: the name keywords still decide for them.
"""

from __future__ import annotations

from xinbao.bulletins.models import IssueEntry, IssueState, SeriesKind

#: Series kind -> ``scoring.rules.PUBLICATION_KINDS`` key.
SERIES_PUBLICATION_KIND = {
    SeriesKind.SPECIAL: "special",
    SeriesKind.BRIEFING: "bulletin",
    SeriesKind.DAILY: "daily",
}


def printed_publication_kinds(adoption_ids: list[int]) -> dict[int, str]:
    """adoption id -> publication kind, for adoptions printed in a published issue of a 专报/简报/每日要情 series.

    An adoption printed in several issues takes the first published one (by publication time, then id)."""
    found: dict[int, str] = {}
    rows = (
        IssueEntry.objects.filter(adoption_id__in=adoption_ids, issue__state=IssueState.PUBLISHED)
        .order_by("adoption_id", "issue__published_at", "issue_id")
        .values_list("adoption_id", "issue__series__kind")
    )
    for adoption_id, kind in rows:
        if adoption_id not in found and kind in SERIES_PUBLICATION_KIND:
            found[adoption_id] = SERIES_PUBLICATION_KIND[kind]
    return found
