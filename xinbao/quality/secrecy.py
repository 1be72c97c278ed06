"""保密审查: one Aho-Corasick pass over the text for the configured keywords (PRODUCT 3.6).

The text is matched after the reuse normalisation (traditional → simplified, spaces and punctuation dropped), so
"絕　密" or "机-密" are hits too; positions are mapped back to the original text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
from django.db.models import Count, Max, Q

from xinbao.quality.models import SecrecyKeyword
from xinbao.quality.reuse.normalize import normalise


@dataclass(frozen=True)
class Hit:
    word: str
    start: int
    end: int


@lru_cache(maxsize=2)
def _automaton(version: tuple[object, ...]) -> ahocorasick.Automaton | None:
    automaton = ahocorasick.Automaton()
    count = 0
    for word in SecrecyKeyword.objects.filter(is_active=True).values_list("word", flat=True):
        key = normalise(word, with_offsets=False).text
        if key:
            automaton.add_word(key, (len(key), word))
            count += 1
    if not count:
        return None
    automaton.make_automaton()
    return automaton


def _version() -> tuple[object, ...]:
    agg = SecrecyKeyword.objects.aggregate(
        n=Count("id"), active=Count("id", filter=Q(is_active=True)), last=Max("updated_at")
    )
    return (agg["n"], agg["active"], agg["last"])


def scan(text: str) -> list[Hit]:
    automaton = _automaton(_version())
    if automaton is None or not text:
        return []
    norm = normalise(text)
    hits = []
    for end, (length, word) in automaton.iter(norm.text):
        start = end - length + 1
        hits.append(Hit(word, norm.offsets[start], norm.offsets[end] + 1))
    return hits


def hit_words(title: str, body: str) -> list[str]:
    return sorted({h.word for h in scan(title)} | {h.word for h in scan(body)})
