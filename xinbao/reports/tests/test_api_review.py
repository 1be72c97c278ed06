"""/api/v1 for the receiving office: inbox, take up, return, adopt, not adopt, combine, forward, external adoption,
and the revision, diff and lineage reads. alice = 安平县委办 editor (may), bob = the same office's leader (refused),
charlie = 石桥县委办 editor (404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from xinbao.api.tests.conftest import assert_error
from xinbao.reports.models import (
    Adoption,
    AdoptionCredit,
    Report,
    ReportSource,
    ReportType,
    Submission,
    SubmissionState,
)
from xinbao.reports.services import report_forward, report_update, submission_adopt
from xinbao.reports.tests import api_support
from xinbao.reports.tests.api_support import county_sub, sent

pytestmark = pytest.mark.django_db

# Shared fixtures, bound here so pytest finds them in this module.
api = api_support.api


def sub_path(submission: Submission, action: str) -> str:
    return f"/submissions/{submission.pk}/{action}"


def state_of(submission: Submission) -> str:
    submission.refresh_from_db()
    return submission.state


# --- Inbox ---------------------------------------------------------------------------------------------------------


def test_inbox_per_role(api, cast, world):
    normal = sent(cast)
    restricted = sent(cast, title="某村土地征收补偿款拖欠引发群众不满", report_type=ReportType.PROBLEM)

    def inbox_reports(user, **params):
        response = api(user).get("/inbox", params)
        assert response.status_code == 200, response.content
        rows = response.json()["results"]
        assert all(r["office_id"] == user.unit_id for r in rows)
        return {r["report"]["id"] for r in rows}

    assert inbox_reports(cast.county_editor) == {normal.pk, restricted.pk}
    assert inbox_reports(cast.county_gov_editor) == {normal.pk, restricted.pk}
    assert inbox_reports(cast.county_leader) == {normal.pk}  # restricted only for editors
    assert inbox_reports(cast.other_editor) == set()
    assert inbox_reports(cast.city_editor) == set()
    assert inbox_reports(cast.informant) == set()


def test_inbox_filters(api, cast, world):
    dynamic = sent(cast)
    suggestion = sent(cast, title="关于加强农村独居老人冬季关爱的建议", report_type=ReportType.SUGGESTION)
    submission_adopt(actor=cast.county_editor, submission=county_sub(world, dynamic), mode="full")
    client = api(cast.county_editor)

    def reports(**params):
        return {r["report"]["id"] for r in client.get("/inbox", params).json()["results"]}

    assert reports(state="open") == {suggestion.pk}
    assert reports(state="adopted") == {dynamic.pk}
    assert reports(type="suggestion") == {suggestion.pk}
    assert reports(q="冬季关爱") == {suggestion.pk}
    assert reports(unit=world.township.pk) == {dynamic.pk, suggestion.pk}
    assert reports(unit=world.township2.pk) == set()
    assert reports(date_to=(timezone.localdate() - timedelta(days=1)).isoformat()) == set()
    assert client.get("/inbox", {"page_size": 1}).json()["count"] == 2
    assert reports(quota="met") == set()  # two items this month, the quota is ten
    assert reports(quota="below") == {dynamic.pk, suggestion.pk}
    assert_error(client.get("/inbox", {"quota": "most"}), 422, "invalid", "quota 取值无效")
    assert_error(client.get("/inbox", {"state": "lost"}), 422, "invalid", "state 取值无效")
    assert_error(client.get("/inbox", {"page_size": 500}), 422, "invalid", "page_size")


# --- Decisions -----------------------------------------------------------------------------------------------------


def test_take_up(api, cast, world):
    submission = county_sub(world, sent(cast))
    assert_error(api(cast.county_leader).post(sub_path(submission, "take-up")), 403, "forbidden")
    assert_error(api(cast.other_editor).post(sub_path(submission, "take-up")), 404, "not_found")
    assert_error(api(cast.county_gov_editor).post(sub_path(submission, "take-up")), 404, "not_found")
    assert state_of(submission) == SubmissionState.SUBMITTED
    response = api(cast.county_editor).post(sub_path(submission, "take-up"))
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "under_review" and response.json()["reviewer"] == "张天宇"
    assert_error(api(cast.county_editor).post(sub_path(submission, "take-up")), 409, "conflict")


def test_return_with_comment(api, cast, world):
    submission = county_sub(world, sent(cast))
    path = sub_path(submission, "return")
    body = {"comment": "请补充具体数据来源"}
    assert_error(api(cast.county_leader).post(path, body), 403, "forbidden")
    assert_error(api(cast.other_editor).post(path, body), 404, "not_found")
    assert_error(api(cast.county_editor).post(path, {"comment": "  "}), 400, "invalid", "修改意见")
    assert_error(api(cast.county_editor).post(path, {}), 422, "invalid", "缺少必填项 comment")
    assert state_of(submission) == SubmissionState.SUBMITTED
    response = api(cast.county_editor).post(path, body)
    assert response.status_code == 200 and response.json()["state"] == "returned"
    # The informant sees the comment and may now edit again.
    detail = api(cast.informant).get(f"/reports/{submission.report_id}").json()
    assert {s["comment"] for s in detail["submissions"]} >= {"请补充具体数据来源"}
    patch = api(cast.informant).patch(
        f"/reports/{submission.report_id}",
        {"base_version": detail["version"], "body": detail["body"] + "（据镇应急办统计）"},
    )
    assert patch.status_code == 200, patch.content


def test_adopt_once(api, cast, world):
    submission = county_sub(world, sent(cast))
    path = sub_path(submission, "adopt")
    assert_error(api(cast.county_leader).post(path, {"mode": "full"}), 403, "forbidden")
    assert_error(api(cast.other_editor).post(path, {"mode": "full"}), 404, "not_found")
    assert_error(api(cast.county_editor).post(path, {"mode": "combined"}), 422, "invalid", "mode 取值无效")
    assert_error(api(cast.county_editor).post(path, {}), 422, "invalid", "缺少必填项 mode")
    assert not Adoption.objects.exists()
    response = api(cast.county_editor).post(path, {"mode": "partial", "publication": "安平信息"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["level"], data["mode"], data["office_name"]) == ("county", "partial", "中共安平县委办公室")
    assert state_of(submission) == SubmissionState.ADOPTED
    assert AdoptionCredit.objects.filter(origin_id=submission.report_id, unit=world.township).count() == 1
    assert_error(api(cast.county_editor).post(path, {"mode": "full"}), 409, "conflict", "已被处理")
    assert Adoption.objects.count() == 1


def test_not_adopt(api, cast, world):
    submission = county_sub(world, sent(cast))
    path = sub_path(submission, "not-adopt")
    assert_error(api(cast.county_leader).post(path), 403, "forbidden")
    assert_error(api(cast.other_editor).post(path), 404, "not_found")
    assert_error(api(cast.county_editor).post(path, {"comment": 3}), 422, "invalid")
    response = api(cast.county_editor).post(path, {"comment": "内容与前期信息重复"})
    assert response.status_code == 200 and response.json()["state"] == "not_adopted"
    assert_error(
        api(cast.county_editor).post(sub_path(submission, "adopt"), {"mode": "full"}), 409, "conflict"
    )


def test_restricted_submission_is_not_found_for_the_leader(api, cast, world):
    submission = county_sub(world, sent(cast, report_type=ReportType.PROBLEM))
    for action, body in (("take-up", None), ("adopt", {"mode": "full"}), ("not-adopt", None)):
        assert_error(api(cast.county_leader).post(sub_path(submission, action), body), 404, "not_found")
    assert state_of(submission) == SubmissionState.SUBMITTED


def test_combine(api, cast, world):
    first, second = sent(cast), sent(cast, title="城关镇为独居老人更换老旧电线")
    subs = [county_sub(world, first), county_sub(world, second)]
    body = {
        "submission_ids": [s.pk for s in subs],
        "title": "安平县多措并举抓好冬季安全",
        "body": first.body + second.body,
    }
    assert_error(api(cast.county_leader).post("/submissions/combine", body), 403, "forbidden")
    assert_error(api(cast.other_editor).post("/submissions/combine", body), 404, "not_found")
    one = {**body, "submission_ids": [subs[0].pk]}
    assert_error(api(cast.county_editor).post("/submissions/combine", one), 400, "invalid", "至少选择两条")
    assert_error(api(cast.county_editor).post("/submissions/combine", {**body, "title": ""}), 400, "invalid")
    assert_error(
        api(cast.county_editor).post("/submissions/combine", {**body, "submission_ids": "1,2"}),
        422,
        "invalid",
    )
    assert Report.objects.count() == 2
    response = api(cast.county_editor).post("/submissions/combine", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["origin"] == "combined" and data["unit_name"] == "中共安平县委办公室"
    assert {s["source_id"] for s in data["sources"]} == {first.pk, second.pk}
    assert {state_of(s) for s in subs} == {SubmissionState.MERGED}
    assert AdoptionCredit.objects.filter(origin__in=[first, second], adoption__mode="combined").count() == 2
    assert_error(api(cast.county_editor).post("/submissions/combine", body), 409, "conflict")


# --- Forward and external adoption ---------------------------------------------------------------------------------


def test_forward_upward(api, cast, world):
    report = sent(cast)
    submission_adopt(actor=cast.county_editor, submission=county_sub(world, report), mode="full")
    path = f"/reports/{report.pk}/forward"
    assert_error(api(cast.county_leader).post(path), 403, "forbidden")
    assert_error(api(cast.other_editor).post(path), 404, "not_found")
    for targets in ([world.township.pk], [999999], []):
        body = assert_error(
            api(cast.county_editor).post(path, {"targets": targets}), 400, "invalid", "上一级"
        )
        assert body["field"] == "targets"
    assert not ReportSource.objects.exists()
    response = api(cast.county_editor).post(
        path, {"title": "安平县开展冬季安全隐患大排查", "targets": [world.city_party_office.pk]}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["origin"] == "forwarded" and data["title"] == "安平县开展冬季安全隐患大排查"
    assert [s["office_name"] for s in data["submissions"]] == ["中共江州市委办公室"]
    assert data["sources"][0]["source_id"] == report.pk
    assert_error(api(cast.county_editor).post(path), 400, "invalid", "已经转报过")
    # The city sees it in its inbox and the original upward; the informant does not see the county's copy.
    assert {r["report"]["id"] for r in api(cast.city_editor).get("/inbox").json()["results"]} == {data["id"]}
    assert api(cast.city_editor).get(f"/reports/{report.pk}").status_code == 200
    assert_error(api(cast.informant).get(f"/reports/{data['id']}"), 404, "not_found")


def test_external_adoption(api, cast, world):
    report = sent(cast)
    path = f"/reports/{report.pk}/external-adoptions"
    good = {
        "level": "province",
        "publication": "明江信息",
        "issue_label": "第12期",
        "adopted_on": "2026-11-01",
    }
    assert_error(api(cast.county_leader).post(path, good), 403, "forbidden")
    assert_error(api(cast.other_editor).post(path, good), 404, "not_found")
    for override, status, fragment in (
        ({"level": "galaxy"}, 422, "level 取值无效"),
        ({"publication": " "}, 400, "刊物"),
        ({"adopted_on": "2026-11-31"}, 422, "adopted_on"),
        ({"adopted_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, 400, "不能晚于今天"),
        ({"level": "township"}, 400, "本级或上级"),
        ({"mode": "most"}, 422, "mode 取值无效"),
    ):
        assert_error(api(cast.county_editor).post(path, {**good, **override}), status, "invalid", fragment)
    assert not Adoption.objects.exists()
    response = api(cast.county_editor).post(path, good)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["external"] and data["level_label"] == "省" and data["office_id"] is None
    assert AdoptionCredit.objects.get(adoption_id=data["id"]).unit_id == world.township.pk


# --- Revisions, diff, lineage --------------------------------------------------------------------------------------


@pytest.fixture
def chain(cast, world):
    """Township original → county edit and forward → city edit."""
    report = sent(cast)
    report_update(
        actor=cast.county_editor,
        report=report,
        title=report.title,
        body=report.body.replace("40余人", "四十余人"),
        base_version=report.version,
        reason="规范数字",
    )
    submission_adopt(actor=cast.county_editor, submission=county_sub(world, report), mode="full")
    forwarded = report_forward(actor=cast.county_editor, report=report)
    report_update(
        actor=cast.city_editor,
        report=forwarded,
        title="江州市安平县冬季安全隐患排查整治见成效",
        body=forwarded.body,
        base_version=forwarded.version,
        reason="改标题",
    )
    report.refresh_from_db()
    forwarded.refresh_from_db()
    return report, forwarded


def test_revisions_and_diff(api, cast, chain):
    report, _ = chain
    revisions = api(cast.informant).get(f"/reports/{report.pk}/revisions").json()
    assert [(r["number"], r["author"], r["level"]) for r in revisions] == [
        (1, "朱建国", "township"),
        (2, "张天宇", "county"),
    ]
    diff = api(cast.informant).get(f"/reports/{report.pk}/diff", {"a": 1, "b": 2}).json()
    assert {"op": "delete", "text": "40"} in diff["segments"]
    assert {"op": "insert", "text": "四十"} in diff["segments"]
    assert all(s["op"] == "equal" for s in diff["title_segments"])
    assert 0 < diff["change_ratio"] < 0.1
    default = api(cast.informant).get(f"/reports/{report.pk}/diff").json()  # latest against the one before
    assert (default["a"], default["b"]) == (1, 2)
    body = assert_error(
        api(cast.informant).get(f"/reports/{report.pk}/diff", {"a": 9}), 400, "invalid", "不存在"
    )
    assert body["field"] == "a"
    assert_error(
        api(cast.informant).get(f"/reports/{report.pk}/diff", {"b": "x"}), 422, "invalid", "b 应为整数"
    )


def test_lineage_across_levels(api, cast, chain):
    report, forwarded = chain
    data = api(cast.city_editor).get(f"/reports/{forwarded.pk}/lineage").json()
    hops = data["hops"]
    assert [(h["level"], h["unit_name"]) for h in hops] == [
        ("township", "安平县城关镇"),
        ("county", "中共安平县委办公室"),
        ("city", "中共江州市委办公室"),
    ]
    assert [h["report_id"] for h in hops] == [report.pk, forwarded.pk, forwarded.pk]
    assert hops[0]["change_ratio"] is None and hops[0]["segments"] is None
    assert 0 < hops[1]["change_ratio"] < 0.1 and hops[2]["change_ratio"] > 0
    assert {"op": "insert", "text": "四十"} in hops[1]["segments"]
    # The informant's own item: its line so far, and the path upward through the county's forward to the city
    # edit — the same lineage his page shows.
    own = api(cast.informant).get(f"/reports/{report.pk}/lineage").json()
    assert [h["level"] for h in own["hops"]] == ["township", "county"]
    [path] = own["paths"]
    assert (
        path["end_report_id"] == forwarded.pk
        and path["end_title"] == "江州市安平县冬季安全隐患排查整治见成效"
    )
    assert [(h["level"], h["report_id"]) for h in path["hops"]] == [
        (h["level"], h["report_id"]) for h in hops
    ]
    assert path["hops"][2]["title"] == "江州市安平县冬季安全隐患排查整治见成效"
    # The city editor asking about the forwarded item sees the one path that ends there.
    assert [p["end_report_id"] for p in data["paths"]] == [forwarded.pk]


@pytest.mark.parametrize("what", ["revisions", "diff", "lineage"])
def test_history_reads_follow_visibility(api, cast, world, what):
    restricted = sent(cast, report_type=ReportType.PROBLEM)
    path = f"/reports/{restricted.pk}/{what}"
    assert api(cast.county_editor).get(path).status_code == 200
    assert_error(api(cast.county_leader).get(path), 404, "not_found")
    assert_error(api(cast.other_editor).get(path), 404, "not_found")
    assert_error(api(cast.sibling_informant).get(path), 404, "not_found")


# --- Documentation and authentication ------------------------------------------------------------------------------


def test_openapi_lists_the_reporting_endpoints():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/reports": {"get", "post"},
        "/api/v1/reports/{report_id}": {"get", "patch"},
        "/api/v1/reports/{report_id}/submit": {"post"},
        "/api/v1/reports/{report_id}/signoff": {"post"},
        "/api/v1/reports/{report_id}/escalate": {"post"},
        "/api/v1/reports/{report_id}/withdraw": {"post"},
        "/api/v1/reports/{report_id}/forward": {"post"},
        "/api/v1/reports/{report_id}/external-adoptions": {"post"},
        "/api/v1/reports/{report_id}/revisions": {"get"},
        "/api/v1/reports/{report_id}/diff": {"get"},
        "/api/v1/reports/{report_id}/lineage": {"get"},
        "/api/v1/inbox": {"get"},
        "/api/v1/submissions/combine": {"post"},
        "/api/v1/submissions/{submission_id}/take-up": {"post"},
        "/api/v1/submissions/{submission_id}/return": {"post"},
        "/api/v1/submissions/{submission_id}/adopt": {"post"},
        "/api/v1/submissions/{submission_id}/not-adopt": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
        for method in methods:
            assert paths[path][method]["tags"] == ["信息报送"], path
    conflict = paths["/api/v1/reports/{report_id}"]["patch"]["responses"]["409"]
    assert "ConflictOut" in str(conflict)


def test_token_required(cast):
    assert_error(Client().get("/api/v1/reports"), 401, "unauthorized")
    assert_error(Client().get("/api/v1/inbox"), 401, "unauthorized")
