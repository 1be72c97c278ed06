"""The audit page and its export: the audit admin only (三员分立), only within his region."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit import services as audit_services
from xinbao.audit.models import AuditEvent, EventType
from xinbao.audit.selectors import audit_events_visible_to
from xinbao.audit.services import audit_record

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def log(people):
    """One row per county plus a row without any unit (a failed login under an unknown name)."""
    ap = audit_record(
        event_type=EventType.UNIT_UPDATE,
        actor=people.anping_clerk,
        object_repr="安平事件对象",
        ip="10.1.2.3",
        detail={"changes": {"name": ["旧名", "新名"]}},
    )
    sq = audit_record(
        event_type=EventType.UNIT_UPDATE,
        actor=people.shiqiao_clerk,
        object_repr="石桥事件对象",
        ip="10.9.9.9",
    )
    anon = audit_record(
        event_type=EventType.LOGIN_FAILED,
        username="nobody",
        object_repr="无主登录失败",
        success=False,
        ip="192.0.2.1",
    )
    return {"anping": ap, "shiqiao": sq, "anonymous": anon}


def page(client, **params):
    response = client.get(reverse("audit:log"), params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


# --- who may read -------------------------------------------------------------------------------------------------


def test_alice_sees_her_county_only(verified_client, people, log):
    body = page(verified_client(people.alice))
    assert "安平事件对象" in body
    assert "石桥事件对象" not in body
    assert "无主登录失败" not in body  # no unit: only a root-level auditor sees it


def test_charlie_sees_his_county_only(verified_client, people, log):
    body = page(verified_client(people.charlie))
    assert "石桥事件对象" in body
    assert "安平事件对象" not in body


def test_bob_system_admin_is_refused_and_the_attempt_logged(verified_client, people, log):
    client = verified_client(people.bob)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "三员分立" in body
    assert "安平事件对象" not in body
    denied = AuditEvent.objects.filter(event_type=EventType.PERMISSION_DENIED, actor=people.bob).get()
    assert denied.success is False
    assert client.get(reverse("audit:export")).status_code == 403
    assert client.post(reverse("audit:verify")).status_code == 403
    assert not AuditEvent.objects.filter(event_type=EventType.AUDIT_EXPORT).exists()


def test_security_admin_and_informant_are_refused(verified_client, world, client, people):
    security = make_user(world.county_party_office, Role.SECURITY_ADMIN)
    assert verified_client(security).get(reverse("audit:log")).status_code == 403
    client.force_login(people.anping_clerk)
    assert client.get(reverse("audit:log")).status_code == 403


def test_anonymous_goes_to_login(client, log):
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    response = client.get(reverse("audit:export"))
    assert response.status_code == 302


def test_root_level_auditor_sees_everything_including_rows_without_unit(verified_client, world, log):
    province_auditor = make_user(world.province_party_office, Role.AUDIT_ADMIN)
    body = page(verified_client(province_auditor))
    for text in ("安平事件对象", "石桥事件对象", "无主登录失败"):
        assert text in body


def test_selector_returns_nothing_for_non_auditors(people, log):
    assert not audit_events_visible_to(user=people.bob).exists()
    assert not audit_events_visible_to(user=people.anping_clerk).exists()
    ids = set(audit_events_visible_to(user=people.alice).values_list("id", flat=True))
    assert log["anping"].pk in ids and log["shiqiao"].pk not in ids


# --- what a row shows ----------------------------------------------------------------------------------------------


def test_row_shows_time_user_unit_event_object_ip_result_detail(verified_client, people):
    with time_machine.travel(datetime(2026, 3, 5, 8, 9, 10, tzinfo=SHANGHAI), tick=False):
        audit_record(
            event_type=EventType.ROLE_GRANT,
            actor=people.anping_clerk,
            object_repr="授权对象甲",
            ip="10.3.3.3",
            success=False,
            detail={"role": "editor"},
        )
    body = page(verified_client(people.alice), object="授权对象甲")
    assert "2026年3月5日 08:09:10" in body
    assert "安小平" in body and "ap_clerk" in body
    assert "安平县教育局" in body
    assert "授予角色" in body
    assert "10.3.3.3" in body
    assert "失败" in body
    assert "editor" in body


# --- filters and paging --------------------------------------------------------------------------------------------


def test_filters(verified_client, people, log):
    client = verified_client(people.alice)
    audit_record(event_type=EventType.LOGIN, actor=people.alice, object_repr="艾丽登录", ip="10.7.0.1")
    audit_record(
        event_type=EventType.LOGIN_FAILED, actor=people.anping_clerk, object_repr="失败登录", success=False
    )

    body = page(client, user="AP_CL")  # username contains, case-insensitive
    assert "安平事件对象" in body and "艾丽登录" not in body

    body = page(client, event_type=EventType.LOGIN)
    assert "艾丽登录" in body and "安平事件对象" not in body

    body = page(client, result="failure")
    assert "失败登录" in body and "艾丽登录" not in body

    body = page(client, ip="10.7.")
    assert "艾丽登录" in body and "安平事件对象" not in body

    body = page(client, object="安平事件")
    assert "安平事件对象" in body and "艾丽登录" not in body

    # A filter never widens the scope: charlie's county stays out even when asked for by name.
    body = page(client, object="石桥事件")
    assert "石桥事件对象" not in body


def test_date_range_filter(verified_client, people):
    with time_machine.travel(datetime(2026, 1, 10, 23, 30, tzinfo=SHANGHAI), tick=False):
        audit_record(event_type=EventType.CONFIG_CHANGE, actor=people.anping_clerk, object_repr="一月十日")
    with time_machine.travel(datetime(2026, 1, 11, 0, 30, tzinfo=SHANGHAI), tick=False):
        audit_record(event_type=EventType.CONFIG_CHANGE, actor=people.anping_clerk, object_repr="一月十一日")
    client = verified_client(people.alice)
    body = page(client, date_from="2026-01-10", date_to="2026-01-10")
    assert "一月十日" in body and "一月十一日" not in body  # local days, not UTC days
    body = page(client, date_from="2026-01-11")
    assert "一月十一日" in body and "一月十日" not in body


def test_bad_filters_get_a_chinese_message_and_no_rows(verified_client, people, log):
    client = verified_client(people.alice)
    body = page(client, date_from="2026-02-01", date_to="2026-01-01")
    assert "结束日期不能早于开始日期" in body
    assert "安平事件对象" not in body
    body = page(client, date_from="不是日期")
    assert "安平事件对象" not in body
    assert "筛选条件有误" in body


def test_paging_keeps_the_filters(verified_client, people):
    for i in range(55):
        audit_record(
            event_type=EventType.CONFIG_CHANGE, actor=people.anping_clerk, object_repr=f"分页对象{i:02d}"
        )
    client = verified_client(people.alice)
    first = page(client, event_type=EventType.CONFIG_CHANGE)
    assert "分页对象54" in first and "分页对象04" not in first
    assert "event_type=config_change&amp;page=2" in first
    second = page(client, event_type=EventType.CONFIG_CHANGE, page=2)
    assert "分页对象04" in second and "分页对象54" not in second
    assert "第 2 / 2 页" in second


# --- export --------------------------------------------------------------------------------------------------------


def load_sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return wb.active


def test_export_contains_the_filtered_visible_rows_and_is_audited(verified_client, people, log):
    audit_record(event_type=EventType.LOGIN, actor=people.alice, object_repr="艾丽登录")
    client = verified_client(people.alice)
    ws = load_sheet(client.get(reverse("audit:export"), {"event_type": EventType.UNIT_UPDATE}))
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "时间", "用户名")
    objects = [r[7] for r in rows[1:]]
    assert objects == ["安平事件对象"]
    row = rows[1]
    assert row[2] == "ap_clerk" and row[4] == "安平县教育局" and row[5] == "修改单位"
    assert row[8] == "10.1.2.3" and row[9] == "成功"
    assert "新名" in row[10]
    exported = AuditEvent.objects.get(event_type=EventType.AUDIT_EXPORT)
    assert exported.actor == people.alice
    assert exported.detail["rows"] == 1
    assert exported.detail["filters"] == {"event_type": "unit_update"}


def test_export_by_date_range_records_the_filters(verified_client, people):
    with time_machine.travel(datetime(2026, 1, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        audit_record(
            event_type=EventType.CONFIG_CHANGE, actor=people.anping_clerk, object_repr="一月十日配置"
        )
    audit_record(event_type=EventType.CONFIG_CHANGE, actor=people.anping_clerk, object_repr="今天的配置")
    client = verified_client(people.alice)
    ws = load_sheet(client.get(reverse("audit:export"), {"date_from": "2026-01-10", "date_to": "2026-01-10"}))
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[7] for r in rows] == ["一月十日配置"]
    assert rows[0][1] == datetime(2026, 1, 10, 9, 0)  # local wall-clock time, as the office reads it
    exported = AuditEvent.objects.get(event_type=EventType.AUDIT_EXPORT)
    assert exported.detail["filters"] == {"date_from": "2026-01-10", "date_to": "2026-01-10"}


def test_charlie_export_excludes_alices_county(verified_client, people, log):
    ws = load_sheet(verified_client(people.charlie).get(reverse("audit:export")))
    objects = {r[7] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert "石桥事件对象" in objects
    assert "安平事件对象" not in objects
    assert "无主登录失败" not in objects


def test_export_keeps_formulas_as_text(verified_client, people):
    audit_record(
        event_type=EventType.UNIT_CREATE, actor=people.anping_clerk, object_repr='=HYPERLINK("x","y")'
    )
    ws = load_sheet(verified_client(people.alice).get(reverse("audit:export")))
    cells = [row[7] for row in ws.iter_rows(min_row=2)]
    target = next(c for c in cells if c.value and str(c.value).startswith("=HYPERLINK"))
    assert target.data_type == "s"


def test_export_over_the_limit_is_refused_with_a_message(verified_client, people, log, monkeypatch):
    monkeypatch.setattr(audit_services, "EXPORT_MAX_ROWS", 0)
    client = verified_client(people.alice)
    response = client.get(reverse("audit:export"), follow=True)
    body = response.content.decode()
    assert "超过单次导出上限0条" in body
    assert not AuditEvent.objects.filter(event_type=EventType.AUDIT_EXPORT).exists()


def test_export_with_bad_filters_is_refused(verified_client, people, log):
    response = verified_client(people.alice).get(
        reverse("audit:export"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}, follow=True
    )
    assert "筛选条件有误" in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.AUDIT_EXPORT).exists()


# --- verification on demand ----------------------------------------------------------------------------------------


def test_verify_button_reports_complete_and_is_audited(verified_client, people, log):
    client = verified_client(people.alice)
    response = client.post(reverse("audit:verify"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "完整：共校验" in response.content.decode()
    row = AuditEvent.objects.get(event_type=EventType.AUDIT_VERIFY)
    assert row.success and row.actor == people.alice


def test_verify_button_names_the_broken_row(verified_client, people, log):
    from django.db import connection

    from xinbao.audit.tests.test_audit_verify import triggers_off

    with triggers_off(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["改", log["anping"].pk])
    client = verified_client(people.alice)
    response = client.post(reverse("audit:verify"), follow=True)
    body = response.content.decode()
    assert f"#{log['anping'].pk}" in body and "不完整" in body
    assert AuditEvent.objects.get(event_type=EventType.AUDIT_VERIFY).success is False


def test_verify_requires_post(verified_client, people):
    assert verified_client(people.alice).get(reverse("audit:verify")).status_code == 405
