"""Reading an uploaded .xlsx or .csv into numbered rows keyed by column, with a Chinese reason for every refusal.

Row numbers are the ones a person sees in Excel/WPS (the header is row 1), so an error list can be followed on
screen. CSV comes in three encodings in practice: UTF-8 (with or without the BOM Excel writes for "CSV UTF-8"),
GB18030/GBK (Excel on Chinese Windows saves plain "CSV" in the ANSI code page 936) and UTF-16 ("Unicode 文本").
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from xinbao.common.errors import ValidationFailed
from xinbao.imports.columns import IGNORED_HEADERS, Column

FORMATS = ("xlsx", "csv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls/.doc, and encrypted Office files
ZIP_MAGIC = b"PK\x03\x04"
#: How many leading rows may stand above the header (a title line such as "安平县单位导入表" is common).
HEADER_SEARCH_ROWS = 5
#: Spaces that Excel users paste in without seeing them.
INVISIBLE = "\u00a0\u3000\u200b\ufeff"


@dataclass
class Table:
    header_row: int
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def file_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, field="file", code="bad_file")


def human_size(size: int) -> str:
    mb = 1024 * 1024
    if size >= mb:
        return f"{size // mb} MB" if size % mb == 0 else f"{size / mb:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def check_name_and_size(name: str, size: int) -> str:
    """The format named by the extension, or a refusal. The contents are checked by ``read_table``."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise file_error(
            _("文件大小为 %(size)s，超过了 %(limit)s 的上限，请拆分后分批导入")
            % {"size": human_size(size), "limit": human_size(limit)}
        )
    if size == 0:
        raise file_error(_("文件是空的（0 字节），文件中没有数据行"))
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == "xls":
        raise file_error(_("不支持旧版 Excel（.xls）格式，请在 Excel/WPS 中“另存为” .xlsx 或 CSV 后再上传"))
    if ext not in FORMATS:
        shown = f"“.{ext}”" if ext else _("（无扩展名）")
        raise file_error(
            _("不支持的文件格式%(ext)s：请上传 .xlsx 或 .csv 文件（可下载模板填写）") % {"ext": shown}
        )
    return ext


