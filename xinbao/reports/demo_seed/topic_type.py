"""What the demo knows about one topic of 信息 work (see topics.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str  # as it reads after "围绕" / "在…工作中"
    tag: str
    measures: tuple[str, ...]
    results: tuple[str, ...]
    problems: tuple[str, ...]
    suggestions: tuple[str, ...]
