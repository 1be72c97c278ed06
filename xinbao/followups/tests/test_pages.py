"""Pages: read and write matrix (alice/bob/charlie and the assigned unit), bad input on every form."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinbao.common.todos import todos_for
from xinbao.followups.models import Commission, Feedback, Instruction, TargetState
from xinbao.followups.services import assignment_create, commission_publish, feedback_submit
from xinbao.followups.tests.factories import snapshot
from xinbao.reports.services import report_signoff
from xinbao.reports.tests.factories import BODY


@pytest.fixture
def target(world, people, instruction):
    return assignment_create(
        actor=people.alice, instruction=instruction, units=[world.township], workdays=5
    ).targets.get()


def _as(client, user):
    client.force_login(user)
    return client


def test_read_matrix(client, people, instruction, target):
    pages = [f"/followups/instructions/{instruction.pk}/", f"/followups/targets/{target.pk}/"]
    for who, status in (
        (people.alice, 200),
        (people.bob, 200),
        (people.unit_leader, 200),
        (people.informant, 200),
        (people.charlie, 404),
        (people.sibling, 404),
    ):
        _as(client, who)
        for url in pages:
            assert client.get(url).status_code == status, (who, url)
        index = client.get("/followups/").content.decode()
        assert ("请城关镇抓紧核实情况" in index) == (status == 200)
        assert client.get("/followups/figures/").status_code == 200
    client.logout()
    assert client.get(pages[0]).status_code == 302


def test_record_instruction_page(client, people, report, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    url = f"/followups/instructions/new/{report.pk}/"
    assert _as(client, people.bob).get(url).status_code == 403
    assert _as(client, people.charlie).get(url).status_code == 404
    _as(client, people.alice)
    assert client.get(url).status_code == 200
    good = {"leader_name": "李明华", "rank": "county", "instructed_on": "2026-09-28", "text": "请抓紧落实。"}
    before = snapshot()
    for bad, message in (
        ({**good, "leader_name": ""}, "此项为必填项"),
        ({**good, "rank": "x"}, "选择"),
        ({**good, "instructed_on": "2026-02-30"}, "有效的日期"),
        ({**good, "instructed_on": "2026-10-30"}, "晚于今天"),
        ({**good, "image": SimpleUploadedFile("scan.png", b"not a png")}, "不符"),
    ):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert snapshot() == before
    response = client.post(url, {**good, "image": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF")})
    instruction = Instruction.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/followups/instructions/{instruction.pk}/"
    )
    assert instruction.image_name == "scan.pdf"


def test_record_instruction_on_a_published_issue_entry(client, world, people, report):
    """A leader writes on the printed 《安平信息》: the 批示 is recorded on that issue's entry (issue 4 item 5)."""
    from xinbao.bulletins.services import entry_add, issue_create, issue_publish, issue_sign, series_create

    series = series_create(actor=people.alice, name="安平信息", code="apxx")
    issue = issue_create(actor=people.alice, series=series)
    entry = entry_add(actor=people.alice, issue=issue, report=report)
    draft_entry = entry_add(
        actor=people.alice, issue=issue_create(actor=people.alice, series=series), report=report
    )
    issue_sign(actor=people.bob, issue=issue)
    issue_publish(actor=people.alice, issue=issue)
    url = f"/followups/instructions/new/{report.pk}/"
    page = _as(client, people.alice).get(f"{url}?entry={entry.pk}").content.decode()
    assert f'<option value="{entry.pk}" selected>《安平信息》2026年第1期</option>' in page
    assert f'value="{draft_entry.pk}"' not in page  # a draft was never read by a leader
    good = {"leader_name": "李明华", "rank": "county", "instructed_on": "2026-09-29", "text": "请抓紧落实。"}
    before = snapshot()
    response = client.post(url, {**good, "issue_entry": draft_entry.pk})
    assert response.status_code == 400
    assert "所选刊物不是本单位刊发这条信息的期刊" in response.content.decode()
    assert snapshot() == before
    assert client.post(url, {**good, "issue_entry": entry.pk}).status_code == 302
    assert client.post(url, {**good, "leader_name": "王建国"}).status_code == 302
    on_issue, on_item = Instruction.objects.order_by("pk")
    assert (on_issue.issue_entry, on_item.issue_entry) == (entry, None)
    detail = client.get(f"/followups/instructions/{on_issue.pk}/").content.decode()
    assert "批在《安平信息》2026年第1期" in detail
    assert "批在《" not in client.get(f"/followups/instructions/{on_item.pk}/").content.decode()


