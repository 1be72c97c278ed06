"""/api/v1/duty/…: the same rules as the pages — alice writes, bob reads, charlie (another county) gets 404 — and
bad input answered with a Chinese message naming the field, nothing changed."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.cache import cache

from xinbao.accounts.services import token_issue
from xinbao.api.tests.conftest import ApiClient
from xinbao.duty.models import DutyLogEntry, Handover, RosterEntry
from xinbao.duty.tests.factories import fill, make_cast, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    cache.clear()
    with time_machine.travel("2026-09-20 09:30 +0800", tick=False):
        yield
    cache.clear()


@pytest.fixture
def cast(world):
    return make_cast(world)


@pytest.fixture
def api():
    clients: dict[int, ApiClient] = {}

    def _as(user) -> ApiClient:
        if user.pk not in clients:
            clients[user.pk] = ApiClient(token_issue(user=user, name="测试")[1])
        return clients[user.pk]

    return _as


def delete(client: ApiClient, path: str):  # type: ignore[no-untyped-def]
    return client.client.delete(f"/api/v1{path}", headers=client.headers)


LINE = {"day": "2026-10-02", "shift_name": "夜班", "role": "leader", "name": "赵志强", "phone": "15979712345"}


def test_roster_crud_permission_matrix(cast, api):
    created = api(cast.alice).post("/duty/roster", LINE)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["role_label"] == "带班领导"
    listed = api(cast.bob).get("/duty/roster", {"start": "2026-10-01", "end": "2026-10-03"})
    assert [e["name"] for e in listed.json()] == ["赵志强"]
    assert api(cast.charlie).get("/duty/roster", {"start": "2026-10-01", "end": "2026-10-03"}).json() == []
    assert api(cast.charlie).get(f"/duty/roster/{pk}").status_code == 404
    state = snapshot()
    assert api(cast.bob).post("/duty/roster", {**LINE, "name": "张伟"}).status_code == 403
    assert (
        api(cast.bob).patch(f"/duty/roster/{pk}", {"name": "张伟", "phone": "13907912346"}).status_code == 403
    )
    assert (
        api(cast.charlie).patch(f"/duty/roster/{pk}", {"name": "张伟", "phone": "13907912346"}).status_code
        == 404
    )
    assert delete(api(cast.charlie), f"/duty/roster/{pk}").status_code == 404
    assert snapshot() == state
    patched = api(cast.dora).patch(f"/duty/roster/{pk}", {"person_id": cast.eve.pk})
    assert patched.status_code == 200 and patched.json()["name"] == "吴怡"
    assert delete(api(cast.alice), f"/duty/roster/{pk}").status_code == 204
    assert not RosterEntry.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        ({**LINE, "phone": "8888"}, 400, "phone", "格式不正确"),
        ({**LINE, "shift_name": "中班"}, 400, "shift", "班次“中班”不存在"),
        ({**LINE, "day": "2026-09-01"}, 400, "day", "已经过去"),
        ({**LINE, "person_id": 999999}, 400, "person_id", "不是本单位在岗人员"),
        ({**LINE, "role": "boss"}, 422, None, None),
        ({**LINE, "day": "明天"}, 422, None, None),
    ],
)
def test_roster_bad_input(cast, api, body, status, field, words):
    client = api(cast.alice)
    state = snapshot()
    response = client.post("/duty/roster", body)
    assert response.status_code == status, response.content
    if field:
        assert response.json()["field"] == field and words in response.json()["message"]
    else:
        assert response.json()["message"]
    assert snapshot() == state


def test_roster_list_range_is_checked(cast, api):
    assert (
        "结束日期不能早于开始日期"
        in api(cast.bob).get("/duty/roster", {"start": "2026-10-03", "end": "2026-10-01"}).json()["message"]
    )
    assert (
        "一次最多查询92天"
        in api(cast.bob).get("/duty/roster", {"start": "2026-10-01", "end": "2027-10-01"}).json()["message"]
    )


def test_copy_week_coverage_and_on_duty(cast, api):
    fill(cast.office, date(2026, 9, 21), 7, staff=2)
    client = api(cast.alice)
    assert client.post("/duty/roster/copy-week", {"source": "2026-09-21", "target": "2026-09-28"}).json() == {
        "copied": 42
    }
    conflict = client.post("/duty/roster/copy-week", {"source": "2026-09-21", "target": "2026-09-28"})
    assert conflict.status_code == 409 and "已有42条排班" in conflict.json()["message"]
    assert (
        api(cast.bob)
        .post("/duty/roster/copy-week", {"source": "2026-09-21", "target": "2026-10-05"})
        .status_code
        == 403
    )
    gaps = api(cast.bob).get("/duty/coverage").json()
    # 20 Sep 09:00–21 Sep 08:00 has nobody; the 国庆 days after the copied fortnight have nobody either.
    assert gaps[0]["start"].startswith("2026-09-20T09:00") and gaps[0]["end"].startswith("2026-09-21T08:00")
    assert any("国庆节" in g["holidays"] for g in gaps)
    assert api(cast.charlie).get("/duty/coverage").json()[0]["start"].startswith("2026-09-20T09:00")
    now = api(cast.bob).get("/duty/on-duty", {"at": "2026-09-22T20:00:00+08:00"}).json()
    assert now["covered"] and len(now["staff"]) == 2 and now["leaders"][0]["shift_name"] == "夜班"
    assert (
        api(cast.charlie).get("/duty/on-duty", {"at": "2026-09-22T20:00:00+08:00"}).json()["covered"] is False
    )
    naive = api(cast.bob).get("/duty/on-duty", {"at": "2026-09-22T20:00:00"})
    assert naive.status_code == 400 and "时区" in naive.json()["message"]


def test_people_outside_offices_get_404(cast, api, world):
    from xinbao.accounts.models import Role
    from xinbao.accounts.tests.factories import make_user

    informant = make_user(world.township, Role.INFORMANT)
    for path in ("/duty/roster", "/duty/coverage", "/duty/log", "/duty/handovers", "/duty/on-duty"):
        response = api(informant).get(path)
        assert response.status_code == 404 and "只对接收单位" in response.json()["message"], path


def test_duty_log_and_handovers(cast, api):
    alice = api(cast.alice)
    first = alice.post(
        "/duty/log", {"at": "2026-09-20T02:10:00+08:00", "kind": "call", "content": "白沙镇来电：3号桥积水。"}
    )
    assert first.status_code == 201 and first.json()["kind_label"] == "来电"
    assert first.json()["link"] == ""  # only entries another capability writes link somewhere
    pk = first.json()["id"]
    fix = alice.post(
        "/duty/log",
        {"at": "2026-09-20T09:00:00+08:00", "kind": "other", "content": "应为4号桥", "corrects_id": pk},
    )
    assert fix.json()["corrects_id"] == pk
    assert api(cast.bob).get("/duty/log").json()["count"] == 2
    assert api(cast.bob).get("/duty/log", {"kind": "call"}).json()["count"] == 1
    assert api(cast.charlie).get("/duty/log").json()["count"] == 0
    assert api(cast.charlie).get(f"/duty/log/{pk}").status_code == 404
    other = api(cast.charlie).post(
        "/duty/log", {"at": "2026-09-20T09:00:00+08:00", "kind": "other", "content": "x", "corrects_id": pk}
    )
    assert other.status_code == 400 and other.json()["field"] == "corrects_id"
    state = snapshot()
    for body, status in (
        ({"at": "2026-09-21T09:00:00+08:00", "kind": "call", "content": "x"}, 400),
        ({"at": "2026-09-20T09:00:00+08:00", "kind": "gossip", "content": "x"}, 422),
        ({"at": "2026-09-20T09:00:00+08:00", "kind": "call", "content": " "}, 400),
    ):
        assert alice.post("/duty/log", body).status_code == status
    assert (
        api(cast.bob)
        .post("/duty/log", {"at": "2026-09-20T09:00:00+08:00", "kind": "call", "content": "x"})
        .status_code
        == 403
    )
    bad = alice.post(
        "/duty/handovers",
        {"from_shift": "白班", "to_shift": "夜班", "incoming_id": cast.charlie.pk, "outstanding": "无"},
    )
    assert bad.status_code == 400 and bad.json()["field"] == "incoming_id"
    assert snapshot() == state
    made = alice.post(
        "/duty/handovers",
        {"from_shift": "白班", "to_shift": "夜班", "incoming_id": cast.eve.pk, "outstanding": "无"},
    )
    assert made.status_code == 201
    hid = made.json()["id"]
    assert api(cast.charlie).post(f"/duty/handovers/{hid}/acknowledge").status_code == 404
    assert api(cast.bob).post(f"/duty/handovers/{hid}/acknowledge").status_code == 403
    acked = api(cast.eve).post(f"/duty/handovers/{hid}/acknowledge")
    assert acked.status_code == 200 and acked.json()["acknowledged_at"]
    assert api(cast.eve).post(f"/duty/handovers/{hid}/acknowledge").status_code == 409
    assert api(cast.bob).get("/duty/handovers").json()["count"] == 1
    assert Handover.objects.count() == 1 and DutyLogEntry.objects.count() == 2


def test_patch_and_copy_week_bad_input_change_nothing(cast, api):
    pk = api(cast.alice).post("/duty/roster", LINE).json()["id"]
    fill(cast.office, date(2026, 9, 21), 7)
    client = api(cast.alice)
    state = snapshot()
    for body, status, field in (
        ({"name": "赵志强", "phone": "0796-123"}, 400, "phone"),
        ({"name": "", "phone": ""}, 400, "name"),
        ({"person_id": cast.charlie.pk}, 400, "person_id"),
        ({"name": "王" * 41, "phone": "13907912345"}, 422, None),
    ):
        response = client.patch(f"/duty/roster/{pk}", body)
        assert response.status_code == status, response.content
        if field:
            assert response.json()["field"] == field
    for body, status, words in (
        ({"source": "2026-09-21", "target": "2026-09-23"}, 400, "源周与目标周相同"),
        ({"source": "2026-10-12", "target": "2026-10-19"}, 400, "没有排班"),
        ({"source": "2026-09-21", "target": "上周"}, 422, None),
    ):
        response = client.post("/duty/roster/copy-week", body)
        assert response.status_code == status
        if words:
            assert words in response.json()["message"]
    for body, field in (
        (
            {"from_shift": " ", "to_shift": "夜班", "incoming_id": cast.eve.pk, "outstanding": "无"},
            "from_shift",
        ),
        (
            {"from_shift": "白班", "to_shift": "夜班", "incoming_id": cast.eve.pk, "outstanding": ""},
            "outstanding",
        ),
        (
            {"from_shift": "白班", "to_shift": "夜班", "incoming_id": cast.alice.pk, "outstanding": "无"},
            "incoming",
        ),
    ):
        response = client.post("/duty/handovers", body)
        assert response.status_code == 400 and response.json()["field"] == field
    assert snapshot() == state
