"""/api/v1 follow-up endpoints: read and write matrix (alice/bob/charlie and the assigned unit), bad input."""

from __future__ import annotations

import pytest

from xinbao.accounts.services import token_issue
from xinbao.api.tests.conftest import ApiClient
from xinbao.followups.models import Feedback, TargetState
from xinbao.followups.services import assignment_create, commission_publish, feedback_submit
from xinbao.followups.tests.factories import snapshot
from xinbao.reports.services import report_signoff
from xinbao.reports.tests.factories import BODY


@pytest.fixture
def api():
    clients: dict[int, ApiClient] = {}

    def _as(user) -> ApiClient:
        if user.pk not in clients:
            clients[user.pk] = ApiClient(token_issue(user=user, name="测试")[1])
        return clients[user.pk]

    return _as


@pytest.fixture
def target(world, people, instruction):
    return assignment_create(
        actor=people.alice, instruction=instruction, units=[world.township], workdays=5
    ).targets.get()


def _ids(response):
    assert response.status_code == 200, response.content.decode()
    return {row["id"] for row in response.json()["results"]}


NEW = {
    "leader_name": "李明华",
    "leader_title": "县委书记",
    "rank": "county",
    "text": "请城关镇抓紧落实。",
    "instructed_on": "2026-09-28",
}


def test_read_matrix(api, people, instruction, target):
    i, t = instruction.pk, target.pk
    for who, sees in (
        (people.alice, True),
        (people.bob, True),
        (people.unit_leader, True),
        (people.informant, True),
        (people.charlie, False),
        (people.sibling, False),
    ):
        client = api(who)
        assert _ids(client.get("/instructions")) == ({i} if sees else set())
        assert _ids(client.get("/assignments")) == ({t} if sees else set())
        assert client.get(f"/instructions/{i}").status_code == (200 if sees else 404)
        assert client.get(f"/assignments/{t}").status_code == (200 if sees else 404)
    detail = api(people.alice).get(f"/assignments/{t}").json()
    assert detail["due_on"] == "2026-10-12" and detail["workdays"] == 5 and detail["feedbacks"] == []
    assert api(people.alice).get(f"/instructions/{i}").json()["targets"][0]["id"] == t


def test_record_and_assign(api, world, people, report):
    before = snapshot()
    for who, status in ((people.bob, 403), (people.charlie, 404), (people.unit_leader, 403)):
        assert api(who).post("/instructions", {**NEW, "report_id": report.pk}).status_code == status
    assert snapshot() == before
    response = api(people.alice).post("/instructions", {**NEW, "report_id": report.pk})
    assert response.status_code == 201, response.content.decode()
    instruction_id = response.json()["id"]
    payload = {
        "unit_ids": [world.township.pk, world.township2.pk],
        "workdays": 5,
        "requirement": "10个工作日内反馈",
    }
    before = snapshot()
    assert api(people.bob).post(f"/instructions/{instruction_id}/assignments", payload).status_code == 403
    assert api(people.charlie).post(f"/instructions/{instruction_id}/assignments", payload).status_code == 404
    assert snapshot() == before
    response = api(people.alice).post(f"/instructions/{instruction_id}/assignments", payload)
    assert response.status_code == 201, response.content.decode()
    assert {row["due_on"] for row in response.json()} == {"2026-10-12"}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({**NEW, "leader_name": ""}, 400, "leader_name"),
        ({**NEW, "rank": "township"}, 422, "rank"),
        ({**NEW, "text": "  "}, 400, "text"),
        ({**NEW, "instructed_on": "2026-13-01"}, 422, "instructed_on"),
        ({**NEW, "instructed_on": "2027-01-01"}, 400, "instructed_on"),
        ({**NEW, "extra": 1}, 422, "extra"),
        ({**NEW, "issue_entry_id": 99999}, 400, "issue_entry_id"),
    ],
)
def test_record_bad_input(api, people, report, body, status, field):
    before = snapshot()
    response = api(people.alice).post("/instructions", {**body, "report_id": report.pk})
    assert response.status_code == status, response.content.decode()
    data = response.json()
    assert data["message"]
    assert field in (data.get("field") or "") + str(data.get("detail", ""))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"unit_ids": [], "workdays": 5}, 400),
        ({"unit_ids": [999999], "workdays": 5}, 400),
        ({"unit_ids": "x", "workdays": 5}, 422),
        ({"workdays": 5}, 422),
        ({"unit_ids": [0], "workdays": 0}, 400),
    ],
)
def test_assign_bad_input(api, world, people, instruction, body, status):
    if body.get("unit_ids") == [0]:
        body["unit_ids"] = [world.township.pk]
    before = snapshot()
    response = api(people.alice).post(f"/instructions/{instruction.pk}/assignments", body)
    assert response.status_code == status, response.content.decode()
    assert response.json()["message"]
    assert snapshot() == before


