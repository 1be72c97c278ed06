"""The 公文 builder (GB/T 9704-2012): page, margins, grid, fonts and sizes, page-number field, 报头 and 报尾."""

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from xinbao.common.gongwen import (
    FONTS_COMMON,
    Colophon,
    GongwenDocument,
    Masthead,
    format_date,
    heading_level,
    split_body,
)


def _build(fonts=None):
    doc = GongwenDocument(fonts=fonts) if fonts else GongwenDocument()
    doc.masthead(
        Masthead(
            title="安平信息",
            issue_line="第12期（总第356期）",
            publisher="中共安平县委办公室编",
            date=date(2026, 11, 26),
            classification="内部资料",
            serial="编号：APXX-2026-012",
        )
    )
    doc.title("城关镇“三个一”机制化解信访积案")
    doc.body(
        "城关镇今年以来化解积案12件。\n一、主要做法\n（一）抓早抓小\n1. 建立台账\n项目\t数量\n积案\t12\n结语。"
    )
    doc.source_line("（城关镇报送）")
    doc.colophon(Colophon(distribution=[("报", ["中共江州市委办公室"]), ("送", ["县委常委"])], copies=60))
    return Document(io.BytesIO(doc.to_bytes()))


def _east_asia(run):
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def _para(doc, text):
    return next(p for p in doc.paragraphs if text in p.text)


def test_page_size_margins_and_grid():
    doc = _build()
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm)) == (37, 35)
    assert (round(s.left_margin.mm), round(s.right_margin.mm)) == (28, 26)
    assert round(Length(s.page_width - s.left_margin - s.right_margin).mm) == 156
    assert round(Length(s.page_height - s.top_margin - s.bottom_margin).mm) == 225
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    # 22 lines of 579 twips fill 225 mm; 28 characters of (16 pt + charSpace/4096) fill 156 mm.
    line_pitch = int(grid.get(qn("w:linePitch"))) / 20
    assert 22 * line_pitch <= Mm(225).pt < 23 * line_pitch
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert abs(28 * pitch - Mm(156).pt) < 0.5


def test_title_body_and_heading_fonts():
    doc = _build()
    title = _para(doc, "化解信访积案").runs[0]
    assert title.font.size == Pt(22) and _east_asia(title) == "方正小标宋简体"
    body = _para(doc, "化解积案12件")
    assert body.runs[0].font.size == Pt(16) and _east_asia(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0]._r.rPr.rFonts.get(qn("w:ascii")) == "Times New Roman"
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert round(doc.styles["Normal"].paragraph_format.line_spacing.pt, 1) == 28.9
    assert _east_asia(_para(doc, "一、主要做法").runs[0]) == "黑体"
    assert _east_asia(_para(doc, "（一）抓早抓小").runs[0]) == "楷体_GB2312"
    assert _east_asia(_para(doc, "1. 建立台账").runs[0]) == "仿宋_GB2312"
    table = doc.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["积案", "12"]


def test_page_number_field_in_footer():
    doc = _build()
    s = doc.sections[0]
    for footer in (s.footer, s.even_page_footer):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert p.text == "— 1 —"
        assert all(r.font.size == Pt(14) for r in p.runs)
        assert {_east_asia(r) for r in p.runs} == {"宋体"}
    assert s.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert s.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_masthead_and_colophon():
    doc = _build()
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "内部资料\t编号：APXX-2026-012"
    name = _para(doc, "安平信息").runs[0]
    assert name.font.color.rgb == (0xFF, 0x00, 0x00) and name.font.size >= Pt(36)
    assert "第12期（总第356期）" in texts
    bottom = _para(doc, "中共安平县委办公室编")
    assert bottom.text == "中共安平县委办公室编\t2026年11月26日"
    rule = bottom._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    assert "报：中共江州市委办公室。" in texts and "送：县委常委。" in texts
    copies = _para(doc, "共印60份")
    assert copies.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert _para(doc, "报：")._p.pPr.find(qn("w:pBdr")).find(qn("w:top")) is not None
    # The 版记 is framed at the bottom of the text block of the last page (GB/T 9704-2012 7.4).
    for text in ("报：", "送：", "共印60份"):
        frame = _para(doc, text)._p.pPr.find(qn("w:framePr"))
        assert (frame.get(qn("w:yAlign")), frame.get(qn("w:vAnchor"))) == ("bottom", "margin")


def test_font_table_names_fallbacks():
    doc = _build()
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    xml = part.blob.decode()
    assert 'w:name="仿宋_GB2312"' in xml and 'w:val="仿宋"' in xml
    assert 'w:name="方正小标宋简体"' in xml


def test_common_font_scheme_uses_windows_fonts():
    doc = _build(FONTS_COMMON)
    assert _east_asia(_para(doc, "化解积案12件").runs[0]) == "仿宋"
    assert _east_asia(_para(doc, "化解信访积案").runs[0]) == "宋体"


def test_heading_levels_and_dates():
    assert heading_level("一、总体情况") == 1
    assert heading_level("（二）存在问题") == 2
    assert heading_level("3．下步打算") == 3
    assert heading_level("3.5万元用于") == 0
    assert heading_level("今年以来") == 0
    assert format_date(date(2026, 1, 5)) == "2026年1月5日"


def test_split_body_reads_paragraphs_headings_and_tables():
    blocks = split_body("今年以来。\r\n\n一、做法\n项目\t数量\n积案\t12\n（二）成效")
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("p", "今年以来。", 0),
        ("p", "一、做法", 1),
        ("table", "", 0),
        ("p", "（二）成效", 2),
    ]
    assert blocks[2].rows == [["项目", "数量"], ["积案", "12"]]
