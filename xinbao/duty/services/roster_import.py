"""Roster import from the office's .xlsx template, and the template itself (issue 5 item 6).

All or nothing: every row is checked first and a single bad row means nothing is saved; the errors name the row
(as Excel numbers it) and the column. A good file replaces the roster of every duty day it names, so importing a
corrected file again gives the same roster rather than doubles."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import DomainError, ValidationFailed
from xinbao.duty.models import DutyRole, RosterEntry
from xinbao.duty.selectors import duty_colleagues, shifts_for
from xinbao.duty.services.roster import check_day, clean_name, clean_phone, require_editor, shift_bounds
from xinbao.imports.cells import CellError, parse_date
from xinbao.imports.columns import Column
from xinbao.imports.parsing import cell_text, check_name_and_size, read_table
from xinbao.orgs.models import Unit

if TYPE_CHECKING:
    from xinbao.accounts.models import User

COLUMNS: tuple[Column, ...] = (
    Column(
        "day",
        "值班日期",
        True,
        gettext_lazy("如2026-10-01；夜班写开始的那一天。"),
        ("2026-10-01", "2026-10-01"),
    ),
    Column("shift", "班次", True, gettext_lazy("本单位设置的班次名称，如白班、夜班。"), ("白班", "夜班")),
    Column("role", "岗位", True, gettext_lazy("带班领导或值班员。"), ("带班领导", "值班员")),
    Column("name", "姓名", True, gettext_lazy("不超过40个字。"), ("王建国", "李晓燕")),
    Column(
        "phone",
        "值班电话",
        True,
        gettext_lazy("11位手机号或带区号的固定电话，如0791-86123456。"),
        ("13907912345", "0791-86123456"),
    ),
    Column("username", "用户名", False, gettext_lazy("选填：本单位人员的登录名。"), ("", "")),
)
ROLE_BY_TEXT = {
    "带班领导": DutyRole.LEADER,
    "带班": DutyRole.LEADER,
    "值班员": DutyRole.STAFF,
    "值班": DutyRole.STAFF,
}
HEADERS = {c.key: c.header for c in COLUMNS}


class RosterImportInvalid(ValidationFailed):
    """Raised with every row error ({row, column, message}); nothing was saved."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(
            _("导入文件有%(n)d处错误，未导入任何排班，请修改后重新上传") % {"n": len(errors)}, field="file"
        )
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    days: list[date]
    replaced: int


def _row_values(
    office: Unit, number: int, record: dict[str, Any], errors: list[dict[str, Any]]
) -> dict[str, Any]:
    shifts = {s.name: s for s in shifts_for(office)}
    people = {u.username: u for u in duty_colleagues(office)}
    out: dict[str, Any] = {}

    def fail(key: str, message: str) -> None:
        errors.append({"row": number, "column": HEADERS[key], "message": message})

    try:
        day = parse_date(record.get("day"))
        if day is None:
            fail("day", _("值班日期不能为空"))
        else:
            check_day(day)
            out["day"] = day
    except CellError as exc:
        fail("day", str(exc))
    except DomainError as exc:
        fail("day", exc.message)
    shift = cell_text(record.get("shift"))
    if shift not in shifts:
        fail(
            "shift",
            _("班次“%(name)s”不存在，本单位的班次为：%(names)s") % {"name": shift, "names": "、".join(shifts)}
            if shift
            else _("班次不能为空"),
        )
    else:
        out["shift"] = shifts[shift]
    role = cell_text(record.get("role"))
    if role not in ROLE_BY_TEXT:
        fail(
            "role",
            _("岗位“%(role)s”无效，应填带班领导或值班员") % {"role": role} if role else _("岗位不能为空"),
        )
    else:
        out["role"] = ROLE_BY_TEXT[role]
    username = cell_text(record.get("username"))
    if username:
        if username not in people:
            fail("username", _("用户名“%(name)s”不是本单位在岗人员") % {"name": username})
        else:
            out["person"] = people[username]
    for key, cleaner in (("name", clean_name), ("phone", clean_phone)):
        try:
            out[key] = cleaner(cell_text(record.get(key)))
        except DomainError as exc:
            fail(key, exc.message)
    return out


@transaction.atomic
def roster_import(*, actor: User, office: Unit, filename: str, data: bytes) -> ImportResult:
    require_editor(actor, office)
    fmt = check_name_and_size(filename, len(data))
    if fmt != "xlsx":
        raise ValidationFailed(_("排班导入只接受 .xlsx 文件，请下载模板填写"), field="file")
    table = read_table(data, fmt=fmt, columns=COLUMNS)
    errors: list[dict[str, Any]] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, record in table.rows:
        before = len(errors)
        values = _row_values(office, number, record, errors)
        if len(errors) == before:
            rows.append((number, values))
    seen: dict[tuple[date, str, str], int] = {}
    for number, values in rows:
        key = (values["day"], values["shift"].name, values["name"])
        if key in seen:
            errors.append(
                {
                    "row": number,
                    "column": HEADERS["name"],
                    "message": _("与第%(other)d行重复：同一班次不能两次排同一人") % {"other": seen[key]},
                }
            )
        seen.setdefault(key, number)
    if errors:
        raise RosterImportInvalid(sorted(errors, key=lambda e: e["row"]))
    days = sorted({values["day"] for _n, values in rows})
    replaced, _by_model = RosterEntry.objects.filter(office=office, day__in=days).delete()
    entries = []
    for _number, values in rows:
        starts, ends = shift_bounds(values["shift"], values["day"])
        entries.append(
            RosterEntry(
                office=office,
                day=values["day"],
                shift_name=values["shift"].name,
                starts_at=starts,
                ends_at=ends,
                role=values["role"],
                person=values.get("person"),
                name=values["name"],
                phone=values["phone"],
                created_by=actor,
            )
        )
    RosterEntry.objects.bulk_create(entries)
    audit_record(
        event_type=EventType.IMPORT,
        actor=actor,
        obj=office,
        detail={
            "action": "roster_import",
            "file": filename[:100],
            "created": len(entries),
            "replaced": replaced,
            "days": [d.isoformat() for d in days][:62],
        },
    )
    return ImportResult(len(entries), days, replaced)


def roster_template_xlsx(office: Unit) -> bytes:
    """The blank template: header, two example rows for the coming days, and a 说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("排班"))
    sheet.append([f"{c.header}*" if c.required else c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    shifts = shifts_for(office)
    tomorrow = timezone.localdate() + timedelta(days=1)
    examples = [
        (tomorrow.isoformat(), shifts[0].name, "带班领导", "王建国", "13907912345", ""),
        (tomorrow.isoformat(), shifts[-1].name, "值班员", "李晓燕", "0791-86123456", ""),
    ]
    for row in examples:
        sheet.append(list(row))
    for index, width in enumerate((14, 10, 10, 12, 18, 14), start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    # Text format, so Excel keeps 0791-… and 139… as typed.
    for row in sheet.iter_rows(min_row=2, max_row=400, min_col=1, max_col=len(COLUMNS)):
        for cell in row:
            cell.number_format = "@"
    notes = workbook.create_sheet(str(_("说明")))
    notes.append([str(_("列")), str(_("说明"))])
    for column in COLUMNS:
        notes.append([column.header, str(column.description)])
    notes.append([])
    notes.append([str(_("班次")), "、".join(s.label for s in shifts)])
    notes.append(
        [
            str(_("导入规则")),
            str(_("有任何一行错误时不导入任何数据；文件中出现的值班日期，其原有排班将被文件内容替换。")),
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
