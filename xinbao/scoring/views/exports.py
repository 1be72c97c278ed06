"""Every scoring download goes through here: the file is written, the download is audited
(``services.export_record``: who, which table, period and unit, how many rows), then it is sent. A view that
returns a file any other way would leave the audit log without it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone

from xinbao.common.xlsx import Column, write_table, xlsx_response
from xinbao.orgs.models import Unit
from xinbao.scoring.periods import Period
from xinbao.scoring.services import export_record
from xinbao.scoring.views.common import current_user

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Counted:
    """Rows passed through to the workbook one by one (a ledger export is streamed, not held), counted on the way."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def export_xlsx(
    request: HttpRequest,
    *,
    office: Unit,
    what: str,
    period: Period,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    filename: str = "",
    unit: Unit | None = None,
    subtree: bool = False,
) -> FileResponse:
    """One table as an audited .xlsx download (sheet ``title``; file named ``filename`` or the title)."""
    counted = _Counted(rows)
    data = write_table(title, columns, counted)
    export_record(
        actor=current_user(request),
        office=office,
        what=what,
        period=period,
        rows=counted.count,
        unit=unit,
        subtree=subtree,
    )
    return xlsx_response(data, filename or title)


def export_docx(
    request: HttpRequest, *, office: Unit, what: str, period: Period, data: bytes, rows: int, filename: str
) -> HttpResponse:
    """A .docx (a 通报, a proposal list) as an audited download named "<filename>_20261126_0930.docx"."""
    export_record(
        actor=current_user(request), office=office, what=what, period=period, rows=rows, file_format="docx"
    )
    response = HttpResponse(data, content_type=DOCX_TYPE)
    name = f"{filename}_{timezone.localtime():%Y%m%d_%H%M}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
