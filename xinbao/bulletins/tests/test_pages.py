"""Bulletin pages: every page renders for alice, bob gets 403 for actions, charlie 404 for reading; refused input
shows a Chinese message and changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from xinbao.bulletins.models import Classification, Issue, IssueState, Series
from xinbao.bulletins.tests.factories import make_adopted_report, make_issue, make_series, publish
from xinbao.bulletins.tests.test_services import issue_snapshot

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_render_for_the_editor(world, cast):
    series = make_series(world, cast)
    draft = make_issue(world, cast, series, reports=2)
    done = publish(world, cast, series)
    make_adopted_report(world, cast, title="还可编入的信息")
    c = client_for(cast.county_editor)
    for url, text in [
        (reverse("bulletins:index"), "安平信息"),
        (reverse("bulletins:series_list"), "apxx"),
        (reverse("bulletins:series_create"), "刊物名称"),
        (reverse("bulletins:series_edit", args=[series.pk]), "起始总期号"),
        (reverse("bulletins:compose", args=[draft.pk]), "还可编入的信息"),
        (reverse("bulletins:issue_detail", args=[draft.pk]), "（未编号）"),
        (reverse("bulletins:issue_detail", args=[done.pk]), "第1期（总第1期）"),
        (reverse("bulletins:issue_print", args=[done.pk]), "print.css"),
        (reverse("bulletins:entry_edit", args=[draft.entries.first().pk]), "来源署名"),
    ]:
        response = c.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    response = c.get(reverse("bulletins:issue_docx", args=[done.pk]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="apxx-2026-001.docx"'
        or "apxx-" in response["Content-Disposition"]
    )
    assert response.content[:2] == b"PK"


def test_stranger_gets_404_and_colleague_403(world, cast):
    series = make_series(world, cast)
    draft = make_issue(world, cast, series)
    charlie = client_for(cast.other_editor)
    for name in ("issue_detail", "issue_print", "issue_docx", "compose"):
        assert charlie.get(reverse(f"bulletins:{name}", args=[draft.pk])).status_code == 404
    assert charlie.post(reverse("bulletins:issue_sign", args=[draft.pk])).status_code == 404
    assert charlie.get(reverse("bulletins:series_edit", args=[series.pk])).status_code == 404
    assert charlie.post(reverse("bulletins:issue_new", args=[series.pk])).status_code == 404
    bob = client_for(cast.county_leader)  # same office, leader: reads and signs, does not edit
    alice = client_for(cast.county_editor)  # the editor may not sign
    assert bob.get(reverse("bulletins:compose", args=[draft.pk])).status_code == 403
    assert bob.get(reverse("bulletins:series_create")).status_code == 403
    before = issue_snapshot(draft)
    assert bob.post(reverse("bulletins:issue_publish", args=[draft.pk])).status_code == 403
    assert issue_snapshot(draft) == before
    assert alice.post(reverse("bulletins:issue_sign", args=[draft.pk])).status_code == 403


def test_compose_sign_publish_through_pages(world, cast):
    series = make_series(world, cast)
    report = make_adopted_report(world, cast)
    editor, leader = client_for(cast.county_editor), client_for(cast.county_leader)
    response = editor.post(reverse("bulletins:issue_new", args=[series.pk]))
    issue = Issue.objects.get()
    assert response.url == reverse("bulletins:compose", args=[issue.pk])
    editor.post(reverse("bulletins:entry_add", args=[issue.pk]), {"report": report.pk})
    entry = issue.entries.get()
    response = editor.post(reverse("bulletins:entry_move", args=[entry.pk, "up"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "entry-list" in response.content.decode()
    leader.post(reverse("bulletins:issue_sign", args=[issue.pk]))
    assert Issue.objects.get().state == IssueState.SIGNED
    editor.post(reverse("bulletins:issue_publish", args=[issue.pk]), {"issue_date": ""})
    issue = Issue.objects.get()
    assert (issue.state, issue.number) == (IssueState.PUBLISHED, 1)


def test_published_issue_lists_instructions_per_entry_for_its_editors(world, cast):
    """The editor records a leader's 批示 from the printed issue's page; colleagues and readers see no such panel."""
    from xinbao.followups.services import instruction_record

    issue = publish(world, cast, make_series(world, cast), reports=2)
    first, second = issue.entries.order_by("position")
    instruction_record(
        actor=cast.county_editor,
        report=first.report,
        issue_entry=first,
        leader_name="李明华",
        rank="county",
        text="经验做法很好，请在全县推广。",
        instructed_on=issue.issue_date,
    )
    url = reverse("bulletins:issue_detail", args=[issue.pk])
    page = client_for(cast.county_editor).get(url).content.decode()
    assert 'id="entry-instructions"' in page
    assert "李明华（县领导，" in page and "经验做法很好，请在全县推广。" in page
    assert f"/followups/instructions/new/{second.report_id}/?entry={second.pk}" in page
    for reader in (cast.county_leader, cast.city_editor):
        other = client_for(reader).get(url)
        assert other.status_code == 200 and 'id="entry-instructions"' not in other.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "code": "abc"}, "必填项"),
        ({"code": "Bad Code!"}, "刊物代码须为2至32位小写字母"),
        ({"code": "apxx"}, "刊物代码“apxx”已被使用"),
        ({"copies": "0"}, "确保该值大于或等于1"),
        ({"copies": "abc"}, "输入整数"),
        ({"kind": "weekly"}, "选择一个有效的选项"),
        ({"issue_units": "999999"}, "所选单位无效"),
    ],
)
def test_series_form_bad_input(world, cast, data, message):
    make_series(world, cast)
    c = client_for(cast.county_editor)
    count = Series.objects.count()
    form = {
        "name": "信息专报",
        "code": "apzb",
        "kind": "special",
        "classification": "internal",
        "copies": "20",
        "total_start": "1",
        **data,
    }
    response = c.post(reverse("bulletins:series_create"), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Series.objects.count() == count


def test_series_form_refuses_township_on_restricted_series(world, cast):
    c = client_for(cast.county_editor)
    response = c.post(
        reverse("bulletins:series_create"),
        {
            "name": "内参",
            "code": "apnc",
            "kind": "special",
            "classification": Classification.RESTRICTED,
            "copies": "20",
            "total_start": "1",
            "issue_units": [str(world.township.pk)],
        },
    )
    assert "内参（限定范围）刊物不能分送下级单位：安平县城关镇" in response.content.decode()
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"copies": "0"}, "确保该值大于或等于1"),
        ({"classification": "topsecret"}, "选择一个有效的选项"),
        ({"version": "99"}, "这期刊物已被他人修改"),
        ({"editor_note": "按" * 1001}, "1000"),
    ],
)
def test_issue_meta_bad_input(world, cast, data, message):
    issue = make_issue(world, cast, make_series(world, cast))
    c = client_for(cast.county_editor)
    before = issue_snapshot(issue)
    form = {
        "editor_note": "按语",
        "classification": "internal",
        "copies": "30",
        "serial": "",
        "version": issue.version,
        **data,
    }
    response = c.post(reverse("bulletins:compose", args=[issue.pk]), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert issue_snapshot(issue) == before


def test_entry_and_distribution_bad_input(world, cast):
    series = make_series(world, cast, classification=Classification.RESTRICTED, recipients={})
    c = client_for(cast.county_editor)
    issue = make_issue(world, cast, series)
    entry = issue.entries.get()
    before = issue_snapshot(issue)
    response = c.post(
        reverse("bulletins:entry_edit", args=[entry.pk]),
        {"title": "", "body": "x", "source_line": "", "mode": "full", "version": issue.version},
    )
    assert "这个字段是必填项" in response.content.decode() or "请填写标题" in response.content.decode()
    response = c.post(
        reverse("bulletins:distribution", args=[issue.pk]),
        {"issue_units": [str(world.township.pk)]},
        follow=True,
    )
    assert "内参（限定范围）刊物不能分送下级单位" in response.content.decode()
    response = c.post(reverse("bulletins:entry_add", args=[issue.pk]), {"report": "abc"}, follow=True)
    response = c.post(reverse("bulletins:entry_add", args=[issue.pk]), {"report": "999999"}, follow=True)
    assert "所选信息不存在" in response.content.decode()
    response = c.post(reverse("bulletins:entry_reorder", args=[issue.pk]), {"order": ["x"]}, follow=True)
    assert "排序数据无效" in response.content.decode()
    response = c.post(
        reverse("bulletins:issue_publish", args=[issue.pk]), {"issue_date": "2026-13-45"}, follow=True
    )
    assert "有效的日期" in response.content.decode()
    assert issue_snapshot(issue) == before
