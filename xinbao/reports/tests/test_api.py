"""/api/v1 for items, the author's and signer's side: every endpoint as alice (may), bob (same unit or office,
other role: refused) and charlie (another county: 404), visibility exactly as the selector, bad input that
changes nothing. The office side is in test_api_review.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinbao.api.tests.conftest import assert_error
from xinbao.audit.models import AuditEvent, EventType
from xinbao.reports.models import Report, ReportState, ReportType, Revision, SignOff, Submission
from xinbao.reports.services import report_update, submission_adopt
from xinbao.reports.tests import api_support
from xinbao.reports.tests.api_support import NEW, county_sub, ids, pending, refused, sent
from xinbao.reports.tests.factories import BODY, make_report

pytestmark = pytest.mark.django_db

# Shared fixtures, bound here so pytest finds them in this module.
api = api_support.api


# --- Create ----------------------------------------------------------------------------------------------------


def test_informant_creates_a_draft(api, cast):
    body = {**NEW, "tags": ["安全生产", "冬季"], "authors": [cast.informant.pk, cast.colleague.pk]}
    response = api(cast.informant).post("/reports", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "draft" and data["version"] == 1 and data["visibility"] == "normal"
    assert sorted(data["tags"]) == ["冬季", "安全生产"]
    assert {a["full_name"] for a in data["authors"]} == {"朱建国", "常玉梅"}
    assert Revision.objects.filter(report_id=data["id"]).count() == 1


def test_problem_items_default_to_restricted(api, cast):
    response = api(cast.informant).post("/reports", {**NEW, "report_type": "problem"})
    assert response.status_code == 201 and response.json()["visibility"] == "restricted"


def test_signer_may_not_draft(api, cast):
    assert_error(api(cast.signer).post("/reports", NEW), 403, "forbidden")
    assert not Report.objects.exists()


def test_other_county_cannot_name_our_people_as_authors(api, cast):
    response = api(cast.other_editor).post("/reports", {**NEW, "authors": [cast.informant.pk]})
    assert assert_error(response, 404, "not_found")["field"] == "authors"
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("override", "status", "field", "fragment"),
    [
        ({"title": "  "}, 400, "title", "标题不能为空"),
        ({"title": "长" * 61}, 400, "title", "标题不能超过60个字"),
        ({"body": ""}, 400, "body", "正文不能为空"),
        ({"body": "字" * 20001}, 400, "body", "正文不能超过"),
        ({"report_type": "gossip"}, 422, None, "report_type 取值无效"),
        ({"visibility": "secret"}, 422, None, "visibility 取值无效"),
        ({"tags": [f"词{i}" for i in range(11)]}, 400, "tags", "主题词最多10个"),
        ({"colour": "red"}, 422, None, "不接受的字段 colour"),
        ({"authors": ["abc"]}, 422, None, "应为整数"),
    ],
)
def test_bad_drafts_change_nothing(api, cast, override, status, field, fragment):
    body = assert_error(
        api(cast.informant).post("/reports", {**NEW, **override}), status, "invalid", fragment
    )
    if field:
        assert body["field"] == field
    assert not Report.objects.exists()


# --- Read and visibility -----------------------------------------------------------------------------------------


def test_list_and_detail_follow_the_selector(api, cast, world):
    normal = sent(cast)
    restricted = sent(cast, title="某村土地征收补偿款拖欠引发群众不满", report_type=ReportType.PROBLEM)
    draft = make_report(cast.informant, title="草稿")
    assert restricted.is_restricted
    expected = {
        cast.informant: {normal.pk, restricted.pk, draft.pk},
        cast.signer: {normal.pk, restricted.pk},
        cast.colleague: {normal.pk},
        cast.county_editor: {normal.pk, restricted.pk},
        cast.county_leader: {normal.pk},
        cast.city_editor: set(),
        cast.sibling_informant: set(),
        cast.other_editor: set(),
    }
    for user, visible in expected.items():
        assert ids(api(user).get("/reports")) == visible, user.username
        for report in (normal, restricted, draft):
            response = api(user).get(f"/reports/{report.pk}")
            if report.pk in visible:
                assert response.status_code == 200
            else:
                assert_error(response, 404, "not_found")


def test_detail_shows_submissions_signoffs_adoptions(api, cast, world):
    report = sent(cast, tags=["冬季"])
    submission_adopt(actor=cast.county_editor, submission=county_sub(world, report), mode="full")
    data = api(cast.informant).get(f"/reports/{report.pk}").json()
    assert data["state"] == "sent" and data["tags"] == ["冬季"]
    assert {s["office_name"]: s["state"] for s in data["submissions"]} == {
        "中共安平县委办公室": "adopted",
        "安平县人民政府办公室": "submitted",
    }
    assert [(s["signer"], s["decision"]) for s in data["signoffs"]] == [("何海波", "approved")]
    assert [(a["level"], a["mode"], a["office_name"]) for a in data["adoptions"]] == [
        ("county", "full", "中共安平县委办公室")
    ]
    assert data["authors"] == [{"id": cast.informant.pk, "full_name": "朱建国"}]


def test_reading_a_restricted_item_is_audited(api, cast):
    restricted = sent(cast, report_type=ReportType.PROBLEM)
    normal = sent(cast)
    assert api(cast.county_editor).get(f"/reports/{restricted.pk}").status_code == 200
    assert api(cast.county_editor).get(f"/reports/{normal.pk}").status_code == 200
    reads = AuditEvent.objects.filter(event_type=EventType.RESTRICTED_READ, actor=cast.county_editor)
    assert reads.count() == 1


def test_list_filters(api, cast, world):
    dynamic = sent(cast)
    suggestion = sent(cast, title="关于加强农村独居老人冬季关爱的建议", report_type=ReportType.SUGGESTION)
    client = api(cast.county_editor)
    assert ids(client.get("/reports", {"type": "suggestion"})) == {suggestion.pk}
    assert ids(client.get("/reports", {"q": "独居老人冬季关爱"})) == {suggestion.pk}
    assert ids(client.get("/reports", {"unit": world.township.pk})) == {dynamic.pk, suggestion.pk}
    assert ids(client.get("/reports", {"unit": world.township2.pk})) == set()
    today = timezone.localdate()
    assert ids(client.get("/reports", {"date_from": today.isoformat()})) == {dynamic.pk, suggestion.pk}
    assert ids(client.get("/reports", {"date_to": (today - timedelta(days=1)).isoformat()})) == set()
    assert ids(client.get("/reports", {"state": "sent", "page_size": 1})) <= {dynamic.pk, suggestion.pk}
    assert client.get("/reports", {"page_size": 1}).json()["count"] == 2
    assert_error(client.get("/reports", {"type": "gossip"}), 422, "invalid", "type 取值无效")
    assert_error(client.get("/reports", {"date_from": "2026-02-30"}), 422, "invalid", "date_from")


def test_list_pages_walk_every_item_once_in_order_with_the_count(api, cast):
    """The list finds each page's keys and its count in one query, then loads those rows: the pages together are
    the whole list in the selector's order, each page carries the full count, a page past the end is empty."""
    made = [sent(cast, title=f"城关镇冬季安全检查第{n}轮") for n in range(5)]
    client = api(cast.county_editor)
    seen = []
    for page in (1, 2, 3):
        data = client.get("/reports", {"page": page, "page_size": 2}).json()
        assert data["count"] == 5
        seen += [row["id"] for row in data["results"]]
    expected = list(Report.objects.filter(pk__in=[r.pk for r in made]).values_list("pk", flat=True))
    assert seen == expected and len(set(seen)) == 5
    past = client.get("/reports", {"page": 4, "page_size": 2}).json()
    assert (past["count"], past["results"]) == (5, [])
    assert (
        client.get(
            "/reports",
            {"page": 1, "page_size": 2},
        ).json()["results"][0]["title"]
        == made[-1].title
    )


