"""Turning cell values into typed values, and collecting row errors as {row, column, message} in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from xinbao.imports.parsing import cell_text

LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")
YES = {"是", "Y", "YES", "TRUE", "1", "√"}
NO = {"否", "N", "NO", "FALSE", "0", "×"}
DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
#: Progress is written every this many rows: often enough for a smooth bar, rarely enough not to slow the run.
PROGRESS_EVERY = 250


@dataclass
class RowErrors:
    """Errors by row. A row with any error is not imported."""

    items: list[dict[str, Any]] = field(default_factory=list)
    bad: set[int] = field(default_factory=set)

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append({"row": row, "column": column, "message": message})
        self.bad.add(row)

    def sorted(self) -> list[dict[str, Any]]:
        return sorted(self.items, key=lambda e: e["row"] or 0)


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message is shown to the person."""


def parse_bool(value: Any, *, yes: str = "是", no: str = "否") -> bool | None:
    text = cell_text(value).upper()
    if text == "":
        return None
    if text in YES or text == yes:
        return True
    if text in NO or text == no:
        return False
    raise CellError(
        _("“%(value)s”无效，应填“%(yes)s”或“%(no)s”") % {"value": cell_text(value), "yes": yes, "no": no}
    )


def parse_int(value: Any) -> int | None:
    text = cell_text(value)
    if text == "":
        return None
    try:
        number = int(text)
    except ValueError:
        raise CellError(_("“%(value)s”不是整数") % {"value": text}) from None
    if not -100000 <= number <= 100000:
        raise CellError(_("排序须在-100000至100000之间"))
    return number


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if text == "":
        return None
    for pattern in DATE_PATTERNS:
        if m := pattern.match(text):
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise CellError(_("“%(value)s”不是有效日期，应写成2026-01-05或2026年1月5日") % {"value": text})


def parse_list(value: Any) -> list[str]:
    return [part for part in LIST_SEPARATORS.split(cell_text(value)) if part]


def parse_choice(value: Any, choices: dict[str, str], what: str) -> str | None:
    text = cell_text(value).replace("（", "(").replace("）", ")")
    if text == "":
        return None
    if text in choices:
        return choices[text]
    allowed = "、".join(dict.fromkeys(k for k in choices if "(" not in k))
    raise CellError(
        _("%(what)s“%(value)s”无效，可选：%(allowed)s")
        % {"what": what, "value": cell_text(value), "allowed": allowed}
    )


def fetch_in_chunks(
    queryset: QuerySet[Any], field_name: str, values: Iterable[Any], size: int = 500
) -> list[Any]:
    """``field__in`` in chunks: SQLite builds may cap the number of bound parameters in one statement."""
    values = list(dict.fromkeys(values))
    out: list[Model] = []
    for start in range(0, len(values), size):
        out.extend(queryset.filter(**{f"{field_name}__in": values[start : start + size]}))
    return out


def every(n: int, progress: Callable[[int], None] | None, index: int) -> None:
    if progress is not None and index % n == 0:
        progress(index)