def test_feedback_flow_and_matrix(api, people, target):
    path = f"/assignments/{target.pk}/feedback"
    body = {"title": "城关镇落实县委批示情况", "body": BODY}
    before = snapshot()
    assert api(people.charlie).post(path, body).status_code == 404
    assert api(people.sibling).post(path, body).status_code == 404
    assert api(people.alice).post(path, body).status_code == 403
    assert api(people.unit_leader).post(path, body).status_code == 403
    for bad, status in (
        ({"title": "", "body": BODY}, 400),
        ({"title": "题", "body": ""}, 400),
        ({"x": 1}, 422),
    ):
        assert api(people.informant).post(path, bad).status_code == status
    assert snapshot() == before
    response = api(people.informant).post(path, body)
    assert response.status_code == 201, response.content.decode()
    feedback = Feedback.objects.get()
    assert response.json()["feedbacks"][0]["id"] == feedback.pk
    # Still with the township's signer: the office cannot decide yet.
    assert api(people.alice).post(f"/feedback/{feedback.pk}/accept", {}).status_code == 400
    report_signoff(actor=people.signer, report=feedback.report, approve=True)
    before = snapshot()
    assert api(people.charlie).post(f"/feedback/{feedback.pk}/accept", {}).status_code == 404
    assert api(people.bob).post(f"/feedback/{feedback.pk}/accept", {}).status_code == 403
    assert api(people.informant).post(f"/feedback/{feedback.pk}/accept", {}).status_code == 403
    assert api(people.alice).post(f"/feedback/{feedback.pk}/request-more", {"comment": ""}).status_code == 400
    assert (
        api(people.alice)
        .post(f"/feedback/{feedback.pk}/request-more", {"comment": "补", "workdays": 99})
        .status_code
        == 400
    )
    assert api(people.alice).post("/feedback/999999/accept", {}).status_code == 404
    assert snapshot() == before
    response = api(people.alice).post(f"/feedback/{feedback.pk}/accept", {"comment": "落实到位"})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["state"] == TargetState.CLOSED
    assert response.json()["closed_on_time"] is True
    # Accepting twice is refused and changes nothing.
    before = snapshot()
    assert api(people.alice).post(f"/feedback/{feedback.pk}/accept", {}).status_code == 400
    assert snapshot() == before
    figures = api(people.alice).get("/assignments/figures", {"by": "unit"}).json()
    assert figures[0]["closed_on_time"] == 1
    assert api(people.alice).get("/assignments/figures", {"by": "x"}).status_code == 400
    assert api(people.charlie).get("/assignments/figures").json() == []


