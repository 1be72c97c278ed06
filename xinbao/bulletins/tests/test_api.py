"""/api/v1/bulletins: compose, sign, publish and render through the API; 404 for issues the caller may not read,
403 for actions he may not take, 400 with a Chinese message for bad input (nothing changes)."""

import io
import json

import pytest
from docx import Document

from xinbao.accounts.services import token_issue
from xinbao.api.tests.conftest import ApiClient
from xinbao.bulletins.models import Classification, Issue, Series
from xinbao.bulletins.tests.factories import make_adopted_report, make_issue, make_series
from xinbao.bulletins.tests.test_services import issue_snapshot

pytestmark = pytest.mark.django_db


class Api(ApiClient):
    def put(self, path, body):
        return self.client.put(
            f"/api/v1{path}", data=json.dumps(body), content_type="application/json", headers=self.headers
        )

    def delete(self, path):
        return self.client.delete(f"/api/v1{path}", headers=self.headers)


@pytest.fixture
def api():
    clients = {}

    def _as(user):
        if user.pk not in clients:
            clients[user.pk] = Api(token_issue(user=user, name="测试")[1])
        return clients[user.pk]

    return _as


def test_full_path_through_the_api(world, cast, api):
    editor, leader = api(cast.county_editor), api(cast.county_leader)
    r = editor.post(
        "/bulletins/series",
        {
            "name": "信息专报",
            "code": "apzb",
            "kind": "special",
            "classification": "internal",
            "copies": 30,
            "distribution": {"report": [world.city_party_office.pk], "send": [], "issue": []},
        },
    )
    assert r.status_code == 201, r.content
    series_id = r.json()["id"]
    assert r.json()["recipients"][0]["unit_name"] == "中共江州市委办公室"
    first, second = (make_adopted_report(world, cast, title=t) for t in ("第一条", "第二条"))
    r = editor.post("/bulletins/issues", {"series_id": series_id})
    assert r.status_code == 201
    issue_id, version = r.json()["id"], r.json()["version"]
    for report in (first, second):
        assert (
            editor.post(f"/bulletins/issues/{issue_id}/entries", {"report_id": report.pk}).status_code == 201
        )
    entries = editor.get(f"/bulletins/issues/{issue_id}").json()["entries"]
    r = editor.put(f"/bulletins/issues/{issue_id}/order", {"order": [entries[1]["id"], entries[0]["id"]]})
    assert [e["title"] for e in r.json()["entries"]] == ["第二条", "第一条"]
    r = editor.patch(
        f"/bulletins/entries/{entries[0]['id']}", {"title": "第一条（编辑后）", "mode": "partial"}
    )
    assert r.status_code == 200 and r.json()["revision_id"]
    version = editor.get(f"/bulletins/issues/{issue_id}").json()["version"]
    r = editor.patch(f"/bulletins/issues/{issue_id}", {"editor_note": "按语", "version": version})
    assert r.json()["editor_note"] == "按语"
    assert leader.post(f"/bulletins/issues/{issue_id}/sign").json()["state"] == "signed"
    r = editor.post(f"/bulletins/issues/{issue_id}/publish", {})
    assert r.status_code == 200
    body = r.json()
    assert (body["state"], body["number"], body["issue_line"]) == ("published", 1, "第1期（总第1期）")
    r = editor.get(f"/bulletins/issues/{issue_id}/docx")
    assert r.status_code == 200
    assert "第1期（总第1期）" in [p.text for p in Document(io.BytesIO(r.content)).paragraphs]
    listed = editor.get("/bulletins/issues", {"series": series_id}).json()
    assert listed["count"] == 1 and listed["results"][0]["label"] == body["label"]


