"""Rendering (issue 4 item 3): the .docx of a published issue opened with python-docx, and export_issue."""

import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from xinbao.bulletins.models import Classification
from xinbao.bulletins.rendering import render_docx
from xinbao.bulletins.services import issue_publish, issue_sign, issue_update
from xinbao.bulletins.tests.factories import make_issue, make_series, publish


def _ea(run):
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


@pytest.mark.django_db
def test_published_issue_docx(world, cast):
    series = make_series(world, cast, total_start=356, copies=60)
    with time_machine.travel(date(2026, 11, 26), tick=False):
        issue = make_issue(world, cast, series, reports=2)
        issue_update(
            actor=cast.county_editor,
            issue=issue,
            editor_note="城关镇的做法值得学习借鉴。",
            classification=Classification.INTERNAL,
            copies=60,
        )
        issue_sign(actor=cast.county_leader, issue=issue)
        issue = issue_publish(actor=cast.county_editor, issue=issue)
    doc = Document(io.BytesIO(render_docx(issue)))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (
        round(s.top_margin.mm),
        round(s.left_margin.mm),
        round(s.bottom_margin.mm),
        round(s.right_margin.mm),
    ) == (
        37,
        28,
        35,
        26,
    )
    texts = [p.text for p in doc.paragraphs]
    # 报头
    assert texts[0] == "内部资料\t编号：APXX-2026-001"
    series_name = next(p for p in doc.paragraphs if p.text == "安平信息").runs[0]
    assert series_name.font.color.rgb == (0xFF, 0, 0)
    assert "第1期（总第356期）" in texts
    assert "中共安平县委办公室编\t2026年11月26日" in texts
    assert "编者按：城关镇的做法值得学习借鉴。" in texts
    # Entries: title 2号小标宋, body 3号仿宋, source line.
    title = next(p for p in doc.paragraphs if p.text == "城关镇开展冬季安全隐患大排查1")
    assert title.runs[0].font.size == Pt(22) and _ea(title.runs[0]) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("11月20日，城关镇"))
    assert body.runs[0].font.size == Pt(16) and _ea(body.runs[0]) == "仿宋_GB2312"
    assert texts.count("（城关镇报送）") == 2
    assert texts.index("城关镇开展冬季安全隐患大排查1") < texts.index("城关镇开展冬季安全隐患大排查2")
    # Page numbers as a PAGE field, 4号宋体.
    footer = s.footer.paragraphs[0]
    assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
    assert footer.text == "— 1 —" and footer.runs[0].font.size == Pt(14) and _ea(footer.runs[0]) == "宋体"
    # 报尾: between two rules, 4号仿宋.
    assert "报：中共江州市委办公室。" in texts
    assert "送：安平县人民政府办公室。" in texts
    assert "（共印60份）" in texts
    report_line = next(p for p in doc.paragraphs if p.text == "报：中共江州市委办公室。")
    assert report_line.runs[0].font.size == Pt(14) and _ea(report_line.runs[0]) == "仿宋_GB2312"
    assert report_line._p.pPr.find(qn("w:pBdr")).find(qn("w:top")) is not None
    # The red rule under the 报头, and 22 lines × 28 characters fixed by the document grid.
    masthead_foot = next(p for p in doc.paragraphs if p.text.startswith("中共安平县委办公室编"))
    assert masthead_foot._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "FF0000"
    grid = s._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("linesAndChars", "579")
    # Font fallbacks: Word substitutes 仿宋/宋体 where the GB/方正 fonts are not installed.
    table = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    fonts = {
        f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val"))
        for f in etree.fromstring(table.blob).findall(qn("w:font"))
        if f.find(qn("w:altName")) is not None
    }
    assert fonts["仿宋_GB2312"] == "仿宋" and fonts["方正小标宋简体"] == "宋体"


@pytest.mark.django_db
def test_export_issue_command(world, cast, tmp_path, capsys):
    series = make_series(world, cast)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        publish(world, cast, series)
        publish(world, cast, series, reports=2)
    out = tmp_path / "a.docx"
    call_command("export_issue", "apxx", "2026", "1", "--format", "docx", "--out", str(out))
    doc = Document(str(out))
    assert "第1期（总第1期）" in [p.text for p in doc.paragraphs]
    latest = tmp_path / "latest.docx"
    call_command("export_issue", "--latest", "--format", "docx", "--out", str(latest))
    assert "第2期（总第2期）" in [p.text for p in Document(str(latest)).paragraphs]
    html = tmp_path / "p.html"
    call_command("export_issue", "apxx", "2026", "2", "--format", "html", "--out", str(html))
    text = html.read_text(encoding="utf-8")
    assert "第2期（总第2期）" in text and "@page" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuch", "2026", "1"], "没有代码为“nosuch”的刊物"),
        (["apxx", "2026", "9"], "没有已印发的2026年第9期"),
        (["apxx", "2025", "1"], "没有已印发的2025年第1期"),
        ([], "请指定刊物代码、年度和期号"),
    ],
)
def test_export_issue_unknown_series_or_number_exits_2(world, cast, tmp_path, capsys, args, message):
    series = make_series(world, cast)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        publish(world, cast, series)
    out = tmp_path / "x.docx"
    with pytest.raises(SystemExit) as exit_info:
        call_command("export_issue", *args, "--format", "docx", "--out", str(out))
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.django_db
def test_export_latest_with_nothing_published_exits_2(world, cast, tmp_path, capsys):
    make_issue(world, cast, make_series(world, cast), sign=True)  # signed, not published
    with pytest.raises(SystemExit) as exit_info:
        call_command("export_issue", "--latest", "--out", str(tmp_path / "x.docx"))
    assert exit_info.value.code == 2
    assert "还没有已印发的期刊" in capsys.readouterr().err
