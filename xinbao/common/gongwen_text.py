"""The text side of a 公文 (GB/T 9704-2012): how dates are written and how an item's body splits into paragraphs,
numbered headings and pasted tables. Shared by the .docx builder (``gongwen``) and the printable HTML views, so the
page and the document agree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date


def format_date(d: date) -> str:
    """Dates in documents are written 2026年11月26日, without leading zeros (GB/T 9704-2012 7.3.5.1)."""
    return f"{d.year}年{d.month}月{d.day}日"


_HEADING_PATTERNS = [
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.．](?!\d)")),
]


def heading_level(line: str) -> int:
    """The structural level of a body line from its numbering: 一、 → 1, （一） → 2, 1. → 3, else 0 (7.3.3)."""
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(line):
            return level
    return 0


@dataclass
class BodyBlock:
    kind: str  # "p" | "table"
    text: str = ""
    level: int = 0  # heading level of a paragraph (heading_level)
    rows: list[list[str]] = field(default_factory=list)


def split_body(text: str) -> list[BodyBlock]:
    """An item's body: one paragraph a line, headings recognised by their numbering, runs of tab-separated lines
    (pasted from Excel/Word, as the item editor accepts them) as a table. The printable HTML view reads the same
    blocks, so page and document agree."""
    blocks: list[BodyBlock] = []
    rows: list[list[str]] = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if "\t" in line:
            rows.append([cell.strip() for cell in line.split("\t")])
            continue
        if rows:
            blocks.append(BodyBlock("table", rows=rows))
            rows = []
        line = line.strip()
        if line:
            blocks.append(BodyBlock("p", text=line, level=heading_level(line)))
    if rows:
        blocks.append(BodyBlock("table", rows=rows))
    return blocks
