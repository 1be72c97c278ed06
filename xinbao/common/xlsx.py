"""Tables as .xlsx workbooks (PRODUCT 3.8: every table exports to .xlsx), written row by row in openpyxl's
write-only mode into a temporary file, so a large export costs constant memory.

Text from users is always written as a text cell: a title such as "=HYPERLINK(...)" must stay text in Excel/WPS and
never become a formula; characters XML cannot hold are dropped rather than failing the whole export."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    title: Any  # a (lazy) translated header
    width: int = 14


def text_cell(ws: Any, value: str) -> WriteOnlyCell:
    """A cell that stays text whatever it says ("=HYPERLINK(...)" is not a formula), minus characters XML cannot hold."""
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    return cell


def _cell(ws: Any, value: Any, date_format: str, datetime_format: str) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime):
        cell = WriteOnlyCell(
            ws, value=timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
        )
        cell.number_format = datetime_format
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = date_format
        return cell
    if isinstance(value, int | float):
        return value
    return text_cell(ws, value)


def write_table(sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> IO[bytes]:
    """One sheet with a bold, frozen header row. Returns an open temporary file positioned at its start."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(ILLEGAL_CHARACTERS_RE.sub("", sheet_title)[:31])
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    # Translators: Excel number formats (Excel syntax, not Django's).
    date_format = _('yyyy"年"m"月"d"日"')
    datetime_format = _('yyyy"年"m"月"d"日" hh:mm')
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=str(column.title))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_cell(ws, value, date_format, datetime_format) for value in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when the response is done
    wb.save(out)
    out.seek(0)
    return out


def xlsx_response(file: IO[bytes], filename_stem: str) -> FileResponse:
    """A download named "<stem>_20261126_0930.xlsx" (time of export, site time zone)."""
    name = f"{filename_stem}_{timezone.localtime():%Y%m%d_%H%M}.xlsx"
    return FileResponse(file, as_attachment=True, filename=name, content_type=XLSX_TYPE)
