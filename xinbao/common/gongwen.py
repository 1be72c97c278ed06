"""A 公文 (.docx) builder after GB/T 9704-2012 《党政机关公文格式》, for bulletins, 通报 and every other document the
system writes for offices to print. Offices open these in WPS or Word; the layout must be one a secretary accepts
without retyping.

Usage::

    doc = GongwenDocument()
    doc.masthead(Masthead(title="安平信息", issue_line="第12期（总第356期）", publisher="中共安平县委办公室编",
                          date=date(2026, 11, 26), classification="内部", serial="AP-2026-012"))
    doc.title("城关镇“三个一”机制化解信访积案")
    doc.body("城关镇今年以来……\\n一、主要做法\\n（一）……")   # headings recognised by their numbering
    doc.source_line("（城关镇党委办公室报送）")
    doc.colophon(Colophon(distribution=[("报", ["市委办公室"]), ("送", ["县委常委"])], copies=60))
    data = doc.to_bytes()

A document with an issuing authority (通报) starts with ``doc.issuer_header("中共安平县委办公室文件", "安办通〔2026〕3号")``
instead of a masthead and ends with ``doc.signature(unit, date)`` before the colophon.

Layout (GB/T 9704-2012 section 5): A4; 天头 (top margin) 37 mm, 订口 (left, binding side) 28 mm, 版心 156 × 225 mm,
so bottom 35 mm and right 26 mm. Body 3号 (16 pt) 仿宋, 22 lines × 28 characters a page: the section's document
grid fixes the line pitch at 225 mm / 22 = 28.95 pt (579 twips) and the character pitch at 156 mm / 28 = 15.79 pt
(``charSpace`` −849 = (15.79 pt − 16 pt) × 4096, relative to the 16 pt default font); body paragraphs also have exact
28.95 pt line spacing so the count holds where a viewer ignores the grid. Title 2号 (22 pt) 小标宋, centred; headings
一、黑体, （一）楷体, 1. 仿宋 (section 7.3.3); page numbers 4号 (14 pt) 宋体 "— 1 —", odd pages right and even pages left
with one character's indent (7.5), as a PAGE field so Word/WPS number every page.

Fonts (the fallback scheme): each run names its Chinese font in ``w:eastAsia`` (WPS and Word choose the CJK font
from that attribute, not from ``w:ascii``) and Times New Roman for Latin letters and digits in ``w:ascii``/``w:hAnsi``,
as offices do. The default scheme ``FONTS_GB`` names the fonts of government machines (仿宋_GB2312, 楷体_GB2312,
方正小标宋简体); the document's font table gives each of them an ``w:altName`` (仿宋, 楷体, 宋体) and the GB2312 charset,
so Word substitutes the font present on every Chinese Windows when the GB one is missing, and WPS maps the _GB2312
names itself. ``FONTS_COMMON`` names only the fonts that ship with Windows (仿宋, 楷体, 宋体, 黑体) for documents meant
for machines known to lack the GB fonts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from xinbao.common.gongwen_text import BodyBlock, format_date, heading_level, split_body

__all__ = [
    "FONTS_COMMON",
    "FONTS_GB",
    "BodyBlock",
    "Colophon",
    "FontScheme",
    "GongwenDocument",
    "Masthead",
    "format_date",
    "heading_level",
    "split_body",
]

# --- Measures (GB/T 9704-2012 5.2) -----------------------------------------------------------------------------

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, LEFT_MM = 37, 28
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156, 225
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - TEXT_HEIGHT_MM  # 35
RIGHT_MM = PAGE_WIDTH_MM - LEFT_MM - TEXT_WIDTH_MM  # 26
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
#: 225 mm / 22 lines in twips (1/20 pt), rounded down so 22 lines never overflow the text block: 579.
LINE_PITCH_TWIPS = int(TEXT_HEIGHT_MM / 25.4 * 72 * 20 / LINES_PER_PAGE)
LINE_PITCH = Pt(LINE_PITCH_TWIPS / 20)

SIZE_CHU = Pt(42)  # 初号
SIZE_XIAOCHU = Pt(36)  # 小初
SIZE_2 = Pt(22)  # 2号: title
SIZE_3 = Pt(16)  # 3号: body
SIZE_4 = Pt(14)  # 4号: page numbers, colophon
RED = RGBColor(0xFF, 0x00, 0x00)
LATIN_FONT = "Times New Roman"


def _char_space(font_pt: float = 16.0) -> int:
    """``w:charSpace`` for CHARS_PER_LINE characters of ``font_pt`` in the text width (4096ths of a point)."""
    pitch = TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE
    return round((pitch - font_pt) * 4096)


@dataclass(frozen=True)
class FontScheme:
    """East Asian font names per use, and the name Word falls back to when one is not installed."""

    body: str
    title: str
    heading1: str
    heading2: str
    page_number: str
    alt: dict[str, str] = field(default_factory=dict)

    def fallback(self, name: str) -> str:
        return self.alt.get(name, name)


FONTS_GB = FontScheme(
    body="仿宋_GB2312",
    title="方正小标宋简体",
    heading1="黑体",
    heading2="楷体_GB2312",
    page_number="宋体",
    alt={"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"},
)
FONTS_COMMON = FontScheme(body="仿宋", title="宋体", heading1="黑体", heading2="楷体", page_number="宋体")


@dataclass
class Masthead:
    """报头 of a bulletin: 密级 top left and serial top right, the series name large and red, the issue line (第N期,
    总第N期, 增刊第N期) under it, 编印单位 lower left and the date lower right, then a red rule."""

    title: str
    issue_line: str
    publisher: str
    date: date
    classification: str = ""
    serial: str = ""


@dataclass
class Colophon:
    """报尾: a rule, then the distribution lines (报/送/发 and the unit names) on the left and 共印N份 on the right."""

    distribution: Sequence[tuple[str, Sequence[str]]] = ()
    copies: int | None = None


class GongwenDocument:
    """One 公文 document being written; methods append in reading order. See the module docstring."""

    def __init__(self, *, fonts: FontScheme = FONTS_GB) -> None:
        self.fonts = fonts
        self.doc = Document()
        self._fonts_used: set[str] = set()
        self._setup_page()
        self._setup_styles()
        self._setup_page_numbers()
        # python-docx's template names itself as author; the document's author is the issuing office.
        props = self.doc.core_properties
        props.author, props.last_modified_by, props.title, props.comments = "", "", "", ""
        # The default template starts with no paragraphs; the first call writes the first one.

    # --- set-up ------------------------------------------------------------------------------------------------

    def _setup_page(self) -> None:
        section = self.doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        section.gutter = Mm(0)
        # The page number sits 7 mm below the text block (7.5): 35 mm − 7 mm = 28 mm from the bottom edge.
        section.footer_distance = Mm(28)
        section.header_distance = Mm(15)
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        grid.set(qn("w:charSpace"), str(_char_space()))

    def _setup_styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.size = SIZE_3
        self._set_fonts(normal.element.get_or_add_rPr(), self.fonts.body)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.widow_control = False

    def _setup_page_numbers(self) -> None:
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.alignment = align
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            # "单页码居右空一字，双页码居左空一字" (7.5).
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                p.paragraph_format.right_indent = SIZE_4
            else:
                p.paragraph_format.left_indent = SIZE_4
            self._run(p, "— ", self.fonts.page_number, SIZE_4)
            self._page_field(p)
            self._run(p, " —", self.fonts.page_number, SIZE_4)

    def _page_field(self, p: Paragraph) -> None:
        def part(kind: str | None = None, instr: str | None = None) -> None:
            run = self._run(p, "", self.fonts.page_number, SIZE_4)
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
                run._r.append(el)
            if instr:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = instr
                run._r.append(el)

        part("begin")
        part(instr=" PAGE ")
        part("separate")
        self._run(p, "1", self.fonts.page_number, SIZE_4)
        part("end")

    # --- low level ---------------------------------------------------------------------------------------------

    def _set_fonts(self, rpr: etree._Element, east_asian: str) -> None:
        self._fonts_used.add(east_asian)
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)
        fonts.set(qn("w:cs"), LATIN_FONT)
        fonts.set(qn("w:eastAsia"), east_asian)

    def _run(
        self,
        p: Paragraph,
        text: str,
        font: str,
        size: Pt | int,
        *,
        bold: bool = False,
        color: RGBColor | None = None,
    ) -> Run:
        run = p.add_run(text)
        run.font.size = size
        run.font.bold = bold
        if color is not None:
            run.font.color.rgb = color
        self._set_fonts(run._r.get_or_add_rPr(), font)
        return run

    def _paragraph(
        self,
        *,
        align: WD_ALIGN_PARAGRAPH | None = None,
        first_line_chars: float = 0,
        exact: bool = True,
        space_before: Pt | None = None,
        space_after: Pt | None = None,
    ) -> Paragraph:
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        if align is not None:
            p.alignment = align
        if first_line_chars:
            fmt.first_line_indent = Pt(16 * first_line_chars)
        if not exact:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if space_before is not None:
            fmt.space_before = space_before
        if space_after is not None:
            fmt.space_after = space_after
        return p

    @staticmethod
    def _border(p: Paragraph, side: str, *, color: str = "000000", eighths: int = 8) -> None:
        """A rule along the paragraph's ``side`` across the whole text width (``eighths`` of a point thick)."""
        ppr = p._p.get_or_add_pPr()
        borders = ppr.find(qn("w:pBdr"))
        if borders is None:
            borders = OxmlElement("w:pBdr")
            # w:pBdr comes before w:spacing/w:ind/w:jc in CT_PPr's sequence.
            anchor = next(
                (
                    ppr.find(qn(t))
                    for t in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")
                    if ppr.find(qn(t)) is not None
                ),
                None,
            )
            if anchor is not None:
                anchor.addprevious(borders)
            else:
                ppr.append(borders)
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(eighths))
        el.set(qn("w:space"), "1")
        el.set(qn("w:color"), color)
        borders.append(el)

    def _two_sided(self, left: str, right: str, font: str, size: Pt) -> Paragraph:
        """``left`` at the left margin and ``right`` flush with the right margin (a right tab at the text width)."""
        p = self._paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
        self._run(p, f"{left}\t{right}", font, size)
        return p

    # --- 报头 / 版头 ----------------------------------------------------------------------------------------------

    def masthead(self, m: Masthead) -> None:
        """The bulletin 报头 (see ``Masthead``)."""
        self.doc.core_properties.title = f"{m.title} {m.issue_line}"
        self.doc.core_properties.author = m.publisher
        if m.classification or m.serial:
            self._two_sided(m.classification, m.serial, self.fonts.heading1, SIZE_3)
        name = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, exact=False, space_before=Pt(12))
        size = SIZE_CHU if len(m.title) <= 6 else SIZE_XIAOCHU
        self._run(name, m.title, self.fonts.title, size, color=RED)
        issue = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, space_before=Pt(6))
        self._run(issue, m.issue_line, self.fonts.body, SIZE_3)
        bottom = self._two_sided(m.publisher, format_date(m.date), self.fonts.body, SIZE_3)
        bottom.paragraph_format.space_before = Pt(12)
        self._border(bottom, "bottom", color="FF0000", eighths=18)
        self._paragraph()

    def issuer_header(self, issuer: str, doc_number: str = "") -> None:
        """版头 of a document with an issuing authority: 发文机关标志 red and centred, 发文字号, a red rule (7.2)."""
        p = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, exact=False, space_before=Pt(24))
        self._run(p, issuer, self.fonts.title, SIZE_XIAOCHU if len(issuer) > 8 else SIZE_CHU, color=RED)
        number = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, space_before=Pt(24))
        self._run(number, doc_number, self.fonts.body, SIZE_3)
        self._border(number, "bottom", color="FF0000", eighths=18)
        self._paragraph()

    # --- 主体 ------------------------------------------------------------------------------------------------------

    def title(self, text: str) -> None:
        """Title in 2号小标宋, centred; a blank line follows (7.3.1)."""
        p = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, space_before=Pt(6))
        p.paragraph_format.keep_with_next = True
        self._run(p, text, self.fonts.title, SIZE_2)

    def heading(self, text: str, level: int) -> None:
        """一、 in 黑体, （一） in 楷体, 1. in 仿宋 bold — all 3号 with two characters' indent (7.3.3)."""
        p = self._paragraph(first_line_chars=2)
        p.paragraph_format.keep_with_next = True
        font = {1: self.fonts.heading1, 2: self.fonts.heading2}.get(level, self.fonts.body)
        self._run(p, text, font, SIZE_3, bold=level == 3)

    def paragraph(
        self,
        text: str,
        *,
        indent: bool = True,
        align: WD_ALIGN_PARAGRAPH | None = None,
        font: str | None = None,
    ) -> None:
        p = self._paragraph(first_line_chars=2 if indent else 0, align=align)
        p.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
        self._run(p, text, font or self.fonts.body, SIZE_3)

    def labelled(self, label: str, text: str) -> None:
        """编者按 and the like: the label in 黑体, the text in 楷体."""
        p = self._paragraph(first_line_chars=2)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        self._run(p, label, self.fonts.heading1, SIZE_3)
        self._run(p, text, self.fonts.heading2, SIZE_3)

    def body(self, text: str) -> None:
        """An item's body as ``split_body`` reads it: paragraphs, headings by their numbering, tables."""
        for block in split_body(text):
            if block.kind == "table":
                self.table(block.rows)
            elif block.level:
                self.heading(block.text, block.level)
            else:
                self.paragraph(block.text)

    def table(self, rows: Sequence[Sequence[str]], *, header: bool = True) -> None:
        """A bordered table across the text width in 4号仿宋 (a 3号 table rarely fits 156 mm), header row in 黑体."""
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, row in enumerate(rows):
            cells = table.rows[i].cells
            for j in range(width):
                cell_p = cells[j].paragraphs[0]
                cell_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                cell_p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                value = row[j] if j < len(row) else ""
                font = self.fonts.heading1 if header and i == 0 else self.fonts.body
                self._run(cell_p, value, font, SIZE_4)

    def source_line(self, text: str) -> None:
        """The source of a bulletin entry, "（城关镇党委办公室报送）", right-aligned under its text."""
        self.paragraph(text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, font=self.fonts.heading2)

    def blank_line(self) -> None:
        self._paragraph()

    def signature(self, unit: str, when: date) -> None:
        """落款: the issuing unit and the date, right-aligned with four characters' space (7.3.5.2)."""
        self.blank_line()
        for text in (unit, format_date(when)):
            p = self._paragraph(align=WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(16 * 4)
            self._run(p, text, self.fonts.body, SIZE_3)

    def page_break(self) -> None:
        self.doc.add_page_break()

    # --- 报尾 / 版记 ----------------------------------------------------------------------------------------------

    def colophon(self, c: Colophon, *, at_page_bottom: bool = True) -> None:
        """报尾 in 4号仿宋 between two rules: 报/送/发 lines (the label then the units separated by ，, ending 。,
        one character in from the margin) and 共印N份 right-aligned on the last line (7.4). With ``at_page_bottom``
        the lines form one frame anchored to the bottom of the text block, so the 版记 sits at the foot of the last
        page as 7.4 requires, whatever the length of the text above it (body text wraps above the frame)."""
        self.blank_line()
        lines: list[Paragraph] = []
        for label, names in c.distribution:
            names = [n for n in names if n]
            if not names:
                continue
            p = self._paragraph(exact=False)
            fmt = p.paragraph_format
            # The unit list wraps under the first unit, not under the label (hanging indent of label + "：").
            fmt.left_indent = Pt(14 * (len(label) + 2))
            fmt.first_line_indent = -Pt(14 * (len(label) + 1))
            self._run(p, f"{label}：{'，'.join(names)}。", self.fonts.body, SIZE_4)
            lines.append(p)
        if c.copies:
            p = self._paragraph(align=WD_ALIGN_PARAGRAPH.RIGHT, exact=False)
            p.paragraph_format.right_indent = Pt(14)
            self._run(p, f"（共印{c.copies}份）", self.fonts.body, SIZE_4)
            lines.append(p)
        if not lines:
            return
        self._border(lines[0], "top", eighths=8)
        self._border(lines[-1], "bottom", eighths=8)
        if at_page_bottom:
            for p in lines:
                self._bottom_frame(p)

    @staticmethod
    def _bottom_frame(p: Paragraph) -> None:
        """Consecutive paragraphs with the same w:framePr make one frame; this one is as wide as the text block and
        anchored to its bottom edge."""
        ppr = p._p.get_or_add_pPr()
        frame = OxmlElement("w:framePr")
        for key, value in (
            ("w:w", str(int(Mm(TEXT_WIDTH_MM).twips))),
            ("w:wrap", "around"),
            ("w:vAnchor", "margin"),
            ("w:hAnchor", "margin"),
            ("w:xAlign", "center"),
            ("w:yAlign", "bottom"),
        ):
            frame.set(qn(key), value)
        # CT_PPr order: pStyle, keepNext, keepLines, pageBreakBefore, framePr, ...
        before = [ppr.find(qn(t)) for t in ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore")]
        present = [e for e in before if e is not None]
        if present:
            present[-1].addnext(frame)
        else:
            ppr.insert(0, frame)

    # --- output ------------------------------------------------------------------------------------------------

    def _write_font_table(self) -> None:
        """Add every East Asian font used to the font table with its fallback (``altName``) and the GB2312
        charset, so Word substitutes a present font instead of a Latin default (module docstring)."""
        part = next(p for p in self.doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
        root = etree.fromstring(part.blob)
        known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
        added = False
        for name in sorted(self._fonts_used - known):
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            alt = self.fonts.fallback(name)
            if alt != name:
                el = etree.SubElement(font, qn("w:altName"))
                el.set(qn("w:val"), alt)
            for tag, val in (("w:charset", "86"), ("w:family", "modern"), ("w:pitch", "fixed")):
                el = etree.SubElement(font, qn(tag))
                el.set(qn("w:val"), val)
            added = True
        if added:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def save(self, target: str | IO[bytes]) -> None:
        self._write_font_table()
        self.doc.save(target)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()