def test_list_rows_say_what_the_item_schema_says(api, cast):
    """The list and inbox pages build their rows as dicts (schemas.report_rows, inbox_rows); one item read through
    the object schemas (ReportOut, InboxItemOut, used by the detail and action answers) must say the same."""
    from xinbao.reports.schemas import (
        InboxItemOut,
        InboxRow,
        ReportFields,
        ReportOut,
        inbox_rows,
        report_rows,
    )
    from xinbao.reports.selectors import INBOX_LIST_VALUES, LIST_VALUES

    made = [sent(cast), pending(cast), refused(cast)]
    submission_adopt(
        actor=cast.county_editor, submission=made[0].submissions.get(office=cast.county_editor.unit)
    )
    reports = list(Report.objects.select_related("unit", "created_by"))
    assert len(reports) >= 3
    values = list(Report.objects.values(*LIST_VALUES))
    for report, row in zip(reports, report_rows(values), strict=True):
        assert ReportFields(**row).model_dump() == ReportOut.from_orm(report).model_dump()
    subs = list(Submission.objects.select_related("report__unit", "report__created_by", "reviewer"))
    assert any(s.reviewer_id for s in subs) and any(not s.reviewer_id for s in subs)
    sub_values = list(Submission.objects.values(*INBOX_LIST_VALUES))
    for sub, row in zip(subs, inbox_rows(sub_values), strict=True):
        assert InboxRow(**row).model_dump() == InboxItemOut.from_orm(sub).model_dump()


