"""通报 (.docx/.xlsx), commendation proposals and 姓氏笔画 order."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.reports.tests.factories import make_cast
from xinbao.scoring.circulars import circular_rows, commendation_proposals
from xinbao.scoring.periods import parse_period
from xinbao.scoring.services import ledger_rebuild
from xinbao.scoring.strokes import by_surname_strokes, stroke_count
from xinbao.scoring.tests.support import adopted_item, at, record_external


def test_stroke_counts_and_surname_order():
    assert [stroke_count(c) for c in "丁王张欧"] == [2, 4, 7, 8]
    # By the surname's strokes (张 and 李 both 7: code point order), same surnames together, then the next characters.
    names = ["张伟", "王芳", "欧阳明", "丁一", "王五", "李四", "Smith"]
    assert by_surname_strokes(names) == ["丁一", "王五", "王芳", "张伟", "李四", "欧阳明", "Smith"]


@pytest.fixture
def scored(world):
    cast = make_cast(world)
    item = adopted_item(world, cast, day=date(2026, 3, 10), city=True)
    record_external(cast, item, level="province", publication="明江信息专报", day=date(2026, 3, 12))
    ledger_rebuild(actor=cast.county_editor, office=world.county_party_office, year=2026)
    return cast, item


@pytest.mark.django_db
def test_circular_rows_count_submissions_adoptions_by_level_and_score(world, scored):
    rows = {
        r.code: r
        for r in circular_rows(
            office=world.county_party_office, period=parse_period("2026Q1"), today=date(2026, 4, 1)
        )
    }
    town = rows[world.township.code]
    assert (town.submitted, town.adopted, float(town.score)) == (
        1,
        {"city": 1, "province": 1, "central": 0},
        30.0,
    )
    assert town.completion is not None and float(town.completion) == pytest.approx(3.3)  # 1 of 10 × 3 months


@pytest.mark.django_db
def test_commendations_order_informants_by_surname_strokes(world, scored):
    cast, item = scored
    # 朱建国 (朱, 6 strokes) and a second informant 丁 (2 strokes) with an item adopted by the province.
    ding = make_user(world.township2, Role.INFORMANT, username="ding", full_name="丁晓明")
    signer2 = make_user(world.township2, Role.SIGNER, username="s2", full_name="审签人")
    from xinbao.reports.services import report_signoff, report_submit, submission_adopt
    from xinbao.reports.tests.factories import make_report

    with at(date(2026, 5, 6)):
        r = make_report(ding, title="白沙镇推进秸秆综合利用")
        report_submit(actor=ding, report=r)
        report_signoff(actor=signer2, report=r, approve=True)
        submission_adopt(
            actor=cast.county_editor, submission=r.submissions.get(office=world.county_party_office)
        )
    record_external(cast, r, level="province", publication="明江信息", day=date(2026, 5, 8))
    ledger_rebuild(actor=cast.county_editor, office=world.county_party_office, year=2026)
    p = commendation_proposals(office=world.county_party_office, year=2026)
    assert [x.name for x in p.informants] == [
        "丁晓明",
        "朱建国",
    ]  # 丁 (2) before 朱 (6) although 朱 scored more
    assert [u.code for u in p.units] == [world.township.code, world.township2.code]
    assert [(pk, float(s)) for pk, _t, _u, s in p.items] == [(item.pk, 30.0)]  # 20 < the 30-point floor


@pytest.mark.django_db
def test_circular_and_commendation_downloads(world, scored):
    cast, _item = scored
    c = Client()
    c.force_login(cast.county_editor)
    office = world.county_party_office.pk
    with at(date(2026, 4, 2)):
        docx = c.get(reverse("scoring:circular") + f"?office={office}&period=2026Q1")
        xlsx = c.get(reverse("scoring:circular") + f"?office={office}&period=2026Q1&format=xlsx")
        page = c.get(reverse("scoring:commendations") + f"?office={office}&year=2026")
        word = c.get(reverse("scoring:commendations") + f"?office={office}&year=2026&format=docx")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "关于2026年第一季度信息工作情况的通报" in text and "中共安平县委办公室" in text
    table = Document(BytesIO(docx.content)).tables[0]
    assert [cell.text for cell in table.rows[0].cells][:3] == ["名次", "单位", "报送"]
    rows = list(load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][1] == "城关镇" and rows[1][7] == 30
    assert page.status_code == 200 and "朱建国" in page.content.decode()
    assert word.status_code == 200
    other = Client()
    other.force_login(cast.other_editor)
    assert other.get(reverse("scoring:circular") + f"?office={office}&period=2026Q1").status_code == 404
    assert other.get(reverse("scoring:commendations") + f"?office={office}").status_code == 404
