"""Text normalisation for reuse detection.

The disguises seen in 信息 work (seed documents, PRODUCT 3.6): traditional characters, changed punctuation, 某/×/xx
placeholders for names, changed figures. Normalising both sides the same way makes them invisible: traditional
characters become simplified (a one-to-one character table from OpenCC, so positions are kept), digits become one
digit class, placeholders, punctuation and spaces disappear. Changed person and place names cannot be normalised
away; the verifier bridges the short gaps they leave (see verify.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: Stand-ins for names an author hides or a copier blanks out: 张某某, ××县, xx镇, ＊＊.
PLACEHOLDERS = "某×xXｘＸ*＊"
KEEP = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffa-z]+|0+")


@cache
def _table() -> dict[int, str]:
    """Traditional → simplified (OpenCC's TSCharacters, first candidate), digits → 0, upper → lower case,
    placeholders → a space (dropped later). Every entry maps one character to one character."""
    import opencc

    table: dict[int, str] = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1:
                table[ord(parts[0])] = target
    for ch in "0123456789０１２３４５６７８９":
        table[ord(ch)] = "0"
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code + 32)
    for code in range(ord("Ａ"), ord("Ｚ") + 1):
        table[code] = chr(code - ord("Ａ") + ord("a"))
    for code in range(ord("ａ"), ord("ｚ") + 1):
        table[code] = chr(code - ord("ａ") + ord("a"))
    for ch in PLACEHOLDERS:
        table[ord(ch)] = " "
    return table


def simplified(text: str) -> str:
    """Same length as ``text``: positions found in the result are positions in the original."""
    return text.translate(_table())


@dataclass(frozen=True)
class Normalised:
    text: str
    #: offsets[i] is the position in the original text of normalised character i.
    offsets: tuple[int, ...]


def normalise(text: str, *, with_offsets: bool = True) -> Normalised:
    converted = unicodedata.normalize("NFC", text).translate(_table())
    chars: list[str] = []
    offsets: list[int] = []
    for m in KEEP.finditer(converted):
        run = m.group()
        if run[0] == "0":  # 2026 and 26 are the same figure class: changed figures are a common disguise
            chars.append("0")
            if with_offsets:
                offsets.append(m.start())
        else:
            chars.append(run)
            if with_offsets:
                offsets.extend(range(m.start(), m.end()))
    return Normalised("".join(chars), tuple(offsets))
