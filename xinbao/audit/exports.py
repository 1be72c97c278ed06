"""The audit log as an .xlsx workbook, written row by row (openpyxl write-only mode) into a temporary file so
that 100,000 rows cost constant memory."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from xinbao.audit.models import EventType

COLUMNS = [
    ("序号", 10),
    ("时间", 22),
    ("用户名", 16),
    ("姓名", 10),
    ("单位", 26),
    ("事件类型", 16),
    ("对象类型", 18),
    ("对象", 30),
    ("来源IP", 16),
    ("结果", 8),
    ("详情", 60),
]
FIELDS = [
    "id",
    "at",
    "actor_username",
    "actor_name",
    "unit_name",
    "event_type",
    "object_type",
    "object_repr",
    "source_ip",
    "success",
    "detail",
]


def detail_text(detail: Any) -> str:
    if not detail:
        return ""
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)


def _text_cell(ws: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    # Names and object titles come from users; "=HYPERLINK(...)" must stay text, never become a formula.
    cell.data_type = "s"
    return cell


def write_audit_workbook(events: Iterable[tuple[Any, ...]]) -> IO[bytes]:
    """``events`` are value tuples in FIELDS order. Returns an open temporary file positioned at its start."""
    labels = dict(EventType.choices)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    for index, (_, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title, _ in COLUMNS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for pk, at, username, name, unit, event_type, obj_type, obj, ip, success, detail in events:
        when = WriteOnlyCell(ws, value=timezone.localtime(at).replace(tzinfo=None))
        when.number_format = 'yyyy"年"m"月"d"日" hh:mm:ss'
        ws.append(
            [
                pk,
                when,
                _text_cell(ws, username),
                _text_cell(ws, name),
                _text_cell(ws, unit),
                str(labels.get(event_type, event_type)),
                _text_cell(ws, obj_type),
                _text_cell(ws, obj),
                _text_cell(ws, ip),
                "成功" if success else "失败",
                _text_cell(ws, detail_text(detail)),
            ]
        )
    # Returned open: FileResponse streams it and closes it when the response is done.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    wb.save(out)
    out.seek(0)
    return out


def export_rows(qs: Any) -> Iterable[tuple[Any, ...]]:
    return qs.values_list(*FIELDS).iterator(chunk_size=2000)
