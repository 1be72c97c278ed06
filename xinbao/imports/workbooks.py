"""Files the import pages hand out: the blank templates (header, two example rows, a 说明 sheet) and the error list.

CSV templates carry a UTF-8 BOM and CRLF line ends: without the BOM, Excel on Chinese Windows opens UTF-8 as GBK
and shows mojibake.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.imports.columns import COLUMNS_BY_KIND, Column

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
SHEET_TITLES = {"units": "单位", "people": "人员"}
TEMPLATE_NAMES = {"units": gettext_lazy("单位导入模板"), "people": gettext_lazy("人员导入模板")}
#: Columns Excel must keep as text: "0101" would otherwise lose its zero and 13800001111 turn into 1.38E+10.
TEXT_KEYS = {"code", "parent_code", "direct_targets", "phone", "username", "unit_code"}
TEMPLATE_TEXT_ROWS = 2000
GENERAL_NOTES = {
    "units": [
        gettext_lazy(
            "第一行是表头，请勿修改列名；带 * 的列必须填写。从第二行起每行一个单位，示例行请删除或改写。"
        ),
        gettext_lazy(
            "单位编码已存在的行将更新该单位，新编码的行将新建单位。上级单位可以是本文件中的其他行，顺序不限。"
        ),
        gettext_lazy("留空的选填列：新建单位取默认值（否、启用、排序0），更新单位时保持原值不变。"),
        gettext_lazy("导入前会先校验所有行：有错误时不导入任何数据并列出错误行，也可选择“仅导入正确的行”。"),
        gettext_lazy("只有系统管理员可以导入单位，且所有上级单位都须在本人管辖范围内。"),
    ],
    "people": [
        gettext_lazy(
            "第一行是表头，请勿修改列名；带 * 的列必须填写。从第二行起每行一个人员，示例行请删除或改写。"
        ),
        gettext_lazy("初始密码在上传页面统一设置，所有导入的人员首次登录时都须修改密码。"),
        gettext_lazy(
            "系统管理员可导入本辖区各单位的人员，单位管理员只能导入本单位人员。已存在的用户名不会被覆盖。"
        ),
        gettext_lazy("导入前会先校验所有行：有错误时不导入任何数据并列出错误行，也可选择“仅导入正确的行”。"),
    ],
}


def template_bytes(kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, download file name) of a blank template."""
    columns = COLUMNS_BY_KIND[kind]
    name = f"{TEMPLATE_NAMES[kind]}.{fmt}"
    if fmt == "csv":
        return _csv(columns), CSV_TYPE, name
    return _xlsx(kind, columns), XLSX_TYPE, name


def _header(column: Column) -> str:
    return f"{column.header}*" if column.required else column.header


def _csv(columns: tuple[Column, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_header(c) for c in columns])
    for i in range(2):
        writer.writerow([c.examples[i] for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(kind: str, columns: tuple[Column, ...]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLES[kind]
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    optional_fill = PatternFill("solid", fgColor="EDEDED")
    sheet.append([_header(c) for c in columns])
    for i in range(2):
        sheet.append([c.examples[i] or None for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = required_fill if column.required else optional_fill
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.key in TEXT_KEYS:
            for row in range(2, TEMPLATE_TEXT_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("说明")
    notes.append([_("列名"), _("是否必填"), _("填写说明"), _("示例")])
    for cell in notes[1]:
        cell.font = bold
    # Headers and sheet names are the file format and stay Chinese; the explanations follow the reader's language.
    for column in columns:
        example = "、".join(e for e in column.examples if e)
        notes.append(
            [column.header, _("必填") if column.required else _("选填"), str(column.description), example]
        )
    notes.append([])
    for line in GENERAL_NOTES[kind]:
        notes.append([str(line)])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 90
    notes.column_dimensions["D"].width = 24
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_xlsx(errors: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误")
    sheet.append([_("行号"), _("列"), _("原因")])
    for error in errors:
        sheet.append([error.get("row") or "", error.get("column") or "", error.get("message") or ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
