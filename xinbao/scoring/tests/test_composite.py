"""The composite 千分制 score: a hand-computed worked example, ordering by it, its place in the page, export, API
and command, its breakdown by category on a unit's score page, its column in the quarterly 通报 (.docx, .xlsx, API),
and the validation of the rule set's ``composite`` weights (an invalid edit changes nothing)."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from xinbao.accounts.services import token_issue
from xinbao.api.tests.conftest import ApiClient
from xinbao.audit.models import AuditEvent, EventType
from xinbao.common.errors import ValidationFailed
from xinbao.reports.tests.factories import make_cast
from xinbao.scoring.composite import CATEGORIES, CATEGORY_OF_KIND, DEFAULT_WEIGHTS
from xinbao.scoring.events import EVENT_KINDS
from xinbao.scoring.models import RuleSet
from xinbao.scoring.periods import parse_period
from xinbao.scoring.rankings import unit_ranking
from xinbao.scoring.rules import default_rules, validate_rules
from xinbao.scoring.services import ruleset_save
from xinbao.scoring.tests.support import at, put_entries

pytestmark = pytest.mark.django_db

WEIGHTS = {"adoption": 40, "instruction": 30, "followup": 20, "emergency": 10, "quota": 0}


@pytest.fixture
def example(world):
    """Three units of 安平县 with points in every category, weighed 40/30/20/10/0 by the county party office.

    Category points (adoption incl. caps / instruction / followup / emergency / quota) and totals:
      城关镇  30 (32 − 2 cap) / 10 / −10 / −5 / 30  → total 55
      白沙镇  20 / 20 /   5 /  0 /  0                → total 45
      教育局   4 / 30 /  10 (12 − 2 feedback late) / 0 / 0 → total 44
    Best per category: adoption 30 (城关镇), instruction 30 (教育局), followup 10 (教育局); nobody has positive
    emergency points, so that category gives nobody anything; quota weighs 0.
      城关镇  40×10×30/30 + 30×10×10/30 + 0 (−10 counts 0) + 0            = 400 + 100             = 500.00
      白沙镇  40×10×20/30 + 30×10×20/30 + 20×10×5/10                      = 266.67 + 200 + 100    = 566.67
      教育局  40×10×4/30  + 30×10×30/30 + 20×10×10/10                     = 53.33 + 300 + 200     = 553.33
    """
    w = world
    office = w.county_party_office
    put_entries(
        office,
        2026,
        [
            (w.township.pk, "32", "adoption"),
            (w.township.pk, "-2", "cap"),
            (w.township.pk, "10", "instruction"),
            (w.township.pk, "-10", "commission"),
            (w.township.pk, "-5", "emergency"),
            (w.township.pk, "30", "quota_met"),
            (w.township2.pk, "20", "adoption"),
            (w.township2.pk, "20", "instruction"),
            (w.township2.pk, "5", "commission"),
            (w.county_dept.pk, "4", "adoption"),
            (w.county_dept.pk, "30", "instruction"),
            (w.county_dept.pk, "12", "commission"),
            (w.county_dept.pk, "-2", "instruction_feedback_late"),
        ],
        day=date(2026, 2, 10),
    )
    rules = default_rules()
    rules["composite"] = dict(WEIGHTS)
    RuleSet.objects.filter(office=office, year=2026).update(rules=rules)
    return w


def test_every_ledger_kind_has_a_category():
    assert set(CATEGORY_OF_KIND) == {*EVENT_KINDS, "cap"}
    assert set(DEFAULT_WEIGHTS) == set(CATEGORIES) and sum(DEFAULT_WEIGHTS.values()) == 100
    assert validate_rules({})["composite"] == DEFAULT_WEIGHTS


def test_worked_example(example):
    w = example
    rows = unit_ranking(office=w.county_party_office, period=parse_period("2026Q1"))
    got = {r.code: r for r in rows}
    town, town2, dept = got[w.township.code], got[w.township2.code], got[w.county_dept.code]
    assert town.categories == {
        "adoption": Decimal("30.00"),
        "instruction": Decimal("10.00"),
        "followup": Decimal("-10.00"),
        "emergency": Decimal("-5.00"),
        "quota": Decimal("30.00"),
    }
    assert (town.total, town2.total, dept.total) == (Decimal("55.00"), Decimal("45.00"), Decimal("44.00"))
    assert (town.composite, town2.composite, dept.composite) == (
        Decimal("500.00"),
        Decimal("566.67"),
        Decimal("553.33"),
    )
    # Total stays the default order; the composite is only a column.
    assert [(r.code, r.rank) for r in rows] == [
        (w.township.code, 1),
        (w.township2.code, 2),
        (w.county_dept.code, 3),
    ]
    by_composite = unit_ranking(
        office=w.county_party_office, period=parse_period("2026Q1"), order="composite"
    )
    assert [(r.code, r.rank) for r in by_composite] == [
        (w.township2.code, 1),
        (w.county_dept.code, 2),
        (w.township.code, 3),
    ]
    with pytest.raises(ValidationFailed, match="排序方式"):
        unit_ranking(office=w.county_party_office, period=parse_period("2026Q1"), order="name")


def test_the_best_in_every_weighted_category_gets_1000_and_an_empty_period_0(world):
    office = world.county_party_office
    put_entries(
        office,
        2026,
        [
            (world.township.pk, "50", "adoption"),
            (world.township.pk, "40", "instruction"),
            (world.township2.pk, "25", "adoption"),
        ],
        day=date(2026, 2, 10),
    )
    got = {r.code: r.composite for r in unit_ranking(office=office, period=parse_period("2026"))}
    # Default weights 70 / 30: 白沙镇 = 70 × 10 × 25/50 = 350; 教育局 has nothing.
    assert got == {
        world.township.code: Decimal("1000.00"),
        world.township2.code: Decimal("350.00"),
        world.county_dept.code: Decimal("0.00"),
    }
    empty = unit_ranking(office=office, period=parse_period("2026-07"))
    assert {r.composite for r in empty} == {Decimal("0.00")}


@pytest.mark.parametrize(
    "composite, field, message",
    [
        ({"adoption": 60, "instruction": 30}, "composite", "各类别权重之和必须为100（现为90）"),
        ({"adoption": 60, "instruction": 30.5, "followup": 10}, "composite", "现为100.5"),
        ({"adoption": 110, "instruction": -10}, "composite.instruction", "不能小于0"),
        ({"adoption": 70, "instruction": 30, "speed": 0}, "composite.speed", "不是可用的项目"),
        ({"adoption": "七十", "instruction": 30}, "composite.adoption", "必须是数字"),
        ([70, 30], "composite", "必须是一个对照表"),
    ],
)
def test_invalid_weights_are_refused_and_change_nothing(world, composite, field, message):
    cast = make_cast(world)
    office = world.county_party_office
    first = ruleset_save(actor=cast.county_editor, office=office, year=2026, rules={}, base_version=0)
    rules = default_rules()
    rules["composite"] = composite
    with pytest.raises(ValidationFailed) as info:
        ruleset_save(actor=cast.county_editor, office=office, year=2026, rules=rules, base_version=1)
    assert info.value.field == field and message in info.value.message
    assert "千分制类别权重" in info.value.message
    assert list(RuleSet.objects.filter(office=office).values_list("pk", flat=True)) == [first.pk]
    first.refresh_from_db()
    assert first.rules["composite"] == DEFAULT_WEIGHTS


def test_weights_left_out_weigh_nothing(world):
    cast = make_cast(world)
    saved = ruleset_save(
        actor=cast.county_editor,
        office=world.county_party_office,
        year=2026,
        rules={"composite": {"adoption": 50.5, "followup": 49.5}},
    )
    assert saved.rules["composite"] == {
        "adoption": 50.5,
        "instruction": 0,
        "followup": 49.5,
        "emergency": 0,
        "quota": 0,
    }


def test_rule_page_and_api_refuse_bad_weights(world):
    cast = make_cast(world)
    office = world.county_party_office
    editor = Client()
    editor.force_login(cast.county_editor)
    url = reverse("scoring:rules", args=[office.pk]) + "?year=2026"
    bad = default_rules()
    bad["composite"]["adoption"] = 80  # 80 + 30 = 110
    page = editor.post(url, {"rules": json.dumps(bad), "base_version": 0})
    assert page.status_code == 200 and "各类别权重之和必须为100（现为110）" in page.content.decode()
    response = ApiClient(token_issue(user=cast.county_editor, name="测试")[1]).post(
        f"/scoring/offices/{office.pk}/rule-sets", {"year": 2026, "rules": bad}
    )
    assert response.status_code == 400 and "composite" in response.json()["message"]
    assert not RuleSet.objects.filter(office=office).exists()


def test_page_export_api_and_command_show_the_composite(example):
    w = example
    office = w.county_party_office
    cast = make_cast(w)
    c = Client()
    c.force_login(cast.county_editor)
    with at(date(2026, 4, 2)):
        page = c.get(f"{reverse('scoring:rankings')}?office={office.pk}&period=2026Q1&order=composite")
        export = c.get(
            f"{reverse('scoring:rankings_export')}?office={office.pk}&period=2026Q1&order=composite"
        )
        client = ApiClient(token_issue(user=cast.county_editor, name="测试")[1])
        api_rows = client.get(f"/scoring/offices/{office.pk}/rankings", {"period": "2026Q1"}).json()
        api_sorted = client.get(
            f"/scoring/offices/{office.pk}/rankings", {"period": "2026Q1", "order": "composite"}
        ).json()
        api_bad = client.get(f"/scoring/offices/{office.pk}/rankings", {"period": "2026Q1", "order": "name"})
    html = page.content.decode()
    assert page.status_code == 200 and "千分制综合得分" in html
    assert html.index("566.67") < html.index("553.33") < html.index("500.00")
    assert '<option value="composite" selected>' in html
    rows = list(load_workbook(BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][5:8] == ("总分", "千分制综合得分", "汇总的下级单位")
    assert [(r[0], r[1], r[6]) for r in rows[1:]] == [
        (1, w.township2.code, 566.67),
        (2, w.county_dept.code, 553.33),
        (3, w.township.code, 500),
    ]
    audit = AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT).get()
    assert audit.detail["what"] == "unit_ranking" and audit.detail["rows"] == 3
    assert [(r["unit"], r["composite"]) for r in api_rows] == [
        (w.township.code, 500.0),
        (w.township2.code, 566.67),
        (w.county_dept.code, 553.33),
    ]
    assert [r["unit"] for r in api_sorted] == [w.township2.code, w.county_dept.code, w.township.code]
    assert api_bad.status_code == 400 and "排序方式" in api_bad.json()["message"]


def run(*args: str) -> list[dict]:
    out = StringIO()
    call_command("rankings", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_command_json_has_the_composite_and_orders_by_it(example):
    w = example
    data = run("--office", w.county_party_office.code, "--period", "2026Q1")
    assert [(r["unit"], r["total"], r["composite"], r["rank"]) for r in data] == [
        (w.township.code, 55.0, 500.0, 1),
        (w.township2.code, 45.0, 566.67, 2),
        (w.county_dept.code, 44.0, 553.33, 3),
    ]
    assert {"unit", "name", "level", "own", "total", "rank", "children", "composite"} <= set(data[0])
    ordered = run("--office", w.county_party_office.code, "--period", "2026Q1", "--order", "composite")
    assert [(r["unit"], r["composite"], r["rank"]) for r in ordered] == [
        (w.township2.code, 566.67, 1),
        (w.county_dept.code, 553.33, 2),
        (w.township.code, 500.0, 3),
    ]


def breakdown(html: str) -> dict[str, list[str]]:
    """The unit page's composite table: category → its cells (label, weight, points, best, calculation, share)."""
    rows = re.findall(r'<tr data-category="(\w+)">(.*?)</tr>', html, re.S)
    return {
        category: [
            re.sub(r"<[^>]+>|\s+", " ", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)
        ]
        for category, body in rows
    }


