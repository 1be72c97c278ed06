"""Every scoring download is audited (等保 安全审计, as the item exports of reports are): one DATA_EXPORT row naming
who downloaded, from which unit, what table of which office, period (and unit) in which format, and how many rows.
Whoever is refused the download (404) leaves no row."""

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
from xinbao.audit.models import AuditEvent, EventType
from xinbao.reports.tests.factories import make_cast
from xinbao.scoring.services import ledger_rebuild
from xinbao.scoring.tests.support import adopted_item, at, record_external

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 2)
Q1 = "2026年第一季度"


@pytest.fixture
def cast(world):
    c = make_cast(world)
    item = adopted_item(world, c, day=date(2026, 3, 10), city=True)
    record_external(c, item, level="province", publication="明江信息专报", day=date(2026, 3, 12))
    with at(TODAY):
        ledger_rebuild(actor=c.county_editor, office=world.county_party_office, year=2026)
    return c


def office_url(world, name: str, query: str) -> str:
    return f"{reverse(name)}?office={world.county_party_office.pk}&{query}"


def ledger_url(world, query: str) -> str:
    return f"{reverse('scoring:unit_export', args=[world.county_party_office.pk, world.township.pk])}?{query}"


# (what, url, format, period label, rows): every file a scoring page offers. Rows are those of the file's table
# (the 通报's ranked units; the proposals' units, informants and items together; a ledger's entries).
EXPORTS = [
    ("unit_ranking", lambda w: office_url(w, "scoring:rankings_export", "period=2026Q1"), "xlsx", Q1, 3),
    (
        "informant_ranking",
        lambda w: office_url(w, "scoring:rankings_export", "period=2026Q1&tab=informants"),
        "xlsx",
        Q1,
        1,
    ),
    (
        "quota_informants",  # nobody is registered as an informant (备案) in this world: an empty table
        lambda w: office_url(w, "scoring:quotas_export", "period=2026Q1&table=informants"),
        "xlsx",
        Q1,
        0,
    ),
    (
        "quota_units",
        lambda w: office_url(w, "scoring:quotas_export", "period=2026Q1&table=units"),
        "xlsx",
        Q1,
        3,
    ),
    (
        "quota_supervision",
        lambda w: office_url(w, "scoring:quotas_export", "period=2026Q1&table=supervision"),
        "xlsx",
        "2026年",
        3,
    ),
    (
        "quota_inactive",
        lambda w: office_url(w, "scoring:quotas_export", "period=2026Q1&table=inactive"),
        "xlsx",
        Q1,
        0,
    ),
    ("dashboard_units", lambda w: office_url(w, "scoring:dashboard_export", "period=2026Q1"), "xlsx", Q1, 1),
    (
        "dashboard_completion",
        lambda w: office_url(w, "scoring:dashboard_export", "period=2026Q1&table=completion"),
        "xlsx",
        Q1,
        3,
    ),
    ("circular", lambda w: office_url(w, "scoring:circular", "period=2026Q1"), "docx", Q1, 3),
    ("circular", lambda w: office_url(w, "scoring:circular", "period=2026Q1&format=xlsx"), "xlsx", Q1, 3),
    (
        "commendations",
        lambda w: office_url(w, "scoring:commendations", "year=2026&format=docx"),
        "docx",
        "2026年",
        3,
    ),
    (
        "commendations",
        lambda w: office_url(w, "scoring:commendations", "year=2026&format=xlsx"),
        "xlsx",
        "2026年",
        3,
    ),
]
LABELS = {
    "unit_ranking": "单位排名",
    "informant_ranking": "信息员排名",
    "quota_informants": "信息员任务完成情况",
    "quota_units": "单位任务完成情况",
    "quota_supervision": "重点督查名单",
    "quota_inactive": "长期未报送信息员",
    "dashboard_units": "各单位得分",
    "dashboard_completion": "各单位报送任务完成率",
    "circular": "信息工作情况通报",
    "commendations": "年度表彰推荐名单",
}


