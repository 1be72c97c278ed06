"""Item-list exports (.xlsx): the rows are the page's rows through the same selector, so an export never lists an
item its reader may not see; exports are audited; user text stays text in Excel.

alice may (the item's informant for her unit's list; the county editor for the inbox), bob is a colleague with
another role (a fellow informant who may not see a restricted item; the county leader who sees no restricted item
in the inbox), charlie is in another county and lists none of them."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.reports.models import ReportType, Visibility
from xinbao.reports.tests.api_support import sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(cast):
    normal = sent(cast)
    restricted = sent(cast, title="城关镇部分村集体经济收入下滑问题", report_type=ReportType.PROBLEM)
    assert restricted.visibility == Visibility.RESTRICTED
    return normal, restricted


def download(user, name, params=None):
    c = Client()
    c.force_login(user)
    return c.get(reverse(name), params or {})


def rows(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = list(sheet.iter_rows(values_only=True))
    return table[0], table[1:]


def test_unit_list_export_follows_visibility(cast, world, items):
    normal, restricted = items
    header, data = rows(download(cast.informant, "reports:mine_export"))  # alice: her own unit's list
    assert header[:4] == ("编号", "报送时间", "报送单位", "标题")
    assert {r[0] for r in data} == {normal.pk, restricted.pk}
    by_id = {r[0]: r for r in data}
    assert by_id[restricted.pk][5] == "内参（限定范围）" and by_id[normal.pk][2] == "安平县城关镇"
    # bob: a fellow informant of the unit does not see the restricted item, in the list or the export.
    _h, data = rows(download(cast.colleague, "reports:mine_export"))
    assert {r[0] for r in data} == {normal.pk}
    # charlie: an informant of another county lists only his own unit's items.
    charlie = make_user(world.other_township, Role.INFORMANT)
    _h, data = rows(download(charlie, "reports:mine_export"))
    assert data == []
    # An office editor has no unit list to export.
    assert download(cast.county_editor, "reports:mine_export").status_code == 403


def test_unit_list_export_applies_the_page_filters(cast, items):
    normal, _restricted = items
    _h, data = rows(download(cast.informant, "reports:mine_export", {"type": ReportType.DYNAMIC}))
    assert [r[0] for r in data] == [normal.pk]
    # A bad filter value is ignored as on the page (the page shows its message); nothing fails.
    _h, data = rows(download(cast.informant, "reports:mine_export", {"date_from": "2026-13-40"}))
    assert len(data) == 2


def test_inbox_export_follows_visibility_and_is_audited(cast, world, items):
    normal, restricted = items
    _h, data = rows(download(cast.county_editor, "reports:inbox_export", {"state": "all"}))  # alice
    assert {r[0] for r in data} == {normal.pk, restricted.pk}
    event = AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT, actor=cast.county_editor).get()
    assert event.detail["rows"] == 2 and event.detail["restricted"] == [restricted.pk]
    _h, data = rows(download(cast.county_leader, "reports:inbox_export", {"state": "all"}))  # bob
    assert {r[0] for r in data} == {normal.pk}
    _h, data = rows(download(cast.other_editor, "reports:inbox_export", {"state": "all"}))  # charlie
    assert data == []
    assert download(cast.informant, "reports:inbox_export").status_code == 403


def test_user_text_stays_text_in_the_workbook(cast):
    report = sent(cast, title='=HYPERLINK("http://example.com","点击")城关镇情况')
    response = download(cast.informant, "reports:mine_export")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = next(c for c in sheet["D"] if c.row > 1)
    assert cell.value == report.title and cell.data_type == "s"