def test_reads_and_actions_refused(world, cast, api):
    issue = make_issue(world, cast, make_series(world, cast))
    charlie, bob = api(cast.other_editor), api(cast.county_leader)
    for path in (f"/bulletins/issues/{issue.pk}", f"/bulletins/issues/{issue.pk}/docx"):
        assert charlie.get(path).status_code == 404
    assert charlie.post(f"/bulletins/issues/{issue.pk}/sign").status_code == 404
    assert charlie.get(f"/bulletins/series/{issue.series_id}").status_code == 404
    assert charlie.get("/bulletins/issues").json()["count"] == 0
    before = issue_snapshot(issue)
    r = bob.post(f"/bulletins/issues/{issue.pk}/publish", {})
    assert r.status_code == 403
    r = bob.patch(f"/bulletins/entries/{issue.entries.get().pk}", {"title": "改"})
    assert r.status_code == 403 and "只有编印单位的编辑" in r.json()["message"]
    assert api(cast.county_editor).post(f"/bulletins/issues/{issue.pk}/sign").status_code == 403
    # The refusals themselves are audited (越权访问); nothing else changed.
    assert issue_snapshot(issue)[:-1] == before[:-1]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        ("patch", "/bulletins/issues/{issue}", {"copies": 0, "version": "{version}"}, 400, "印数应为1至"),
        ("patch", "/bulletins/issues/{issue}", {"copies": 5, "version": 999}, 409, "已被他人修改"),
        ("patch", "/bulletins/issues/{issue}", {"classification": "top", "version": 1}, 422, ""),
        (
            "patch",
            "/bulletins/issues/{issue}",
            {"editor_note": None, "version": "{version}"},
            400,
            "不能为空",
        ),
        ("patch", "/bulletins/entries/{entry}", {"title": ""}, 400, "请填写标题"),
        ("post", "/bulletins/issues/{issue}/entries", {"report_id": 999999}, 404, "信息不存在或无权查看"),
        ("post", "/bulletins/issues/{issue}/publish", {}, 400, "尚未签发"),
        ("post", "/bulletins/entries/{entry}/move", {"direction": "left"}, 422, ""),
        ("put", "/bulletins/issues/{issue}/order", {"order": [1, 2, 3]}, 400, "排序须包含本期的全部条目"),
        (
            "put",
            "/bulletins/issues/{issue}/distribution",
            {"issue": [999999]},
            400,
            "分送单位（ID 999999）不存在",
        ),
        ("put", "/bulletins/issues/{issue}/distribution", {"issue": ["{township}"]}, 400, "不能分送下级单位"),
        ("post", "/bulletins/issues", {"series_id": 999999}, 404, "刊物不存在"),
    ],
)
def test_bad_input_changes_nothing(world, cast, api, method, path, body, status, message):
    issue = make_issue(
        world, cast, make_series(world, cast, classification=Classification.RESTRICTED, recipients={})
    )
    client = api(cast.county_editor)
    fill = {
        "issue": issue.pk,
        "entry": issue.entries.get().pk,
        "version": issue.version,
        "township": world.township.pk,
    }
    path = path.format(**fill)
    body = json.loads(
        json.dumps(body)
        .replace('"{version}"', str(issue.version))
        .replace('"{township}"', str(world.township.pk))
    )
    before, series_count = issue_snapshot(issue), Series.objects.count()
    r = getattr(client, method)(path, body)
    assert r.status_code == status, r.content
    if message:
        assert message in r.json()["message"]
    assert issue_snapshot(issue) == before
    assert Series.objects.count() == series_count
    assert Issue.objects.count() == 1


def test_series_bad_input(world, cast, api):
    make_series(world, cast)
    client = api(cast.county_editor)
    r = client.post("/bulletins/series", {"name": "安平信息", "code": "other"})
    assert r.status_code == 400 and "本单位已有刊物《安平信息》" in r.json()["message"]
    r = client.post("/bulletins/series", {"name": "X", "code": "apxx"})
    assert r.status_code == 400 and "已被使用" in r.json()["message"]
    assert api(cast.informant).post("/bulletins/series", {"name": "X", "code": "xx"}).status_code == 403
    assert Series.objects.count() == 1
