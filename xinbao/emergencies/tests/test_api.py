"""/api/v1 incidents, reports and deadlines: alice may, bob may read, charlie gets 404; bad input gets the
services' Chinese messages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinbao.accounts.services import token_issue
from xinbao.api.tests.conftest import ApiClient
from xinbao.emergencies.models import Incident
from xinbao.emergencies.tests.factories import BODY, SUMMARY, make_cast


@pytest.fixture
def cast(world):
    return make_cast(world)


def api(user) -> ApiClient:
    return ApiClient(token_issue(user=user, name="测试")[1])


def payload(world, **over):
    now = timezone.now()
    data = {
        "unit_id": world.township.pk,
        "title": "城关镇南街居民楼火灾",
        "category": "accident",
        "grade": "major",
        "occurred_at": (now - timedelta(minutes=20)).isoformat(),
        "learned_at": (now - timedelta(minutes=10)).isoformat(),
        "place": "城关镇南街23号",
        "summary": SUMMARY,
        "casualties": {"deaths": 0, "injured": 1, "missing": 0, "trapped": 2, "direct_loss": "12.5"},
        "phone": {
            "received_at": now.isoformat(),
            "caller": "何海波",
            "caller_phone": "0731-5521234",
            "summary": "南街居民楼起火。",
        },
    }
    data.update(over)
    return data


def test_register_read_and_report_through_the_api(world, cast):
    response = api(cast.alice).post("/incidents", payload(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["grade_label"] == "重大"
    assert {d["kind"] for d in body["deadlines"]} == {"phone", "first"}
    assert body["phone_reports"][0]["caller"] == "何海波"
    pk = body["id"]
    assert api(cast.bob).get(f"/incidents/{pk}").status_code == 200
    assert api(cast.charlie).get(f"/incidents/{pk}").status_code == 404
    assert api(cast.charlie).get("/incidents").json()["count"] == 0
    assert (
        api(cast.charlie).post(f"/incidents/{pk}/reports", {"kind": "first", "body": BODY}).status_code == 404
    )
    assert api(cast.bob).post(f"/incidents/{pk}/reports", {"kind": "first", "body": BODY}).status_code == 403
    written = api(cast.informant).post(f"/incidents/{pk}/reports", {"kind": "first", "body": BODY})
    assert written.status_code == 201 and written.json()["label"] == "首报"
    one = api(cast.informant).post(f"/incidents/{pk}/reports", {"kind": "follow_up", "body": BODY + "续报"})
    assert one.json()["label"] == "续报一"
    reports = api(cast.alice).get(f"/incidents/{pk}/reports").json()
    assert [r["label"] for r in reports] == ["首报", "续报一"]
    deadlines = api(cast.alice).get("/deadlines", {"incident": pk}).json()
    assert deadlines["count"] == 4  # phone, first, 续报 met, next 续报
    assert api(cast.charlie).get("/deadlines").json()["count"] == 0
    phone = api(cast.alice).post(
        f"/incidents/{pk}/phone-reports",
        {
            "received_at": timezone.now().isoformat(),
            "caller": "何海波",
            "caller_phone": "138",
            "summary": "续报情况",
        },
    )
    assert phone.status_code == 201
    assert (
        api(cast.bob).post(f"/incidents/{pk}/phone-reports", phone.json() | {"summary": "x"}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("over", "field", "text"),
    [
        ({"grade": "很大"}, "grade", "事件等级无效"),
        ({"learned_at": "2020-01-01T00:00:00+08:00"}, "learned_at", "获悉时间不能早于发生时间"),
        ({"occurred_at": "2099-01-01T00:00:00+08:00"}, "occurred_at", "发生时间不能晚于当前时间"),
    ],
)
def test_bad_input_gets_a_chinese_message(world, cast, over, field, text):
    response = api(cast.alice).post("/incidents", payload(world, **over))
    assert response.status_code == 400
    assert response.json()["field"] == field and text in response.json()["message"]
    assert not Incident.objects.exists()


def test_stranger_cannot_register_in_another_county(world, cast):
    response = api(cast.charlie).post("/incidents", payload(world))
    assert response.status_code == 404
    assert not Incident.objects.exists()


def test_missed_and_concealed_through_the_api_and_the_units_answer(world, cast):
    from xinbao.emergencies.tests.factories import register

    incident = register(cast, world, by_phone=False)
    url = f"/incidents/{incident.pk}/issues"
    body = {
        "kind": "missed",
        "source": "media",
        "learned_at": timezone.now().isoformat(),
        "evidence": "江州晚报11月26日报道了此次火灾，单位未报告。",
    }
    assert api(cast.alice).post(url, body).status_code == 403  # the duty room records no 漏报: 信息科 does
    assert api(cast.charlie).post(url, body).status_code == 404
    future = api(cast.editor).post(url, body | {"learned_at": "2099-01-01T00:00:00+08:00"})
    assert future.status_code == 400 and "获悉时间不能晚于当前时间" in future.json()["message"]
    short = api(cast.editor).post(url, body | {"evidence": "见报"})
    assert short.status_code == 400 and short.json()["field"] == "evidence"
    assert not incident.issues.exists()
    recorded = api(cast.editor).post(url, body)
    assert recorded.status_code == 201, recorded.content
    issue = recorded.json()
    assert (issue["kind_label"], issue["source_label"], issue["answer"]) == ("漏报", "媒体报道", "")
    assert api(cast.editor).post(url, body).status_code == 409
    detail = api(cast.bob).get(f"/incidents/{incident.pk}").json()
    assert [i["kind"] for i in detail["issues"]] == ["missed"]

    answer = f"{url}/{issue['id']}/answer"
    text = {"answer": "当晚值班人员误以为已由消防部门上报，已作检讨。"}
    assert api(cast.alice).post(answer, text).status_code == 403
    assert api(cast.charlie).post(answer, text).status_code == 404
    assert api(cast.signer).post(f"{url}/999999/answer", text).status_code == 404
    assert api(cast.signer).post(answer, {"answer": "  "}).status_code == 400
    answered = api(cast.signer).post(answer, text)
    assert answered.status_code == 200 and answered.json()["answered_by"] == "何海波"
    assert api(cast.informant).post(answer, {"answer": "再说明"}).status_code == 409


def test_openapi_lists_the_emergency_endpoints(db):
    from django.test import Client

    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path, methods in {
        "/api/v1/incidents": {"get", "post"},
        "/api/v1/incidents/{incident_id}": {"get"},
        "/api/v1/incidents/{incident_id}/phone-reports": {"post"},
        "/api/v1/incidents/{incident_id}/reports": {"get", "post"},
        "/api/v1/incidents/{incident_id}/issues": {"post"},
        "/api/v1/incidents/{incident_id}/issues/{issue_id}/answer": {"post"},
        "/api/v1/deadlines": {"get"},
    }.items():
        assert methods <= set(paths[path]), path
