"""/api/v1/informants: the registry (信息员备案) through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.api.tests.conftest import assert_error
from xinbao.audit.models import AuditEvent, EventType
from xinbao.orgs.models import InformantRecord
from xinbao.orgs.services import informant_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(world):
    return make_user(world.township, username="clerk1", full_name="王小明")


@pytest.fixture
def record(actors, world, clerk):
    return informant_register(
        actor=actors.alice,
        unit=world.township,
        person=clerk,
        kind="full_time",
        start_date=timezone.localdate() - timedelta(days=30),
        reason="镇党委会议研究确定",
    )


def test_alice_registers_an_informant(api_as, actors, world, clerk):
    body = {"unit": world.township.pk, "person": clerk.pk, "kind": "full_time", "reason": "新任"}
    response = api_as(actors.alice).post("/informants", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["is_current"] and data["kind_label"] == "专职" and data["person_name"] == "王小明"
    assert data["start_date"] == timezone.localdate().isoformat()
    assert [c["action"] for c in data["changes"]] == ["register"]
    assert data["filed_by"] == "艾丽"
    assert AuditEvent.objects.filter(event_type=EventType.INFORMANT_REGISTER, actor=actors.alice).exists()


def test_bob_may_not_register(api_as, actors, world, clerk):
    body = {"unit": world.township.pk, "person": clerk.pk, "kind": "full_time", "reason": "新任"}
    assert_error(api_as(actors.bob).post("/informants", body), 403, "forbidden")
    assert not InformantRecord.objects.exists()


def test_charlie_may_not_register_in_another_county(api_as, actors, world, clerk):
    body = {"unit": world.township.pk, "person": clerk.pk, "kind": "full_time", "reason": "新任"}
    assert_error(api_as(actors.charlie).post("/informants", body), 404, "not_found")
    assert not InformantRecord.objects.exists()


@pytest.mark.parametrize(
    ("override", "status", "fragment"),
    [
        ({"kind": "sometimes"}, 422, "kind 取值无效"),
        ({"start_date": "2026-13-01"}, 422, "start_date 日期格式"),
        ({"reason": ""}, 400, "请填写事由"),
        ({"reason": None}, 422, "缺少必填项 reason"),
        ({"person": "abc"}, 422, "person 应为整数"),
        ({"start_date": "2999-01-01"}, 400, "备案日期不能晚于今天"),
    ],
)
def test_bad_registration_changes_nothing(api_as, actors, world, clerk, override, status, fragment):
    body = {"unit": world.township.pk, "person": clerk.pk, "kind": "full_time", "reason": "新任", **override}
    body = {k: v for k, v in body.items() if v is not None}
    assert_error(api_as(actors.alice).post("/informants", body), status, "invalid", fragment)
    assert not InformantRecord.objects.exists()


def test_person_of_another_unit_or_county(api_as, actors, world, clerk):
    body = {"unit": world.township2.pk, "person": clerk.pk, "kind": "full_time", "reason": "新任"}
    assert_error(api_as(actors.alice).post("/informants", body), 400, "invalid", "不是安平县白沙镇的人员")
    stranger = make_user(world.other_township, username="sq1")
    body = {"unit": world.township.pk, "person": stranger.pk, "kind": "full_time", "reason": "新任"}
    assert assert_error(api_as(actors.alice).post("/informants", body), 404, "not_found")["field"] == "person"
    assert not InformantRecord.objects.exists()


def test_list_filters_and_scope(api_as, actors, world, record):
    api = api_as(actors.bob)
    assert [r["id"] for r in api.get("/informants").json()["results"]] == [record.pk]
    assert api.get("/informants", {"unit": world.township2.pk}).json()["count"] == 0
    assert api.get("/informants", {"current": "false"}).json()["count"] == 0
    assert api.get("/informants", {"kind": "part_time"}).json()["count"] == 0
    assert api.get("/informants", {"kind": "full_time", "current": "true"}).json()["count"] == 1
    assert api_as(actors.charlie).get("/informants").json()["count"] == 0
    assert_error(api.get("/informants", {"current": "maybe"}), 422, "invalid", "current 应为布尔值")


def test_detail(api_as, actors, record):
    data = api_as(actors.bob).get(f"/informants/{record.pk}").json()
    assert data["start_reason"] == "镇党委会议研究确定"
    assert data["changes"][0]["action_label"] == "备案"
    assert_error(api_as(actors.charlie).get(f"/informants/{record.pk}"), 404, "not_found")


def test_change_kind(api_as, actors, record):
    response = api_as(actors.alice).post(
        f"/informants/{record.pk}/change-kind", {"kind": "part_time", "reason": "改为兼职"}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["kind"] == "part_time"
    assert [c["action"] for c in data["changes"]] == ["register", "change_kind"]
    assert_error(
        api_as(actors.alice).post(
            f"/informants/{record.pk}/change-kind", {"kind": "part_time", "reason": "再改"}
        ),
        400,
        "invalid",
        "类型没有变化",
    )
    assert_error(
        api_as(actors.alice).post(f"/informants/{record.pk}/change-kind", {"kind": "boss", "reason": "x"}),
        422,
        "invalid",
        "kind 取值无效",
    )


def test_change_kind_refused_for_bob_and_charlie(api_as, actors, record):
    body = {"kind": "part_time", "reason": "改为兼职"}
    assert_error(api_as(actors.bob).post(f"/informants/{record.pk}/change-kind", body), 403, "forbidden")
    assert_error(api_as(actors.charlie).post(f"/informants/{record.pk}/change-kind", body), 404, "not_found")
    record.refresh_from_db()
    assert record.kind == "full_time" and record.changes.count() == 1


def test_end(api_as, actors, record):
    response = api_as(actors.alice).post(f"/informants/{record.pk}/end", {"reason": "调离"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert not data["is_current"] and data["end_reason"] == "调离"
    assert data["end_date"] == timezone.localdate().isoformat()
    assert_error(
        api_as(actors.alice).post(f"/informants/{record.pk}/end", {"reason": "再终止"}),
        400,
        "invalid",
        "已终止",
    )


def test_end_refused_or_invalid_changes_nothing(api_as, actors, record):
    assert_error(
        api_as(actors.bob).post(f"/informants/{record.pk}/end", {"reason": "调离"}), 403, "forbidden"
    )
    assert_error(
        api_as(actors.charlie).post(f"/informants/{record.pk}/end", {"reason": "调离"}), 404, "not_found"
    )
    early = (record.start_date - timedelta(days=1)).isoformat()
    assert_error(
        api_as(actors.alice).post(f"/informants/{record.pk}/end", {"reason": "调离", "end_date": early}),
        400,
        "invalid",
        "不能早于备案日期",
    )
    assert_error(
        api_as(actors.alice).post(f"/informants/{record.pk}/end", {}), 422, "invalid", "缺少必填项 reason"
    )
    record.refresh_from_db()
    assert record.end_date is None


def test_unit_admin_of_the_township_may_register(api_as, world, clerk):
    unit_admin = make_user(world.township, Role.UNIT_ADMIN, username="townadmin")
    body = {"unit": world.township.pk, "person": clerk.pk, "kind": "part_time", "reason": "兼任"}
    assert api_as(unit_admin).post("/informants", body).status_code == 201