def test_request_more_via_api(api, people, target):
    feedback = feedback_submit(actor=people.informant, target=target, title="落实情况", body=BODY)
    report_signoff(actor=people.signer, report=feedback.report, approve=True)
    response = api(people.alice).post(
        f"/feedback/{feedback.pk}/request-more", {"comment": "请补充台账", "workdays": 3}
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["state"] == TargetState.MORE_REQUESTED


def test_commissions_api(api, world, people, frozen):
    payload = {
        "kind": "topic",
        "title": "关于报送秋冬季森林防火工作情况的约稿",
        "body": "请围绕责任落实、隐患排查报送。",
        "deadline": "2026-10-16",
        "unit_ids": [world.township.pk],
    }
    before = snapshot()
    assert api(people.bob).post("/commissions", payload).status_code == 403
    assert api(people.charlie).post("/commissions", payload).status_code == 400
    for bad, status in (
        ({**payload, "kind": "memo"}, 422),
        ({**payload, "deadline": "2026-09-01"}, 400),
        ({**payload, "kind": "needs_list"}, 400),
        ({**payload, "unit_ids": [world.other_township.pk]}, 400),
        ({**payload, "title": ""}, 400),
    ):
        response = api(people.alice).post("/commissions", bad)
        assert response.status_code == status, response.content.decode()
    assert snapshot() == before
    response = api(people.alice).post("/commissions", payload)
    assert response.status_code == 201, response.content.decode()
    cid = response.json()["id"]
    for who, sees in (
        (people.alice, True),
        (people.bob, True),
        (people.informant, True),
        (people.charlie, False),
        (people.sibling, False),
    ):
        assert _ids(api(who).get("/commissions")) == ({cid} if sees else set())
        assert api(who).get(f"/commissions/{cid}").status_code == (200 if sees else 404)
    answer = {"title": "城关镇织密森林防火网", "body": BODY, "report_type": "experience"}
    before = snapshot()
    assert api(people.charlie).post(f"/commissions/{cid}/answers", answer).status_code == 404
    assert api(people.alice).post(f"/commissions/{cid}/answers", answer).status_code == 403
    assert (
        api(people.informant).post(f"/commissions/{cid}/answers", {**answer, "report_type": None}).status_code
        == 400
    )
    assert (
        api(people.informant)
        .post(f"/commissions/{cid}/answers", {**answer, "report_type": "feedback"})
        .status_code
        == 422
    )
    assert snapshot() == before
    response = api(people.informant).post(f"/commissions/{cid}/answers", answer)
    assert response.status_code == 201, response.content.decode()
    assert response.json()["targets"] == [
        {
            "unit_id": world.township.pk,
            "unit_name": world.township.name,
            "answers": 1,
            "answered_at": response.json()["targets"][0]["answered_at"],
        }
    ]
    completion = api(people.alice).get("/commissions/completion", {"year": 2026}).json()
    assert completion[0]["answered"] == 1
    assert api(people.bob).post(f"/commissions/{cid}/close").status_code == 403
    assert api(people.alice).post(f"/commissions/{cid}/close").json()["state"] == "closed"
    assert api(people.alice).post(f"/commissions/{cid}/close").status_code == 400
    flagship = {"unit_id": world.township.pk, "year": 2026, "pieces": 4}
    assert api(people.bob).post("/commissions/flagship-targets", flagship).status_code == 403
    assert (
        api(people.alice).post("/commissions/flagship-targets", {**flagship, "pieces": 6}).status_code == 400
    )
    response = api(people.alice).post("/commissions/flagship-targets", flagship)
    assert response.status_code == 200 and response.json()["pieces"] == 4
    assert api(people.alice).get("/commissions/flagship-targets", {"year": 2026}).json()[0]["done"] == 0
    assert api(people.charlie).get("/commissions/flagship-targets", {"year": 2026}).json() == []


def test_commission_publish_to_all_via_api(api, world, people, frozen):
    response = api(people.alice).post(
        "/commissions",
        {
            "kind": "needs_list",
            "title": "10月信息需求要点",
            "body": "一、三秋生产；二、安全稳定。",
            "deadline": "2026-10-30",
            "period": "2026-10-01",
        },
    )
    assert response.status_code == 201, response.content.decode()
    assert len(response.json()["targets"]) == 3
    assert commission_publish  # the service the endpoint calls
