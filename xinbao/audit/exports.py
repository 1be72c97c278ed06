"""The audit log as an .xlsx workbook, written row by row (openpyxl write-only mode) into a temporary file so
that 100,000 rows cost constant memory."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xinbao.audit.models import EventType
from xinbao.common.xlsx import text_cell

#: (header, column width); headers are lazy so the workbook is in the language of the request.
COLUMNS = [
    (gettext_lazy("序号"), 10),
    (gettext_lazy("时间"), 22),
    (gettext_lazy("用户名"), 16),
    (gettext_lazy("姓名"), 10),
    (gettext_lazy("单位"), 26),
    (gettext_lazy("事件类型"), 16),
    (gettext_lazy("对象类型"), 18),
    (gettext_lazy("对象"), 30),
    (gettext_lazy("来源IP"), 16),
    (gettext_lazy("结果"), 8),
    (gettext_lazy("详情"), 60),
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


def write_audit_workbook(events: Iterable[tuple[Any, ...]]) -> IO[bytes]:
    """``events`` are value tuples in FIELDS order. Returns an open temporary file positioned at its start."""
    labels = dict(EventType.choices)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("审计日志"))
    for index, (_title, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "A2"
    # Translators: an Excel number format for the time column (Excel syntax, not Django's).
    date_format = _('yyyy"年"m"月"d"日" hh:mm:ss')
    success_text, failure_text = _("成功"), _("失败")
    bold = Font(bold=True)
    header = []
    for title, _width in COLUMNS:
        cell = WriteOnlyCell(ws, value=str(title))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for pk, at, username, name, unit, event_type, obj_type, obj, ip, success, detail in events:
        when = WriteOnlyCell(ws, value=timezone.localtime(at).replace(tzinfo=None))
        when.number_format = date_format
        ws.append(
            [
                pk,
                when,
                text_cell(ws, username),
                text_cell(ws, name),
                text_cell(ws, unit),
                str(labels.get(event_type, event_type)),
                text_cell(ws, obj_type),
                text_cell(ws, obj),
                text_cell(ws, ip),
                success_text if success else failure_text,
                text_cell(ws, detail_text(detail)),
            ]
        )
    # Returned open: FileResponse streams it and closes it when the response is done.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    wb.save(out)
    out.seek(0)
    return out


def export_rows(qs: Any) -> Iterable[tuple[Any, ...]]:
    return qs.values_list(*FIELDS).iterator(chunk_size=2000)
