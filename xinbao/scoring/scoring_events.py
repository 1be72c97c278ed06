"""The scoring events this app can read today: adoptions credited to their originating items (reports) and
monthly quotas met. Other capabilities add theirs in their own ``scoring_events.py`` (see ``events``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from xinbao.scoring.events import Window, register_links, register_source
from xinbao.scoring.sources.adoptions import adoption_events
from xinbao.scoring.sources.quota import quota_met_events

__all__ = ["adoption_links", "adoptions", "quota_met"]


@register_source("reports.adoptions")
def adoptions(window: Window) -> Iterator:
    return adoption_events(window)


@register_source("scoring.quota_met")
def quota_met(window: Window) -> Iterator:
    return quota_met_events(window)


@register_links("reports.adoptioncredit")
def adoption_links(ids: list[int]) -> dict[int, str]:
    """An adoption entry links to the credited original item."""
    from xinbao.reports.models import AdoptionCredit

    pairs = AdoptionCredit.objects.filter(pk__in=ids).values_list("pk", "origin_id")
    return {pk: reverse("reports:detail", args=[origin]) for pk, origin in pairs}