def test_assign_page(client, world, people, instruction):
    url = f"/followups/instructions/{instruction.pk}/assign/"
    data = {"units": [world.township.pk], "workdays": 5, "requirement": ""}
    before = snapshot()
    assert _as(client, people.bob).post(url, data).status_code == 403
    assert _as(client, people.charlie).post(url, data).status_code == 404
    _as(client, people.alice)
    for bad, message in (
        ({**data, "units": []}, "此项为必填项"),
        ({**data, "units": [world.other_township.pk]}, "所选单位无效"),
        ({**data, "workdays": 0}, "1至60"),
        ({**data, "workdays": "五"}, "整数"),
    ):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert snapshot() == before
    assert client.post(url, data).status_code == 302
    assert instruction.assignments.get().targets.get().due_on.isoformat() == "2026-10-12"
    assert client.post(url, data).status_code == 400  # the same unit again while open
    assert "未办结" in client.post(url, data).content.decode()


def test_feedback_and_decision_pages(client, people, target):
    url = f"/followups/targets/{target.pk}/feedback/"
    data = {"title": "城关镇落实县委批示情况", "body": BODY}
    before = snapshot()
    assert _as(client, people.charlie).post(url, data).status_code == 404
    assert _as(client, people.alice).post(url, data).status_code == 403
    assert _as(client, people.unit_leader).post(url, data).status_code == 403
    _as(client, people.informant)
    response = client.post(url, {**data, "title": ""})
    assert response.status_code == 400 and "此项为必填项" in response.content.decode()
    assert snapshot() == before
    assert client.post(url, data).status_code == 302
    feedback = Feedback.objects.get()
    report_signoff(actor=people.signer, report=feedback.report, approve=True)
    decide = f"/followups/feedback/{feedback.pk}/decide/"
    before = snapshot()
    assert _as(client, people.charlie).post(decide, {"decision": "accept"}).status_code == 404
    assert _as(client, people.bob).post(decide, {"decision": "accept"}).status_code == 403
    _as(client, people.alice)
    page = client.get(f"/followups/targets/{target.pk}/").content.decode()
    assert "认可并办结" in page
    for bad, message in (
        ({"decision": "more", "comment": ""}, "说明需要补充"),
        ({"decision": "x"}, "请选择审核结果"),
    ):
        response = client.post(decide, bad)
        assert response.status_code == 400 and message in response.content.decode()
        assert snapshot() == before
    assert client.post(decide, {"decision": "accept", "comment": "好"}).status_code == 302
    target.refresh_from_db()
    assert target.state == TargetState.CLOSED
    response = client.post(decide, {"decision": "accept"})
    assert response.status_code == 400 and "已审核" in response.content.decode()


def test_commission_pages(client, world, people, frozen):
    _as(client, people.bob)
    assert client.get("/followups/commissions/new/").status_code == 403
    _as(client, people.alice)
    assert client.get("/followups/commissions/new/").status_code == 200
    data = {
        "kind": "topic",
        "title": "关于报送秋冬季森林防火工作情况的约稿",
        "body": "请围绕责任落实报送。",
        "deadline": "2026-10-16",
        "units": [world.township.pk],
    }
    before = snapshot()
    for bad, message in (
        ({**data, "title": ""}, "此项为必填项"),
        ({**data, "deadline": "2026-09-01"}, "早于今天"),
        ({**data, "kind": "needs_list"}, "所属月份"),
        ({**data, "units": [world.other_township.pk]}, "所选单位无效"),
    ):
        response = client.post("/followups/commissions/new/", bad)
        assert response.status_code == 400 and message in response.content.decode()
        assert snapshot() == before
    assert client.post("/followups/commissions/new/", data).status_code == 302
    commission = Commission.objects.get()
    detail = f"/followups/commissions/{commission.pk}/"
    for who, status in (
        (people.alice, 200),
        (people.bob, 200),
        (people.informant, 200),
        (people.charlie, 404),
        (people.sibling, 404),
    ):
        assert _as(client, who).get(detail).status_code == status
    answer = f"{detail}answer/"
    good = {"report_type": "experience", "title": "城关镇织密森林防火网", "body": BODY}
    before = snapshot()
    assert _as(client, people.charlie).post(answer, good).status_code == 404
    assert _as(client, people.alice).post(answer, good).status_code == 403
    _as(client, people.informant)
    response = client.post(answer, {**good, "report_type": "feedback"})
    assert response.status_code == 400 and "请选择信息类型" in response.content.decode()
    assert snapshot() == before
    assert client.post(answer, good).status_code == 302
    assert "城关镇织密森林防火网" in client.get(detail).content.decode()
    assert _as(client, people.bob).post(f"{detail}close/").status_code == 403
    assert _as(client, people.alice).post(f"{detail}close/").status_code == 302
    commission.refresh_from_db()
    assert commission.state == "closed"