def test_unit_page_explains_the_composite_by_category(example):
    w = example
    office = w.county_party_office
    cast = make_cast(w)
    editor = Client()
    editor.force_login(cast.county_editor)
    informant = Client()
    informant.force_login(cast.informant)  # 城关镇's own informant: its own page only
    with at(date(2026, 4, 2)):
        baisha = editor.get(reverse("scoring:unit", args=[office.pk, w.township2.pk]) + "?period=2026Q1")
        chengguan = informant.get(reverse("scoring:unit", args=[office.pk, w.township.pk]) + "?period=2026Q1")
        unranked = editor.get(reverse("scoring:unit", args=[office.pk, office.pk]) + "?period=2026Q1")
    html = baisha.content.decode()
    # 白沙镇 = 266.67 + 200 + 100 (the worked example above), each part shown with what it is computed from.
    assert breakdown(html) == {
        "adoption": ["信息采用", "40", "20.00", "30.00", "40 × 10 × 20.00 ÷ 30.00", "266.67"],
        "instruction": ["领导批示", "30", "20.00", "30.00", "30 × 10 × 20.00 ÷ 30.00", "200.00"],
        "followup": ["约稿与反馈", "20", "5.00", "10.00", "20 × 10 × 5.00 ÷ 10.00", "100.00"],
        "emergency": ["紧急信息", "10", "0.00", "0.00", "没有单位得分为正", "0.00"],
        "quota": ["报送数量", "0", "0.00", "30.00", "权重为0", "0.00"],
    }
    assert re.search(r"合计</th>\s*<td[^>]*>566.67</td>", html)
    assert "在参加排名的3个单位中计算" in html
    own = chengguan.content.decode()
    assert chengguan.status_code == 200
    parts = breakdown(own)
    assert parts["adoption"][-2:] == ["40 × 10 × 30.00 ÷ 30.00", "400.00"]
    assert parts["followup"][2:] == ["-10.00", "10.00", "本单位得分不为正，按0计", "0.00"]
    assert re.search(r"合计</th>\s*<td[^>]*>500.00</td>", own)
    # The office itself assesses and is not ranked: no composite, and the page says why.
    assert unranked.status_code == 200
    assert 'id="composite-breakdown"' not in unranked.content.decode()
    assert "没有千分制综合得分" in unranked.content.decode()


