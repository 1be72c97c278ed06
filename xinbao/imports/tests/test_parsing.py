"""Reading files: formats, encodings, headers, empty files and the size limit — each refusal in Chinese."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from xinbao.common.errors import ValidationFailed
from xinbao.imports.columns import PEOPLE_COLUMNS, UNIT_COLUMNS
from xinbao.imports.models import ImportJob, ImportStatus
from xinbao.imports.parsing import check_name_and_size, read_table
from xinbao.imports.tests.conftest import UNIT_HEADER, csv_bytes, unit_rows, xlsx_bytes
from xinbao.orgs.models import Unit


def refusal(data: bytes, fmt: str, columns=UNIT_COLUMNS) -> str:
    with pytest.raises(ValidationFailed) as exc:
        read_table(data, fmt=fmt, columns=columns)
    assert exc.value.field == "file"
    return exc.value.message


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("单位编码，单位名称")
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_document_renamed_to_xlsx_is_named_as_such():
    assert "Word 文档" in refusal(docx_bytes(), "xlsx")


def test_an_office_file_renamed_to_csv_is_refused():
    assert "改了扩展名" in refusal(docx_bytes(), "csv")
    assert "改了扩展名" in refusal(xlsx_bytes([UNIT_HEADER]), "csv")


def test_broken_and_fake_xlsx_files_are_refused():
    good = xlsx_bytes([UNIT_HEADER, ["A", "甲", "", "县", "部门", "P", "", "", "", "", ""]])
    assert "损坏" in refusal(good[: len(good) // 2], "xlsx")
    assert "不是有效的 Excel" in refusal(b"just some text pretending to be a workbook", "xlsx")
    assert "旧版 Excel" in refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "不是有效的 Excel" in refusal(buffer.getvalue(), "xlsx")
    # A zip that claims to be a workbook but whose XML is garbage.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<nope")
        archive.writestr("xl/workbook.xml", "<nope")
    assert "损坏" in refusal(buffer.getvalue(), "xlsx")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("单位.txt", "不支持的文件格式“.txt”"),
        ("单位.docx", "不支持的文件格式“.docx”"),
        ("单位", "（无扩展名）"),
        ("单位.xls", "不支持旧版 Excel（.xls）"),
    ],
)
def test_only_xlsx_and_csv_extensions_are_accepted(name, expected):
    with pytest.raises(ValidationFailed) as exc:
        check_name_and_size(name, 100)
    assert expected in exc.value.message


def test_extension_case_does_not_matter():
    assert check_name_and_size("单位.XLSX", 100) == "xlsx"
    assert check_name_and_size("a.b.Csv", 100) == "csv"


def test_size_limit_names_the_limit(settings):
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationFailed) as exc:
        check_name_and_size("big.csv", 10 * 1024 * 1024 + 1)
    assert "超过了 10 MB 的上限" in exc.value.message
    assert check_name_and_size("ok.csv", 10 * 1024 * 1024) == "csv"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_empty_file_and_header_only_have_no_data_rows(fmt):
    make = xlsx_bytes if fmt == "xlsx" else csv_bytes
    assert "文件中没有数据行" in refusal(make([UNIT_HEADER]), fmt)
    assert "文件中没有数据行" in refusal(make([UNIT_HEADER, [], ["", "  "]]), fmt)
    assert "文件中没有数据行" in refusal(make([]), fmt)
    with pytest.raises(ValidationFailed) as exc:
        check_name_and_size(f"empty.{fmt}", 0)
    assert "文件中没有数据行" in exc.value.message


def test_missing_and_unknown_columns_are_named():
    rows = [["单位编码", "名称", "层级", "类型", "负责人"], ["A", "甲", "县", "部门", "张三"]]
    message = refusal(csv_bytes(rows), "csv")
    assert "缺少必填列：单位名称" in message
    assert "无法识别的列：名称、负责人" in message


def test_a_text_file_without_a_header_is_refused_with_the_columns_expected():
    message = refusal("这是一份普通的文字说明\n第二行\n".encode(), "csv")
    assert "缺少必填列：单位编码、单位名称、层级、类型" in message


def test_headers_may_carry_stars_spaces_and_a_title_row_above():
    rows = [
        ["安平县单位导入表"],
        [" 单位编码 *", "单位名称（必填）", "层级＊", "类型", "序号", "备注"],
        ["A1", "甲", "县", "部门", 1, "随便写"],
    ]
    table = read_table(xlsx_bytes(rows), fmt="xlsx", columns=UNIT_COLUMNS)
    assert table.header_row == 2
    assert table.rows == [(3, {"code": "A1", "name": "甲", "level": "县", "kind": "部门"})]


def test_gbk_csv_from_chinese_excel_is_read():
    rows = [["用户名", "姓名", "单位编码"], ["zhangsan", "张三", "安平县教育局"]]
    table = read_table(csv_bytes(rows, encoding="gbk"), fmt="csv", columns=PEOPLE_COLUMNS)
    assert table.rows[0][1]["full_name"] == "张三"
    assert table.rows[0][1]["unit_code"] == "安平县教育局"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_encodings(encoding):
    rows = [["用户名", "姓名", "单位编码"], ["lisi", "李四", "X1"]]
    data = csv_bytes(rows, encoding=encoding)
    if encoding == "utf-16":
        data = data.decode("utf-16").replace(",", "\t").encode("utf-16")  # Excel's "Unicode 文本"
    table = read_table(data, fmt="csv", columns=PEOPLE_COLUMNS)
    assert table.rows == [(2, {"username": "lisi", "full_name": "李四", "unit_code": "X1"})]


def test_undecodable_bytes_are_refused():
    assert "无法识别文件编码" in refusal("用户名,姓名,单位编码\n".encode() + b"\x81\x30\xff\xfe\xfd\n", "csv")


def test_excel_numbers_become_the_text_typed():
    rows = [["用户名", "姓名", "单位编码", "手机号"], [12345, "王五", 330100.0, 13800001111]]
    table = read_table(xlsx_bytes(rows), fmt="xlsx", columns=PEOPLE_COLUMNS)
    from xinbao.imports.parsing import cell_text

    values = {k: cell_text(v) for k, v in table.rows[0][1].items()}
    assert values == {"username": "12345", "full_name": "王五", "unit_code": "330100", "phone": "13800001111"}


def test_row_numbers_follow_the_sheet_even_with_blank_rows_between():
    rows = [UNIT_HEADER, ["A", "甲", "", "县", "部门"], [], [], ["B", "乙", "", "县", "部门"]]
    for data, fmt in ((xlsx_bytes(rows), "xlsx"), (csv_bytes(rows), "csv")):
        table = read_table(data, fmt=fmt, columns=UNIT_COLUMNS)
        assert [n for n, _ in table.rows] == [2, 5]


@pytest.mark.django_db
def test_file_over_the_limit_is_refused_and_nothing_imported(world, alice, upload, settings):
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    rows = unit_rows(world)
    padding = "备注" * 2000
    body = csv_bytes([[*r, "备注" if i == 0 else padding] for i, r in enumerate(rows)])
    filler = csv_bytes([["", "", "", "", "", "", "", "", "", "", "", padding]] * 900)
    data = body + filler
    assert len(data) > 10 * 1024 * 1024
    with pytest.raises(ValidationFailed) as exc:
        upload(alice, data, name="big.csv")
    assert "超过了 10 MB 的上限" in exc.value.message
    assert not ImportJob.objects.exists()
    assert not Unit.objects.filter(code__startswith="AP-").exists()


@pytest.mark.django_db
def test_large_valid_csv_just_under_the_limit_is_parsed_and_imported(world, alice, upload, settings):
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    note = "本单位情况说明。" * 400  # a long 备注 column pads the file, as people do
    county = world.county.code
    row_size = len(
        csv_bytes([["AP-B0000", "安平县测试单位0000", "", "县", "部门", county, "", "", "", "", "", note]])
    )
    count = (10 * 1024 * 1024 - 4096) // row_size
    rows = [[*UNIT_HEADER, "备注"]]
    rows += [
        [f"AP-B{i:04d}", f"安平县测试单位{i:04d}", "", "县", "部门", county, "", "", "", "", "", note]
        for i in range(count)
    ]
    data = csv_bytes(rows)
    assert 10 * 1024 * 1024 - 20 * 1024 < len(data) <= 10 * 1024 * 1024
    job = upload(alice, data, name="big.csv")
    assert job.status == ImportStatus.DONE, job.errors or job.message
    assert job.created_count == count == Unit.objects.filter(code__startswith="AP-B").count()