def read_table(data: bytes, *, fmt: str, columns: Sequence[Column], first_row_only: bool = False) -> Table:
    """Parse the whole file (or, for a quick check at upload, only up to the first data row)."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise file_error(
            _("文件大小超过了 %(limit)s 的上限") % {"limit": human_size(settings.IMPORT_MAX_BYTES)}
        )
    lines = _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)
    table = _match_header(lines, columns)
    for number, values in lines:
        if _blank(values):
            continue
        record: dict[str, Any] = {}
        for index, key in table.keys_by_index.items():
            record[key] = values[index] if index < len(values) else None
        table.table.rows.append((number, record))
        if first_row_only:
            break
    if not table.table.rows:
        raise file_error(_("文件中没有数据行（除表头外没有填写任何内容）"))
    return table.table


# --- headers ----------------------------------------------------------------------------------------------------


@dataclass
class _Matched:
    table: Table
    keys_by_index: dict[int, str]


def normalise_header(raw: Any) -> str:
    text = cell_text(raw)
    for ch in "*＊ \t":
        text = text.replace(ch, "")
    for suffix in ("(必填)", "（必填）", "(选填)", "（选填）"):
        text = text.replace(suffix, "")
    return text


def _match_header(lines: Iterator[tuple[int, list[Any]]], columns: Sequence[Column]) -> _Matched:
    by_header = {c.header: c.key for c in columns}
    first: tuple[int, list[str]] | None = None
    seen_rows = 0
    for number, values in lines:
        if _blank(values):
            continue
        seen_rows += 1
        names = [normalise_header(v) for v in values]
        if any(n in by_header for n in names):
            return _check_header(number, names, columns, by_header)
        first = first or (number, names)
        if seen_rows >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise file_error(_("文件中没有数据行（文件是空的）"))
    # No known column anywhere near the top: report what the first line holds instead of a header.
    return _check_header(first[0], first[1], columns, by_header)


def _check_header(
    number: int, names: list[str], columns: Sequence[Column], by_header: dict[str, str]
) -> _Matched:
    keys: dict[int, str] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    for index, name in enumerate(names):
        if not name:
            continue
        key = by_header.get(name) or IGNORED_HEADERS.get(name)
        if key is None:
            unknown.append(name)
        elif key in keys.values():
            duplicated.append(name)
        elif name in by_header:
            keys[index] = key
    problems = []
    missing = [c.header for c in columns if c.required and c.key not in keys.values()]
    if missing:
        problems.append(_("缺少必填列：%(names)s") % {"names": "、".join(missing)})
    if unknown:
        problems.append(_("无法识别的列：%(names)s") % {"names": "、".join(unknown)})
    if duplicated:
        problems.append(_("重复的列：%(names)s") % {"names": "、".join(duplicated)})
    if problems:
        allowed = "、".join(c.header for c in columns)
        raise file_error(
            _("表头（第%(row)d行）有误：%(problems)s。可用的列为：%(allowed)s")
            % {"row": number, "problems": "；".join(problems), "allowed": allowed}
        )
    table = Table(header_row=number)
    return _Matched(table, keys)


# --- cells ------------------------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: Excel stores 330100 as a number and 13800001111 as a float."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    for ch in INVISIBLE:
        text = text.replace(ch, " ")
    return text.strip()


def _blank(values: Sequence[Any]) -> bool:
    return all(cell_text(v) == "" for v in values)


# --- xlsx -------------------------------------------------------------------------------------------------------


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    if data.startswith(OLE_MAGIC):
        raise file_error(
            _("该文件是旧版 Excel（.xls）格式或已加密，请在 Excel/WPS 中另存为不加密的 .xlsx 或 CSV 后再上传")
        )
    if not data.startswith(ZIP_MAGIC):
        raise file_error(_("文件不是有效的 Excel（.xlsx）文件：可能已损坏，或是其他格式的文件改了扩展名"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise file_error(_("Excel 文件已损坏，无法读取，请重新保存后再上传")) from exc
    if "word/document.xml" in names:
        raise file_error(_("该文件是 Word 文档（.docx），不是 Excel 表格：请下载模板，用 Excel/WPS 表格填写"))
    if "ppt/presentation.xml" in names:
        raise file_error(
            _("该文件是 PowerPoint 演示文稿，不是 Excel 表格：请下载模板，用 Excel/WPS 表格填写")
        )
    if "xl/workbook.xml" not in names:
        raise file_error(_("文件不是有效的 Excel（.xlsx）文件：可能已损坏，或是其他格式的文件改了扩展名"))
    return _iter_xlsx(data)


def _iter_xlsx(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        Exception
    ) as exc:  # openpyxl raises KeyError, ValueError, zip and XML errors alike for broken files
        raise file_error(_("Excel 文件已损坏，无法读取，请重新保存后再上传")) from exc
    try:
        if not workbook.worksheets:
            raise file_error(_("Excel 文件中没有工作表"))
        sheet = workbook.worksheets[0]
        # Files written by some tools carry a wrong <dimension>; without the reset read_only mode stops early.
        sheet.reset_dimensions()
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        except ValidationFailed:
            raise
        except Exception as exc:
            raise file_error(_("Excel 文件已损坏，无法读取，请重新保存后再上传")) from exc
    finally:
        workbook.close()


# --- csv --------------------------------------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        raise file_error(
            _(
                "该文件不是 CSV 文本，而是 Excel 或 Word 等格式的文件改了扩展名：请直接上传 .xlsx 文件，或在 Excel/WPS 中“另存为”CSV"
            )
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise file_error(_("无法识别文件编码，请在 Excel/WPS 中另存为“CSV UTF-8”后再上传")) from exc
    if b"\x00" in data[:4096]:
        raise file_error(_("该文件不是 CSV 文本文件（含有二进制内容），请上传 .xlsx 或 .csv 文件"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise file_error(
        _("无法识别文件编码（既不是 UTF-8 也不是 GBK），请在 Excel/WPS 中另存为“CSV UTF-8”后再上传")
    )


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = decode_csv(data)
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = "\t" if "\t" in first_line and "," not in first_line and "，" not in first_line else ","
    return _iter_csv(text, delimiter)


def _iter_csv(text: str, delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise file_error(
                _("CSV 第%(row)d行无法解析（引号不配对或内容过长），请检查后重新保存")
                % {"row": reader.line_num}
            ) from exc
        # line_num counts physical lines; a quoted cell may span several, Excel still shows one row.
        number += 1
        yield number, values