def test_todos(world, people, instruction, frozen):
    target = assignment_create(
        actor=people.alice, instruction=instruction, units=[world.township], workdays=1
    ).targets.get()
    commission_publish(
        actor=people.alice,
        kind="topic",
        title="约稿",
        body="内容",
        deadline=target.due_on,
        units=[world.township],
    )
    titles = [t.title for t in todos_for(people.informant)]
    assert "有1件交办事项待反馈" in titles and "有1项约稿待报送" in titles
    assert not [t for t in todos_for(people.charlie) if "交办" in t.title]
    import time_machine

    from xinbao.followups.tests.conftest import at

    with time_machine.travel(at(2026, 10, 9, 10, 0), tick=False):
        assert "有1件交办事项已超过反馈期限" in [t.title for t in todos_for(people.unit_leader)]
        feedback = feedback_submit(actor=people.informant, target=target, title="落实情况", body=BODY)
        report_signoff(actor=people.signer, report=feedback.report, approve=True)
        assert "有1条落实反馈待审核" in [t.title for t in todos_for(people.alice)]
        assert not [t for t in todos_for(people.bob) if "反馈" in t.title]


def test_sweep_command(world, people, target):
    import io

    import time_machine
    from django.core.management import call_command

    from xinbao.followups.tests.conftest import at

    out = io.StringIO()
    with time_machine.travel(at(2026, 10, 13, 9, 0), tick=False):
        call_command("followups_sweep", stdout=out)
    assert "1" in out.getvalue()
    target.refresh_from_db()
    assert target.reminded_after_for == target.due_on


def test_flagship_targets_set_on_the_figures_page(client, world, people, frozen):
    """An office editor sets a subordinate unit's yearly 精品稿件 target (3–5) on the figures page; his colleague
    in another role, a stranger from another county and the unit itself may not."""
    from xinbao.followups.models import FlagshipTarget

    url = "/followups/figures/?year=2026"
    good = {"unit": world.township.pk, "year": 2026, "pieces": 4}
    before = snapshot()
    assert _as(client, people.bob).post(url, good).status_code == 403
    assert _as(client, people.informant).post(url, good).status_code == 403
    assert 'id="flagship-form"' not in client.get(url).content.decode()
    response = _as(client, people.charlie).post(url, good)  # 城关镇 is not below 石桥县委办
    assert response.status_code == 400 and "所选单位无效" in response.content.decode()
    _as(client, people.alice)
    assert 'id="flagship-form"' in client.get(url).content.decode()
    for bad, message in (
        ({**good, "pieces": 6}, "精品稿件目标须为3至5篇"),
        ({**good, "pieces": 2}, "精品稿件目标须为3至5篇"),
        ({**good, "year": "明年"}, "年度无效"),
        ({**good, "unit": ""}, "此项为必填项"),
    ):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert snapshot() == before
    response = client.post(url, good)
    assert response.status_code == 302 and response["Location"] == url
    assert client.post(url, {**good, "pieces": 5}).status_code == 302  # changed, not doubled
    target = FlagshipTarget.objects.get()
    assert (target.office, target.unit, target.year, target.pieces) == (
        world.county_party_office,
        world.township,
        2026,
        5,
    )
    page = client.get(url).content.decode()
    assert f"<td>{world.township.name}</td><td>5</td><td>0</td>" in page
    own = _as(client, people.informant).get(url).content.decode()
    assert f"<td>{world.township.name}</td><td>5</td><td>0</td>" in own
