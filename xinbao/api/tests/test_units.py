"""/api/v1/units: list, detail, create, update, report targets — alice may, bob reads only, charlie sees nothing."""

from __future__ import annotations

import pytest

from xinbao.api.tests.conftest import assert_error
from xinbao.audit.models import AuditEvent, EventType
from xinbao.orgs.models import Unit

pytestmark = pytest.mark.django_db


def new_unit_body(world, **overrides):
    body = {
        "code": "AP-NEW-01",
        "name": "安平县统计局",
        "level": "county",
        "kind": "department",
        "parent": world.county.pk,
    }
    body.update(overrides)
    return body


# --- reads -------------------------------------------------------------------------------------------------------


def test_list_is_paged_and_scoped(api_as, actors, world):
    response = api_as(actors.alice).get("/units", {"page_size": 3})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "page", "page_size", "results"}
    assert data["page"] == 1 and data["page_size"] == 3 and len(data["results"]) == 3
    codes = set()
    page = 1
    while True:
        chunk = api_as(actors.alice).get("/units", {"page": page, "page_size": 3}).json()
        if not chunk["results"]:
            break
        codes |= {u["code"] for u in chunk["results"]}
        page += 1
    assert len(codes) == data["count"]
    assert world.county_dept.code in codes and world.township.code in codes
    assert world.other_county.code not in codes and world.other_township.code not in codes


def test_list_filters(api_as, actors, world):
    api = api_as(actors.alice)
    towns = api.get("/units", {"level": "township"}).json()["results"]
    assert {u["id"] for u in towns} == {world.township.pk, world.township2.pk}
    offices = api.get("/units", {"receiving_office": "true", "parent": world.county.pk}).json()["results"]
    assert {u["id"] for u in offices} == {world.county_party_office.pk, world.county_gov_office.pk}
    depts = api.get("/units", {"kind": "department"}).json()["results"]
    assert [u["id"] for u in depts] == [world.county_dept.pk]
    found = api.get("/units", {"q": "白沙"}).json()["results"]
    assert [u["name"] for u in found] == ["安平县白沙镇"]
    assert api.get("/units", {"active": "false"}).json()["count"] == 0


def test_list_rejects_bad_query_values(api_as, actors):
    api = api_as(actors.alice)
    assert_error(api.get("/units", {"level": "galaxy"}), 422, "invalid", "level 取值无效")
    assert_error(api.get("/units", {"page_size": "abc"}), 422, "invalid", "page_size 应为整数")
    assert_error(api.get("/units", {"page_size": 1000}), 422, "invalid", "page_size 不能大于200")
    assert_error(api.get("/units", {"page": 0}), 422, "invalid", "page 不能小于1")


def test_page_past_the_end_is_empty(api_as, actors):
    data = api_as(actors.alice).get("/units", {"page": 99}).json()
    assert data["results"] == [] and data["count"] > 0


def test_detail(api_as, actors, world):
    data = api_as(actors.bob).get(f"/units/{world.county_dept.pk}").json()
    assert data["code"] == world.county_dept.code
    assert data["level_label"] == "县(区)" and data["kind_label"] == "部门"
    assert data["parent_id"] == world.county.pk and data["parent_name"] == "安平县"


def test_charlie_gets_404_for_another_countys_unit(api_as, actors, world):
    body = assert_error(api_as(actors.charlie).get(f"/units/{world.county_dept.pk}"), 404, "not_found")
    assert "教育局" not in str(body)
    assert_error(
        api_as(actors.charlie).get(f"/units/{world.county_dept.pk}/report-targets"), 404, "not_found"
    )
    assert_error(api_as(actors.alice).get("/units/999999"), 404, "not_found")


def test_report_targets(api_as, actors, world):
    data = api_as(actors.bob).get(f"/units/{world.township.pk}/report-targets").json()
    assert {u["id"] for u in data["main"]} == {world.county_party_office.pk, world.county_gov_office.pk}
    assert data["direct"] == [] and data["copy"] == []


# --- create ------------------------------------------------------------------------------------------------------


def test_alice_creates_a_unit_and_it_is_audited(api_as, actors, world):
    response = api_as(actors.alice).post("/units", new_unit_body(world, sort_order=5, phone="0571-1234567"))
    assert response.status_code == 201, response.content
    data = response.json()
    unit = Unit.objects.get(code="AP-NEW-01")
    assert data["id"] == unit.pk and unit.parent == world.county and unit.sort_order == 5
    assert unit.path == f"{world.county.path}{unit.pk}/"
    event = AuditEvent.objects.filter(event_type=EventType.UNIT_CREATE).latest("id")
    assert event.actor == actors.alice and event.object_id == str(unit.pk)
    assert event.source_ip == "127.0.0.1"


def test_bob_may_not_create(api_as, actors, world):
    before = Unit.objects.count()
    assert_error(api_as(actors.bob).post("/units", new_unit_body(world)), 403, "forbidden", "系统管理员")
    assert Unit.objects.count() == before


def test_charlie_may_not_create_in_another_county(api_as, actors, world):
    before = Unit.objects.count()
    body = assert_error(api_as(actors.charlie).post("/units", new_unit_body(world)), 404, "not_found")
    assert body["field"] == "parent"
    assert Unit.objects.count() == before
    # ...but may in his own.
    own = new_unit_body(world, code="SQ-NEW-01", name="石桥县统计局", parent=world.other_county.pk)
    assert api_as(actors.charlie).post("/units", own).status_code == 201