def download(user, url: str):
    c = Client()
    c.force_login(user)
    with at(TODAY):
        response = c.get(url)
    if response.status_code == 200 and response.streaming:
        response.body = b"".join(response.streaming_content)
    elif response.status_code == 200:
        response.body = response.content
    return response


def data_rows(response, fmt: str) -> int | None:
    """The rows of the downloaded table below its header (the 通报's ranking table in a .docx)."""
    if fmt == "xlsx":
        sheet = load_workbook(BytesIO(response.body)).active
        return sum(1 for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)) - 1
    tables = Document(BytesIO(response.body)).tables
    return len(tables[0].rows) - 1 if tables else None


def exports() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT).order_by("id"))


@pytest.mark.parametrize("what, url, fmt, period, rows", EXPORTS, ids=[f"{e[0]}-{e[2]}" for e in EXPORTS])
def test_each_office_export_is_audited(world, cast, what, url, fmt, period, rows):
    office = world.county_party_office
    response = download(cast.county_leader, url(world))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment")
        and f".{fmt}" in response["Content-Disposition"]
    )
    [event] = exports()
    assert (event.actor_id, event.actor_username) == (cast.county_leader.pk, "xld")
    assert (event.unit_id_snapshot, event.unit_name) == (office.pk, office.name)
    assert (event.object_type, event.object_id) == ("scoring.office", str(office.pk))
    assert event.object_repr == f"{LABELS[what]}（{office.name}，{period}，.{fmt}）"
    assert event.detail == {
        "what": what,
        "format": fmt,
        "office": office.code,
        "period": {"2026年": "2026", Q1: "2026Q1"}[period],
        "rows": rows,
    }
    if what != "commendations":  # the proposals file lists units, informants and items in three parts
        assert data_rows(response, fmt) == rows


@pytest.mark.parametrize("subtree", [False, True])
def test_a_units_ledger_export_is_audited_with_the_unit(world, cast, subtree):
    office, town = world.county_party_office, world.township
    # The unit's own informant exports its ledger: the row names them, their unit and the unit exported.
    response = download(
        cast.informant, ledger_url(world, "period=2026Q1" + ("&subtree=1" if subtree else ""))
    )
    assert response.status_code == 200 and data_rows(response, "xlsx") == 2
    [event] = exports()
    assert (event.actor_id, event.unit_id_snapshot, event.unit_name) == (
        cast.informant.pk,
        town.pk,
        town.name,
    )
    scope = "（含下级单位）" if subtree else ""
    assert event.object_repr == f"计分明细：{town.name}{scope}（{office.name}，{Q1}，.xlsx）"
    assert event.detail == {
        "what": "unit_ledger",
        "format": "xlsx",
        "office": office.code,
        "period": "2026Q1",
        "rows": 2,  # 市 10 + 省 20
        "unit": town.code,
        "subtree": subtree,
    }


def test_refused_downloads_leave_no_audit_row(world, cast):
    clerk = make_user(world.county_party_office, Role.INFORMANT, username="bgsxxy", full_name="办公室信息员")
    for who in (
        clerk,
        cast.informant,
        cast.other_editor,
    ):  # a colleague without oversight, a unit, a stranger
        for _what, url, _fmt, _period, _rows in EXPORTS:
            assert download(who, url(world)).status_code == 404, (who.username, url(world))
    # Another unit's ledger: the sibling township's informant and the other county's editor.
    for who in (cast.sibling_informant, cast.other_editor):
        assert download(who, ledger_url(world, "period=2026Q1")).status_code == 404
    assert exports() == []


def test_the_pages_themselves_are_not_exports(world, cast):
    office = world.county_party_office
    for url in (
        office_url(world, "scoring:commendations", "year=2026"),
        office_url(world, "scoring:quotas", "period=2026Q1"),
        office_url(world, "scoring:rankings", "period=2026Q1"),
        f"{reverse('scoring:unit', args=[office.pk, world.township.pk])}?period=2026Q1",
    ):
        assert download(cast.county_editor, url).status_code == 200, url
    assert exports() == []
