"""/api/v1/people: alice (system admin) manages her county's people, bob reads, charlie sees none of them."""

from __future__ import annotations

import pytest

from xinbao.accounts.models import Role, User
from xinbao.accounts.tests.factories import make_user
from xinbao.api.tests.conftest import assert_error
from xinbao.audit.models import AuditEvent, EventType

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Qz7#mLp2Wx"


@pytest.fixture
def clerk(world):
    return make_user(
        world.township, Role.INFORMANT, username="clerk1", full_name="王小明", phone="13800000001"
    )


def new_person(world, **overrides):
    body = {
        "username": "newbie",
        "full_name": "李新人",
        "unit": world.township.pk,
        "password": GOOD_PASSWORD,
        "phone": "13912345678",
    }
    body.update(overrides)
    return body


def test_list_scoped_and_filtered(api_as, actors, world, clerk):
    shiqiao = make_user(world.other_township, username="sq1", full_name="石头")
    data = api_as(actors.alice).get("/people").json()
    names = {p["username"] for p in data["results"]}
    assert {"alice", "bob", "clerk1"} <= names
    assert "charlie" not in names and "sq1" not in names
    informants = api_as(actors.bob).get("/people", {"role": "informant"}).json()["results"]
    assert [p["username"] for p in informants] == ["clerk1"]
    assert informants[0]["roles"] == ["informant"] and informants[0]["role_labels"] == ["信息员"]
    by_unit = api_as(actors.alice).get("/people", {"unit": world.township.pk}).json()["results"]
    assert [p["username"] for p in by_unit] == ["clerk1"]
    assert api_as(actors.alice).get("/people", {"q": "王小"}).json()["count"] == 1
    theirs = {p["username"] for p in api_as(actors.charlie).get("/people").json()["results"]}
    assert "sq1" in theirs and "clerk1" not in theirs
    assert shiqiao.pk


def test_list_rejects_bad_role(api_as, actors):
    assert_error(api_as(actors.alice).get("/people", {"role": "king"}), 422, "invalid", "role 取值无效")
    assert_error(
        api_as(actors.alice).get("/people", {"active": "perhaps"}), 422, "invalid", "active 应为布尔值"
    )


def test_detail_and_404_for_charlie(api_as, actors, clerk):
    data = api_as(actors.bob).get(f"/people/{clerk.pk}").json()
    assert data["full_name"] == "王小明" and data["unit_name"] == "安平县城关镇"
    assert "password" not in data
    assert_error(api_as(actors.charlie).get(f"/people/{clerk.pk}"), 404, "not_found")


def test_alice_creates_a_person(api_as, actors, world):
    response = api_as(actors.alice).post("/people", new_person(world))
    assert response.status_code == 201, response.content
    person = User.objects.get(username="newbie")
    assert person.unit == world.township and person.must_change_password
    assert person.check_password(GOOD_PASSWORD)
    assert "password" not in response.json()
    event = AuditEvent.objects.filter(event_type=EventType.USER_CREATE).latest("id")
    assert event.actor == actors.alice and event.object_id == str(person.pk)


def test_bob_may_not_create(api_as, actors, world):
    assert_error(api_as(actors.bob).post("/people", new_person(world)), 403, "forbidden")
    assert not User.objects.filter(username="newbie").exists()


def test_charlie_may_not_create_in_another_county(api_as, actors, world):
    body = assert_error(api_as(actors.charlie).post("/people", new_person(world)), 404, "not_found")
    assert body["field"] == "unit"
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.parametrize(
    ("override", "status", "fragment"),
    [
        ({"username": "alice"}, 400, "已被使用"),
        ({"username": "a b"}, 400, "用户名须为"),
        ({"password": "short"}, 400, ""),
        ({"phone": "12345"}, 400, "手机号或电话号码格式不正确"),
        ({"full_name": ""}, 400, "姓名不能为空"),
        ({"unit": "abc"}, 422, "unit 应为整数"),
        ({"phone": 13912345678}, 422, "phone 应为字符串"),
        ({"must_change_password": False}, 422, "不接受的字段 must_change_password"),
        ({"full_name": None}, 422, "缺少必填项 full_name"),
    ],
)
def test_bad_person_input_changes_nothing(api_as, actors, world, override, status, fragment):
    before = User.objects.count()
    body = {k: v for k, v in new_person(world, **override).items() if v is not None}
    assert_error(api_as(actors.alice).post("/people", body), status, "invalid", fragment)
    assert User.objects.count() == before


def test_person_cannot_be_created_in_a_region_node(api_as, actors, world):
    assert_error(
        api_as(actors.alice).post("/people", new_person(world, unit=world.county.pk)),
        400,
        "invalid",
        "行政区",
    )


def test_alice_updates_and_deactivates(api_as, actors, clerk):
    response = api_as(actors.alice).patch(
        f"/people/{clerk.pk}", {"title": "党政办主任", "phone": "13900000000"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "党政办主任"
    response = api_as(actors.alice).patch(f"/people/{clerk.pk}", {"is_active": False, "reason": "调离"})
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    clerk.refresh_from_db()
    assert clerk.title == "党政办主任" and not clerk.is_active
    assert AuditEvent.objects.filter(event_type=EventType.USER_DEACTIVATE, object_id=str(clerk.pk)).exists()


def test_update_moves_person_within_scope_only(api_as, actors, world, clerk):
    response = api_as(actors.alice).patch(f"/people/{clerk.pk}", {"unit": world.township2.pk})
    assert response.status_code == 200
    assert response.json()["unit_id"] == world.township2.pk
    body = assert_error(
        api_as(actors.alice).patch(f"/people/{clerk.pk}", {"unit": world.other_township.pk}), 404, "not_found"
    )
    assert body["field"] == "unit"
    clerk.refresh_from_db()
    assert clerk.unit == world.township2


def test_bob_and_charlie_may_not_update(api_as, actors, clerk):
    assert_error(api_as(actors.bob).patch(f"/people/{clerk.pk}", {"title": "x"}), 403, "forbidden")
    assert_error(api_as(actors.charlie).patch(f"/people/{clerk.pk}", {"title": "x"}), 404, "not_found")
    clerk.refresh_from_db()
    assert clerk.title == ""


def test_partly_refused_update_changes_nothing(api_as, actors):
    """Changing her title and deactivating herself in one request: the refusal rolls the title back too."""
    assert_error(
        api_as(actors.alice).patch(f"/people/{actors.alice.pk}", {"title": "新职务", "is_active": False}),
        400,
        "invalid",
        "不能停用自己的账号",
    )
    actors.alice.refresh_from_db()
    assert actors.alice.title == "" and actors.alice.is_active


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"full_name": None}, 400, "姓名不能为空"),
        ({"email": "not-an-email"}, 400, "电子邮箱格式不正确"),
        ({"username": "renamed"}, 422, "不接受的字段 username"),
        ({"is_active": "sometimes"}, 422, "is_active 应为布尔值"),
    ],
)
def test_bad_update_changes_nothing(api_as, actors, clerk, body, status, fragment):
    before = User.objects.values().get(pk=clerk.pk)
    assert_error(api_as(actors.alice).patch(f"/people/{clerk.pk}", body), status, "invalid", fragment)
    assert User.objects.values().get(pk=clerk.pk) == before