@pytest.mark.parametrize(
    ("override", "status", "fragment"),
    [
        ({"code": None}, 422, "code"),
        ({"level": "galaxy"}, 422, "level 取值无效"),
        ({"kind": "club"}, 422, "kind 取值无效"),
        ({"sort_order": "abc"}, 422, "sort_order 应为整数"),
        ({"code": 123}, 422, "code 应为字符串"),
        ({"parent": "x"}, 422, "parent 应为整数"),
        ({"code": "X" * 33}, 422, "code 过长"),
        ({"colour": "red"}, 422, "不接受的字段 colour"),
        ({"name": "  "}, 400, "单位名称不能为空"),
        ({"code": "A B"}, 400, "单位编码不能含空格"),
        ({"level": "province"}, 400, "层级不能高于上级单位"),
        ({"kind": "region", "is_receiving_office": True}, 400, "行政区节点不能设为接收单位"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(
    api_as, actors, world, override, status, fragment
):
    before = Unit.objects.count()
    body = new_unit_body(world, **override)
    body = {k: v for k, v in body.items() if v is not None}
    assert_error(api_as(actors.alice).post("/units", body), status, "invalid", fragment)
    assert Unit.objects.count() == before


def test_missing_fields_are_listed(api_as, actors):
    body = assert_error(
        api_as(actors.alice).post("/units", {"name": "无编码局"}), 422, "invalid", "缺少必填项"
    )
    missing = {d["field"] for d in body["detail"]}
    assert {"code", "level", "kind", "parent"} <= missing


def test_duplicate_code_is_refused(api_as, actors, world):
    before = Unit.objects.count()
    body = assert_error(
        api_as(actors.alice).post("/units", new_unit_body(world, code=world.county_dept.code)),
        400,
        "invalid",
        "已被使用",
    )
    assert body["field"] == "code"
    assert Unit.objects.count() == before


def test_parent_must_be_a_region(api_as, actors, world):
    assert_error(
        api_as(actors.alice).post("/units", new_unit_body(world, parent=world.county_dept.pk)),
        400,
        "invalid",
        "上级单位必须是行政区",
    )


def test_body_that_is_not_json(api_as, actors):
    assert_error(api_as(actors.alice).post("/units", raw="{not json"), 400, "invalid", "JSON")


# --- update ------------------------------------------------------------------------------------------------------


def test_alice_updates_a_unit(api_as, actors, world):
    response = api_as(actors.alice).patch(f"/units/{world.county_dept.pk}", {"name": "安平县教育和体育局"})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "安平县教育和体育局"
    world.county_dept.refresh_from_db()
    assert world.county_dept.name == "安平县教育和体育局"
    event = AuditEvent.objects.filter(event_type=EventType.UNIT_UPDATE).latest("id")
    assert event.actor == actors.alice
    assert event.detail["changes"]["name"] == ["安平县教育局", "安平县教育和体育局"]


def test_bob_may_not_update(api_as, actors, world):
    assert_error(
        api_as(actors.bob).patch(f"/units/{world.county_dept.pk}", {"name": "改名"}), 403, "forbidden"
    )
    world.county_dept.refresh_from_db()
    assert world.county_dept.name == "安平县教育局"


def test_charlie_may_not_update_another_countys_unit(api_as, actors, world):
    assert_error(
        api_as(actors.charlie).patch(f"/units/{world.county_dept.pk}", {"name": "改名"}), 404, "not_found"
    )
    world.county_dept.refresh_from_db()
    assert world.county_dept.name == "安平县教育局"


def test_charlie_may_not_update_a_visible_office_above_him(api_as, actors, world):
    """The city office is visible to charlie (his items go there) but not his to manage."""
    assert_error(
        api_as(actors.charlie).patch(f"/units/{world.city_party_office.pk}", {"name": "改名"}),
        403,
        "forbidden",
    )


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"name": None}, 400, "单位名称不能为空"),
        ({"is_active": None}, 400, "启用标志不能为空"),
        ({"level": "galaxy"}, 422, "level 取值无效"),
        ({"sort_order": "first"}, 422, "sort_order 应为整数"),
        ({"nmae": "typo"}, 422, "不接受的字段 nmae"),
        ({"code": "MJ"}, 400, "已被使用"),
    ],
)
def test_bad_update_changes_nothing(api_as, actors, world, body, status, fragment):
    before = Unit.objects.values().get(pk=world.county_dept.pk)
    assert_error(
        api_as(actors.alice).patch(f"/units/{world.county_dept.pk}", body), status, "invalid", fragment
    )
    assert Unit.objects.values().get(pk=world.county_dept.pk) == before


def test_move_under_an_invisible_parent_is_404(api_as, actors, world):
    body = assert_error(
        api_as(actors.alice).patch(f"/units/{world.county_dept.pk}", {"parent": world.other_county.pk}),
        404,
        "not_found",
    )
    assert body["field"] == "parent"
    world.county_dept.refresh_from_db()
    assert world.county_dept.parent_id == world.county.pk


def test_deactivate_through_patch(api_as, actors, world):
    response = api_as(actors.alice).patch(f"/units/{world.township2.pk}", {"is_active": False})
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert api_as(actors.alice).get("/units", {"active": "false"}).json()["count"] == 1
