"""Scoring events and the registry through which every capability contributes them (PRODUCT 3.5).

A capability that produces points (reports: adoptions; bulletins: 批示; followups: 约稿 and 批示 feedback;
emergencies: 迟报/漏报/瞒报) puts a ``scoring_events.py`` module in its app with one or more sources::

    from xinbao.scoring.events import ScoringEvent, Window, register_source

    @register_source("instructions")
    def instruction_events(window: Window):
        for row in ...:  # ordered by group, then date, then id: deterministic
            yield ScoringEvent(kind="instruction", unit_id=..., people=(...), day=..., source_type="bulletins.instruction",
                               source_id=row.pk, group=f"report:{row.report_id}", attrs={"leader_rank": "province"})

and, so that every ledger entry links to the page behind it::

    @register_links("followups.instruction")
    def instruction_links(ids):
        return {pk: reverse("followups:instruction", args=[pk]) for pk in ids}

The scoring app discovers those modules like the demo seed registry does. A source yields the events of the
window (units under ``window.scope_path``, dates within ``window.start``..``window.end``) **in a fixed order, with the
events of one group contiguous** — the engine takes "highest only", first/further 批示 and per-item caps per group
while streaming, without holding a year in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.module_loading import autodiscover_modules

#: Event kinds the engine prices, with the attributes each one reads from ``attrs``.
EVENT_KINDS = {
    # adopter: one of rules.ADOPTERS; mode: full/partial/combined; publication_kind: rules.PUBLICATION_KINDS;
    # forwarded: the adopted item was made from the credited one by 转报.
    "adoption": ("adopter", "mode", "publication_kind", "forwarded"),
    "instruction": ("leader_rank",),  # leader_rank: one of rules.LEADER_RANKS
    "instruction_feedback_late": (),
    "commission": ("outcome",),  # outcome: answered / late / missed
    "emergency": ("outcome", "minutes_late"),  # outcome: timely / late / missed / concealed
    "quota_met": (),  # the unit met its monthly submission quota
}


@dataclass(frozen=True)
class Window:
    """What one ledger covers: the assessing office, its region's path prefix and the year's dates."""

    office_id: int
    scope_path: str
    start: date
    end: date  # inclusive
    #: The normalised rule document (``rules.validate_rules``): a source may skip work a rule makes worthless.
    rules: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ScoringEvent:
    kind: str
    unit_id: int
    day: date
    source_type: str  # "app_label.model"
    source_id: int
    people: tuple[int, ...] = ()
    group: str = ""  # events of one item share it ("report:12")
    attrs: dict[str, Any] = field(default_factory=dict)
    note: str = ""


Source = Callable[[Window], Iterator[ScoringEvent]]
#: Given source ids of one source type, the URL of the page behind each (the ledger links every entry to it).
LinkResolver = Callable[[list[int]], dict[int, str]]


class SourceRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, Source] = {}
        self._links: dict[str, LinkResolver] = {}
        self._discovered = False

    def register(self, name: str) -> Callable[[Source], Source]:
        def decorator(function: Source) -> Source:
            existing = self._sources.get(name)
            if existing is not None and existing.__qualname__ != function.__qualname__:
                raise ValueError(f"scoring event source {name!r} is already registered by {existing!r}")
            self._sources[name] = function
            return function

        return decorator

    def links(self, source_type: str) -> Callable[[LinkResolver], LinkResolver]:
        def decorator(function: LinkResolver) -> LinkResolver:
            self._links[source_type] = function
            return function

        return decorator

    def _discover(self) -> None:
        if not self._discovered:
            autodiscover_modules("scoring_events")
            self._discovered = True

    def sources(self) -> list[tuple[str, Source]]:
        self._discover()
        return sorted(self._sources.items())

    def resolver(self, source_type: str) -> LinkResolver | None:
        self._discover()
        return self._links.get(source_type)


registry = SourceRegistry()
register_source = registry.register
register_links = registry.links