def test_list_and_inbox_queries_do_not_grow_with_rows(api, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(user, path):
        client = api(user)
        client.get(path)  # token lookup and cache warm-up are not what is measured
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    sent(cast)
    few = queries(cast.county_editor, "/reports"), queries(cast.county_editor, "/inbox")
    for n in range(4):
        sent(cast, title=f"城关镇冬季安全排查第{n}批")
    assert (queries(cast.county_editor, "/reports"), queries(cast.county_editor, "/inbox")) == few


# --- Edit --------------------------------------------------------------------------------------------------------


def test_author_edits_with_the_current_version(api, cast):
    report = make_report(cast.informant)
    response = api(cast.informant).patch(
        f"/reports/{report.pk}", {"base_version": 1, "body": BODY + "群众反映良好。", "reason": "补充"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["body"].endswith("群众反映良好。")
    assert report.revisions.count() == 2


def test_signer_may_not_edit_and_other_county_cannot_see(api, cast):
    report = refused(cast)
    body = {"base_version": report.version, "title": "改"}
    assert_error(api(cast.signer).patch(f"/reports/{report.pk}", body), 403, "forbidden")
    assert_error(api(cast.other_editor).patch(f"/reports/{report.pk}", body), 404, "not_found")
    report.refresh_from_db()
    assert report.title != "改" and report.version == 1


def test_stale_edit_gets_the_other_changes_and_writes_nothing(api, cast, world):
    report = sent(cast)
    report_update(
        actor=cast.county_editor,
        report=report,
        title=report.title,
        body=report.body.replace("40余人", "四十余人"),
        base_version=1,
    )
    response = api(cast.county_editor).patch(
        f"/reports/{report.pk}", {"base_version": 1, "body": "我的改法" + BODY}
    )
    body = assert_error(response, 409, "conflict", "已被他人修改")
    assert body["current_version"] == 2
    assert {"op": "insert", "text": "四十"} in body["other_changes"]
    assert {"op": "delete", "text": "40"} in body["other_changes"]
    report.refresh_from_db()
    assert report.version == 2 and "我的改法" not in report.body


@pytest.mark.parametrize(
    ("payload", "status", "fragment"),
    [
        ({"title": "新标题"}, 422, "缺少必填项 base_version"),
        ({"base_version": 1, "title": None}, 400, "标题不能为空（不修改请省略该字段）"),
        ({"base_version": 1, "title": "长" * 61}, 400, "标题不能超过60个字"),
        ({"base_version": 1, "body": " "}, 400, "正文不能为空"),
        ({"base_version": 0, "title": "新标题"}, 422, "base_version 不能小于1"),
        ({"base_version": 1, "report_type": "gossip"}, 422, "report_type 取值无效"),
    ],
)
def test_bad_edits_change_nothing(api, cast, payload, status, fragment):
    report = make_report(cast.informant)
    assert_error(api(cast.informant).patch(f"/reports/{report.pk}", payload), status, "invalid", fragment)
    report.refresh_from_db()
    assert report.version == 1 and report.revisions.count() == 1


# --- Submit, sign-off, escalate, withdraw ------------------------------------------------------------------------


def test_informant_submits_for_signoff(api, cast):
    report = make_report(cast.informant)
    response = api(cast.informant).post(f"/reports/{report.pk}/submit", {})
    assert response.status_code == 200 and response.json()["state"] == "pending_signoff"


def test_submit_refused_for_signer_and_unseen_by_other_county(api, cast):
    report = refused(cast)
    assert_error(api(cast.signer).post(f"/reports/{report.pk}/submit"), 403, "forbidden")
    assert_error(api(cast.other_editor).post(f"/reports/{report.pk}/submit"), 404, "not_found")
    report.refresh_from_db()
    assert report.state == ReportState.SIGNOFF_REFUSED


@pytest.mark.parametrize("how", ["body", "header"])
def test_same_key_twice_is_one_submission(api, cast, how):
    report = make_report(cast.informant, report_type=ReportType.EMERGENCY, title="城关镇发生一起民房火灾")
    client = api(cast.informant)
    for _ in range(2):
        if how == "body":
            response = client.post(f"/reports/{report.pk}/submit", {"key": "k-123"})
        else:
            response = client.client.post(
                f"/api/v1/reports/{report.pk}/submit",
                data="",
                content_type="application/json",
                headers={**client.headers, "Idempotency-Key": "k-123"},
            )
        assert response.status_code == 200, response.content
        assert response.json()["state"] == "sent"
    assert Submission.objects.filter(report=report).count() == 2  # one per county office, not four
    assert (
        AuditEvent.objects.filter(
            event_type=EventType.STATE_CHANGE, object_id=str(report.pk), detail__to="sent"
        ).count()
        == 1
    )


def test_bad_submit_keys(api, cast):
    report = make_report(cast.informant)
    client = api(cast.informant)
    path = f"/reports/{report.pk}/submit"
    assert_error(client.post(path, {"key": "k" * 65}), 422, "invalid", "key 过长")
    response = client.client.post(
        f"/api/v1{path}",
        data='{"key": "a"}',
        content_type="application/json",
        headers={**client.headers, "Idempotency-Key": "b"},
    )
    assert_error(response, 400, "invalid", "不一致")
    response = client.client.post(
        f"/api/v1{path}",
        data="",
        content_type="application/json",
        headers={**client.headers, "Idempotency-Key": "h" * 65},
    )
    assert_error(response, 400, "invalid", "Idempotency-Key 过长")
    assert_error(client.post(path, raw="{not json"), 400, "invalid")
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_signer_approves_and_the_item_reaches_both_offices(api, cast, world):
    report = pending(cast)
    response = api(cast.signer).post(f"/reports/{report.pk}/signoff", {"approve": True})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "sent" and len(data["submissions"]) == 2
    assert data["signoffs"][0]["decision"] == "approved"


def test_refusal_needs_a_reason_and_stays_visible_to_the_office(api, cast):
    report = pending(cast)
    client = api(cast.signer)
    body = assert_error(client.post(f"/reports/{report.pk}/signoff", {"approve": False}), 400, "invalid")
    assert body["field"] == "reason"
    assert not SignOff.objects.exists()
    response = client.post(f"/reports/{report.pk}/signoff", {"approve": False, "reason": "数据需核实"})
    assert response.status_code == 200 and response.json()["state"] == "signoff_refused"
    seen = api(cast.county_editor).get(f"/reports/{report.pk}").json()
    assert [(s["decision"], s["reason"]) for s in seen["signoffs"]] == [("refused", "数据需核实")]


def test_signoff_refused_for_colleague_and_other_county(api, cast):
    report = pending(cast)
    assert_error(
        api(cast.colleague).post(f"/reports/{report.pk}/signoff", {"approve": True}), 403, "forbidden"
    )
    assert_error(
        api(cast.other_editor).post(f"/reports/{report.pk}/signoff", {"approve": True}), 404, "not_found"
    )
    assert_error(api(cast.signer).post(f"/reports/{report.pk}/signoff", {"approve": "maybe"}), 422, "invalid")
    assert_error(api(cast.signer).post(f"/reports/{report.pk}/signoff", {}), 422, "invalid", "approve")
    assert not SignOff.objects.exists()


def test_signing_twice_is_refused(api, cast):
    report = sent(cast)
    assert_error(api(cast.signer).post(f"/reports/{report.pk}/signoff", {"approve": True}), 400, "invalid")
    assert SignOff.objects.count() == 1


def test_escalation_after_the_wait(api, cast):
    report = pending(cast)
    client = api(cast.informant)
    assert_error(client.post(f"/reports/{report.pk}/escalate", {"reason": "急"}), 400, "invalid", "未满")
    long_ago = timezone.now() - timedelta(hours=30)
    Report.objects.filter(pk=report.pk).update(pending_since=long_ago, updated_at=long_ago)
    assert_error(api(cast.signer).post(f"/reports/{report.pk}/escalate"), 403, "forbidden")
    assert_error(api(cast.other_editor).post(f"/reports/{report.pk}/escalate"), 404, "not_found")
    assert_error(client.post(f"/reports/{report.pk}/escalate", {"reason": 5}), 422, "invalid")
    response = client.post(f"/reports/{report.pk}/escalate", {"reason": "审签人长期出差"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "sent" and data["escalations"][0]["waited_minutes"] >= 30 * 60 - 1
    assert data["escalations"][0]["reason"] == "审签人长期出差"


def test_withdraw(api, cast):
    report = pending(cast)
    assert_error(api(cast.colleague).post(f"/reports/{report.pk}/withdraw"), 403, "forbidden")
    assert_error(api(cast.signer).post(f"/reports/{report.pk}/withdraw"), 403, "forbidden")
    assert_error(api(cast.other_editor).post(f"/reports/{report.pk}/withdraw"), 404, "not_found")
    response = api(cast.informant).post(f"/reports/{report.pk}/withdraw")
    assert response.status_code == 200 and response.json()["state"] == "draft"
    assert_error(api(cast.informant).post(f"/reports/{report.pk}/withdraw"), 400, "invalid", "不能撤回")