def test_quarterly_circular_has_the_composite_column(example):
    w = example
    office = w.county_party_office
    editor = make_cast(w).county_editor
    c = Client()
    c.force_login(editor)
    base = f"{reverse('scoring:circular')}?office={office.pk}&period=2026Q1"
    with at(date(2026, 4, 2)):
        docx = c.get(base)
        xlsx = c.get(base + "&format=xlsx")
        api = ApiClient(token_issue(user=editor, name="测试")[1])
        api_rows = api.get(f"/scoring/offices/{office.pk}/circular", {"period": "2026Q1"}).json()["rows"]
    assert [(r["code"], r["composite"]) for r in api_rows] == [
        (w.township.code, 500.0),
        (w.township2.code, 566.67),
        (w.county_dept.code, 553.33),
    ]
    table = Document(BytesIO(docx.content)).tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    column = header.index("千分制综合得分")
    assert header[column - 1] == "得分" and header[column + 1] == "完成率"
    body = {row.cells[1].text: (row.cells[0].text, row.cells[column].text) for row in table.rows[1:]}
    # Ranked by total (城关镇 55, 白沙镇 45, 教育局 44); the composite is the worked example's.
    assert body == {
        w.township.short_name or w.township.name: ("1", "500.00"),
        w.township2.short_name or w.township2.name: ("2", "566.67"),
        w.county_dept.short_name or w.county_dept.name: ("3", "553.33"),
    }
    sheet = list(load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(values_only=True))
    assert sheet[0].index("千分制综合得分") == column
    assert [(r[0], r[column]) for r in sheet[1:]] == [(1, 500), (2, 566.67), (3, 553.33)]
