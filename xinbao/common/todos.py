"""The home page's to-do list (待办) is filled by every capability.

An app registers a provider in its AppConfig.ready(); a provider takes the user and returns Todo entries. Each later
capability (reports to sign, issues to sign off, overdue feedback, duty gaps...) adds its own provider here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_providers: list[Callable[[Any], Iterable[Todo]]] = []


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    count: int | None = None
    level: str = "info"  # bootstrap contextual class: info / warning / danger
    detail: str = ""


def register(provider: Callable[[Any], Iterable[Todo]]) -> Callable[[Any], Iterable[Todo]]:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def todos_for(user: Any) -> list[Todo]:
    result: list[Todo] = []
    for provider in _providers:
        result.extend(provider(user))
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(result, key=lambda t: order.get(t.level, 3))
