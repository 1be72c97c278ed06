"""Author and signer pages: my items, draft/edit, submit, withdraw, escalate, sign-off, detail, diff, lineage,
attachments, 待办. alice may (the township informant, or its signer where the page is the signer's); bob is in the
same township in another role; charlie is in another county and gets 404 (or an empty list) for every item."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.common.todos import todos_for
from xinbao.reports.models import (
    Attachment,
    Report,
    ReportState,
    ReportType,
    SignOff,
    Submission,
    Visibility,
)
from xinbao.reports.services import (
    report_forward,
    report_signoff,
    report_submit,
    report_update,
    submission_adopt,
    submission_return,
)
from xinbao.reports.tests.factories import BODY, make_cast, make_report

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def charlie(world):
    """Informant and signer of 龙潭镇 in 石桥县 — another county."""
    return make_user(world.other_township, Role.INFORMANT, Role.SIGNER, username="charlie", full_name="查理")


@pytest.fixture
def unit_admin(world):
    """bob for the author's pages: same township, another role."""
    return make_user(world.township, Role.UNIT_ADMIN, username="bob", full_name="鲍勃")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def form_data(**over) -> dict:
    data = {
        "title": "城关镇开展冬季安全隐患大排查",
        "body": BODY,
        "report_type": ReportType.DYNAMIC,
        "visibility": "",
        "tags": "安全生产、冬季",
        "submit_key": "k-new",
        "action": "save",
    }
    data.update(over)
    return data


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def sent(cast, **kwargs) -> Report:
    report = make_report(cast.informant, **kwargs)
    report_submit(actor=cast.informant, report=report, key="k0")
    report_signoff(actor=cast.signer, report=report, approve=True)
    report.refresh_from_db()
    return report


# --- my items --------------------------------------------------------------------------------------------------


def test_mine_lists_own_unit_items_with_office_states_and_refuses_other_roles(cast, unit_admin, charlie):
    report = sent(cast)
    draft = make_report(cast.informant, title="尚未报送的草稿")
    page = login(cast.informant).get(reverse("reports:mine"))
    assert page.status_code == 200
    html = page.content.decode()
    assert report.title in html and draft.title in html
    assert "待审核" in html and "起草信息" in html
    # A colleague informant sees the unit's sent item but not alice's draft.
    html = login(cast.colleague).get(reverse("reports:mine")).content.decode()
    assert report.title in html and draft.title not in html
    assert login(unit_admin).get(reverse("reports:mine")).status_code == 403
    other = login(charlie).get(reverse("reports:mine"))
    assert other.status_code == 200 and report.title not in other.content.decode()


def test_mine_filters_and_bad_dates(cast):
    sent(cast)
    make_report(cast.informant, title="草稿一条", report_type=ReportType.SUGGESTION)
    c = login(cast.informant)
    html = c.get(reverse("reports:mine"), {"state": "draft"}).content.decode()
    assert "草稿一条" in html and "冬季安全隐患" not in html
    html = c.get(reverse("reports:mine"), {"type": ReportType.DYNAMIC}).content.decode()
    assert "草稿一条" not in html and "冬季安全隐患" in html
    html = c.get(reverse("reports:mine"), {"q": "草稿"}).content.decode()
    assert "草稿一条" in html and "冬季安全隐患" not in html
    bad = c.get(reverse("reports:mine"), {"date_from": "2026-13-45"})
    assert bad.status_code == 200 and "有效的日期" in bad.content.decode()


# --- drafting ---------------------------------------------------------------------------------------------------


def test_new_creates_a_draft_with_tags_authors_and_attachment(cast, unit_admin):
    c = login(cast.informant)
    assert c.get(reverse("reports:new")).status_code == 200
    data = form_data(authors=[cast.informant.pk, cast.colleague.pk])
    data["attachments"] = [
        SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
        SimpleUploadedFile("方案.docx", docx_bytes()),
    ]
    resp = c.post(reverse("reports:new"), data)
    report = Report.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.state == ReportState.DRAFT
    assert {t.name for t in report.tags.all()} == {"安全生产", "冬季"}
    assert set(report.authors.all()) == {cast.informant, cast.colleague}
    assert sorted(a.original_name for a in report.attachments.all()) == ["方案.docx", "现场.png"]
    assert login(unit_admin).get(reverse("reports:new")).status_code == 403


def test_problem_type_defaults_to_restricted(cast):
    login(cast.informant).post(reverse("reports:new"), form_data(report_type=ReportType.PROBLEM))
    assert Report.objects.get().visibility == Visibility.RESTRICTED


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"title": ""}, "请填写标题"),
        ({"body": ""}, "请填写正文"),
        ({"body": "   "}, "正文不能为空"),
        ({"title": "标" * 61}, "标题不能超过60个字（现为61个字）"),
        ({"report_type": ""}, "请选择信息类型"),
    ],
)
def test_new_refuses_bad_fields_in_chinese_and_creates_nothing(cast, over, message):
    resp = login(cast.informant).post(reverse("reports:new"), form_data(**over))
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not Report.objects.exists()


def test_renamed_executable_and_oversized_attachment_are_refused(cast, settings):
    c = login(cast.informant)
    exe = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")
    resp = c.post(reverse("reports:new"), {**form_data(), "attachments": [exe]})
    assert "内容与扩展名不符" in resp.content.decode()
    settings.ATTACHMENT_MAX_BYTES = 50
    big = SimpleUploadedFile("大图.png", PNG + b"\x00" * 100, content_type="image/png")
    resp = c.post(reverse("reports:new"), {**form_data(), "attachments": [big]})
    assert "超过" in resp.content.decode() and "上限" in resp.content.decode()
    wrong = SimpleUploadedFile("工具.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    resp = c.post(reverse("reports:new"), {**form_data(), "attachments": [wrong]})
    assert "类型不允许" in resp.content.decode()
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_double_post_of_new_with_submit_creates_one_item(cast):
    c = login(cast.informant)
    data = form_data(action="submit", submit_key="same-key")
    c.post(reverse("reports:new"), data)
    resp = c.post(reverse("reports:new"), data)
    assert resp.status_code == 302
    report = Report.objects.get()
    assert report.state == ReportState.PENDING_SIGNOFF


# --- editing ------------------------------------------------------------------------------------------------------


def test_edit_permissions(cast, unit_admin, charlie):
    report = make_report(cast.informant)
    url = reverse("reports:edit", args=[report.pk])
    assert login(cast.informant).get(url).status_code == 200
    assert login(cast.colleague).get(url).status_code == 404  # someone else's draft
    assert login(unit_admin).get(url).status_code == 404
    assert login(charlie).get(url).status_code == 404
    report_submit(actor=cast.informant, report=report, key="k")
    assert login(cast.signer).get(url).status_code == 403  # sees it, may not edit it
    assert login(cast.informant).get(url).status_code == 403  # waiting for sign-off


def test_edit_saves_a_revision_and_bad_input_changes_nothing(cast):
    report = make_report(cast.informant)
    c = login(cast.informant)
    url = reverse("reports:edit", args=[report.pk])
    resp = c.post(url, form_data(body=BODY + "群众反映良好。", base_version=1, reason="补充成效"))
    assert resp.status_code == 302
    report.refresh_from_db()
    assert report.version == 2 and report.revisions.count() == 2
    resp = c.post(url, form_data(title="", base_version=2))
    assert "请填写标题" in resp.content.decode()
    report.refresh_from_db()
    assert report.version == 2 and report.title == "城关镇开展冬季安全隐患大排查"


def test_conflict_shows_the_other_changes_and_keeps_the_users_text(cast):
    report = make_report(cast.informant, authors=[cast.informant, cast.colleague])
    c = login(cast.informant)
    url = reverse("reports:edit", args=[report.pk])
    assert 'name="base_version" value="1"' in c.get(url).content.decode()
    report_update(
        actor=cast.colleague,
        report=report,
        title=report.title,
        body=BODY.replace("40余人", "四十余人"),
        base_version=1,
    )
    mine = BODY + "我的补充内容不能丢。"
    resp = c.post(url, form_data(body=mine, base_version=1))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "已被他人修改" in html and "常玉梅" in html
    assert "<ins" in html and "四十" in html and "<del" in html
    assert "我的补充内容不能丢。" in html  # the user's text is still in the form
    assert 'name="base_version" value="2"' in html
    report.refresh_from_db()
    assert report.version == 2 and "我的补充" not in report.body


def test_office_editor_edits_with_reason_on_the_same_page(cast, world):
    report = sent(cast)
    c = login(cast.county_editor)
    url = reverse("reports:edit", args=[report.pk])
    html = c.get(url).content.decode()
    assert "修改说明" in html and 'name="report_type"' not in html
    resp = c.post(
        url,
        {
            "title": report.title,
            "body": BODY.replace("40余人", "四十余人"),
            "base_version": 1,
            "reason": "规范数字",
        },
    )
    assert resp.status_code == 302
    rev = report.revisions.order_by("-number").first()
    assert (
        rev.role == Role.EDITOR and rev.reason == "规范数字" and rev.unit_id == world.county_party_office.pk
    )


# --- submit, withdraw, escalate -----------------------------------------------------------------------------------


def test_submit_permissions_and_page_key(cast, charlie):
    report = make_report(cast.informant)
    html = login(cast.informant).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'name="key"' in html and "报送审签" in html
    url = reverse("reports:submit", args=[report.pk])
    assert login(charlie).post(url, {"key": "x"}).status_code == 404
    assert login(cast.colleague).post(url, {"key": "x"}).status_code == 404
    resp = login(cast.informant).post(url, {"key": "x"})
    assert resp.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.PENDING_SIGNOFF
    assert login(cast.signer).post(url, {"key": "y"}).status_code == 403


def test_double_submit_post_with_the_same_key_is_one_submission(cast):
    report = make_report(cast.informant, report_type=ReportType.EMERGENCY)
    c = login(cast.informant)
    url = reverse("reports:submit", args=[report.pk])
    c.post(url, {"key": "same"})
    c.post(url, {"key": "same"})
    assert Submission.objects.filter(report=report).count() == 2  # one per county office
    sends = AuditEvent.objects.filter(
        event_type=EventType.STATE_CHANGE, object_id=str(report.pk), detail__to=ReportState.SENT
    )
    assert sends.count() == 1


def test_withdraw(cast, charlie):
    report = make_report(cast.informant)
    report_submit(actor=cast.informant, report=report, key="k")
    url = reverse("reports:withdraw", args=[report.pk])
    assert login(charlie).post(url).status_code == 404
    assert login(cast.signer).post(url).status_code == 403
    login(cast.informant).post(url)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_escalate_button_only_when_due_and_reason_required(cast, charlie, settings):
    report = make_report(cast.informant)
    report_submit(actor=cast.informant, report=report, key="k")
    c = login(cast.informant)
    detail = reverse("reports:detail", args=[report.pk])
    assert "越级报送" not in c.get(detail).content.decode()
    Report.objects.filter(pk=report.pk).update(
        pending_since=timezone.now() - timedelta(hours=settings.SIGNOFF_ESCALATE_HOURS + 1)
    )
    assert "越级报送" in c.get(detail).content.decode()
    url = reverse("reports:escalate", args=[report.pk])
    assert login(charlie).post(url, {"reason": "急"}).status_code == 404
    assert login(cast.signer).post(url, {"reason": "急"}).status_code == 403
    resp = c.post(url, {"reason": ""}, follow=True)
    assert "请说明越级报送的理由" in resp.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.PENDING_SIGNOFF
    c.post(url, {"reason": "审签人出差，群众诉求紧迫"})
    report.refresh_from_db()
    assert report.state == ReportState.SENT and report.escalations.count() == 1
    html = c.get(detail).content.decode()
    assert "审签人出差" in html and "越级报送" in html


# --- sign-off -----------------------------------------------------------------------------------------------------


def test_signoff_queue_and_actions(cast, charlie):
    report = make_report(cast.informant)
    report_submit(actor=cast.informant, report=report, key="k")
    queue = login(cast.signer).get(reverse("reports:signoff_queue"))
    assert queue.status_code == 200 and report.title in queue.content.decode()
    assert login(cast.informant).get(reverse("reports:signoff_queue")).status_code == 403
    other = login(charlie).get(reverse("reports:signoff_queue"))
    assert other.status_code == 200 and report.title not in other.content.decode()

    url = reverse("reports:signoff", args=[report.pk])
    assert login(charlie).post(url, {"decision": "approve"}).status_code == 404
    assert login(cast.informant).post(url, {"decision": "approve"}).status_code == 403
    resp = login(cast.signer).post(url, {"decision": "refuse", "reason": ""}, follow=True)
    assert "不同意报送时必须填写理由" in resp.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.PENDING_SIGNOFF and not SignOff.objects.exists()
    next_url = reverse("reports:signoff_queue")
    resp = login(cast.signer).post(url, {"decision": "refuse", "reason": "数据未经核实", "next": next_url})
    assert resp["Location"] == next_url
    report.refresh_from_db()
    assert report.state == ReportState.SIGNOFF_REFUSED
    html = login(cast.informant).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "数据未经核实" in html and "不同意报送" in html


def test_emergency_item_waits_for_after_the_fact_signoff_in_the_queue(cast):
    report = make_report(cast.informant, report_type=ReportType.EMERGENCY)
    report_submit(actor=cast.informant, report=report, key="k")
    c = login(cast.signer)
    assert report.title in c.get(reverse("reports:signoff_queue")).content.decode()
    c.post(reverse("reports:signoff", args=[report.pk]), {"decision": "approve"})
    assert c.get(reverse("reports:signoff_queue")).context["page"].paginator.count == 0
    assert SignOff.objects.get(report=report).after_send


# --- detail, diff, lineage ----------------------------------------------------------------------------------------


def test_detail_shows_offices_return_comment_and_restricted_read_is_audited(cast, unit_admin, charlie):
    report = sent(cast, report_type=ReportType.PROBLEM)
    sub = report.submissions.get(office=cast.county_editor.unit)
    submission_return(actor=cast.county_editor, submission=sub, comment="请补充具体数字")
    url = reverse("reports:detail", args=[report.pk])
    html = login(cast.informant).get(url).content.decode()
    assert "请补充具体数字" in html and "退回修改" in html and "内参" in html and "张天宇" in html
    assert AuditEvent.objects.filter(event_type=EventType.RESTRICTED_READ, object_id=str(report.pk)).exists()
    assert login(cast.colleague).get(url).status_code == 404  # restricted: not the rest of the unit
    assert login(unit_admin).get(url).status_code == 404
    assert login(charlie).get(url).status_code == 404
    # The returned item is the informant's to revise and resubmit.
    assert "修改后重新报送" in html


def test_body_tables_pasted_as_text_render_as_a_table(cast):
    report = make_report(
        cast.informant, body=BODY + "\n乡镇\t隐患数\n城关镇\t23\n白沙镇\t11\n以上为排查情况。"
    )
    html = login(cast.informant).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "<table" in html and '<th scope="col">隐患数</th>' in html and "<td>23</td>" in html


def test_diff_between_two_revisions(cast, charlie):
    report = make_report(cast.informant)
    report_update(
        actor=cast.informant,
        report=report,
        title=report.title,
        body=BODY.replace("40余人", "四十余人"),
        base_version=1,
    )
    url = reverse("reports:diff", args=[report.pk])
    resp = login(cast.informant).get(url, {"a": 1, "b": 2})
    html = resp.content.decode()
    assert resp.status_code == 200 and "<ins" in html and "<del" in html and "改动比例" in html
    bad = login(cast.informant).get(url, {"a": 1, "b": 9})
    assert "没有这个版本" in bad.content.decode()
    assert login(cast.colleague).get(url).status_code == 404
    assert login(charlie).get(url, {"a": 1, "b": 2}).status_code == 404


def test_informant_sees_adoptions_and_lineage_to_the_city(cast, world, charlie):
    report = sent(cast)
    county_sub = report.submissions.get(office=world.county_party_office)
    report_update(
        actor=cast.county_editor,
        report=report,
        title=report.title,
        body=BODY.replace("40余人", "四十余人"),
        base_version=report.version,
        reason="规范数字",
    )
    submission_adopt(actor=cast.county_editor, submission=county_sub)
    forwarded = report_forward(actor=cast.county_editor, report=report)
    report_update(
        actor=cast.city_editor,
        report=forwarded,
        title="安平县冬季安全隐患排查整治见成效",
        body=forwarded.body,
        base_version=forwarded.version,
    )
    submission_adopt(
        actor=cast.city_editor, submission=forwarded.submissions.get(office=world.city_party_office)
    )

    c = login(cast.informant)
    html = c.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "中共安平县委办公室" in html and "中共江州市委办公室" in html and "转报稿" in html
    resp = c.get(reverse("reports:lineage", args=[report.pk]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert html.count("较上一层级改动") == 2 and "<ins" in html and "城关镇" in html
    assert login(charlie).get(reverse("reports:lineage", args=[report.pk])).status_code == 404
    assert login(cast.sibling_informant).get(reverse("reports:lineage", args=[report.pk])).status_code == 404


# --- attachments --------------------------------------------------------------------------------------------------


def test_attachment_download_and_remove(cast, charlie):
    c = login(cast.informant)
    c.post(reverse("reports:new"), {**form_data(), "attachments": [SimpleUploadedFile("现场.png", PNG)]})
    attachment = Attachment.objects.get()
    url = reverse("reports:attachment", args=[attachment.pk])
    resp = c.get(url)
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == PNG
    assert "attachment" in resp["Content-Disposition"]
    assert login(cast.colleague).get(url).status_code == 404
    assert login(charlie).get(url).status_code == 404
    remove = reverse("reports:attachment_remove", args=[attachment.pk])
    assert login(charlie).post(remove).status_code == 404
    c.post(remove)
    assert not Attachment.objects.exists()


def test_attachment_of_a_sent_item_cannot_be_removed(cast):
    c = login(cast.informant)
    c.post(
        reverse("reports:new"),
        {
            **form_data(report_type=ReportType.EMERGENCY, action="submit"),
            "attachments": [SimpleUploadedFile("a.png", PNG)],
        },
    )
    attachment = Attachment.objects.get()
    resp = c.post(reverse("reports:attachment_remove", args=[attachment.pk]))
    assert resp.status_code == 403
    assert Attachment.objects.exists()


# --- 待办 -----------------------------------------------------------------------------------------------------------


def test_todos_for_signer_and_informant(cast):
    report = make_report(cast.informant)
    report_submit(actor=cast.informant, report=report, key="k")
    assert any("1条信息等待您审签" in t.title for t in todos_for(cast.signer))
    assert not any("审签" in t.title for t in todos_for(cast.colleague))
    report_signoff(actor=cast.signer, report=report, approve=False, reason="不宜报送")
    assert any("审签未通过" in t.title for t in todos_for(cast.informant))
    other = sent(cast, title="第二条")
    sub = other.submissions.get(office=cast.county_editor.unit)
    submission_return(actor=cast.county_editor, submission=sub, comment="补充")
    titles = [t.title for t in todos_for(cast.informant)]
    assert any("被退回修改" in t for t in titles)
    html = login(cast.informant).get(reverse("reports:mine"), {"state": "returned"}).content.decode()
    assert "第二条" in html and "冬季安全隐患大排查" not in html


# --- in a browser -------------------------------------------------------------------------------------------------


@pytest.fixture
def browser_cast(transactional_db):
    from xinbao.orgs.tests.factories import build_world

    return make_cast(build_world())


def _log_in(page, user) -> None:
    from xinbao.accounts.tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.mark.browser
def test_informant_drafts_and_submits_signer_refuses_with_reason(browser_cast, page):
    from playwright.sync_api import expect

    from xinbao.common.tests.browser import save_screenshot

    cast = browser_cast
    _log_in(page, cast.informant)
    page.get_by_role("link", name="我的信息").first.click()
    page.get_by_role("link", name="起草信息").click()
    page.get_by_label("标题").fill("城关镇开展冬季安全隐患大排查")
    page.get_by_label("正文").fill(BODY + "\n乡镇\t隐患数\n城关镇\t23")
    page.get_by_label("信息类型").select_option(label="动态")
    page.get_by_label("主题词").fill("安全生产、冬季")
    save_screenshot(page, "reports_new")
    page.get_by_role("button", name="保存并报送").click()
    expect(page.get_by_text("已提交本单位审签人审签。")).to_be_visible()
    expect(page.locator("#report-title")).to_have_text("城关镇开展冬季安全隐患大排查")
    expect(page.locator("table").first).to_contain_text("隐患数")
    save_screenshot(page, "reports_detail")
    page.get_by_role("button", name="退出").click()

    _log_in(page, cast.signer)
    page.get_by_role("link", name=re.compile("等待您审签")).click()
    row = page.locator("#signoff-queue li", has_text="城关镇开展冬季安全隐患大排查")
    row.get_by_role("button", name="不同意").click()
    expect(page.get_by_text("不同意报送时必须填写理由")).to_be_visible()
    row = page.locator("#signoff-queue li", has_text="城关镇开展冬季安全隐患大排查")
    # The reason box is a textarea: Enter adds a line and never submits (which would approve).
    row.get_by_label("理由").fill("数据未经核实")
    row.get_by_label("理由").press("Enter")
    assert Report.objects.get().state == ReportState.PENDING_SIGNOFF
    save_screenshot(page, "reports_signoff_queue")
    row.get_by_role("button", name="不同意").click()
    expect(page.get_by_text("已不同意报送")).to_be_visible()
    assert Report.objects.get().state == ReportState.SIGNOFF_REFUSED
    page.get_by_role("button", name="退出").click()

    _log_in(page, cast.informant)
    page.get_by_role("link", name=re.compile("审签未通过")).click()
    page.get_by_role("link", name="城关镇开展冬季安全隐患大排查").click()
    expect(page.locator("#signoffs")).to_contain_text("数据未经核实")
    assert page.csp_violations == []


def test_item_page_shows_instructions_on_what_became_of_it(cast, world, charlie):
    """A 批示 recorded by the city office on the county's forwarded item reaches the township informant's page;
    the county editor may record one on the item itself; charlie (another county) cannot open the item."""
    from xinbao.followups.services.instructions import instruction_record

    report = sent(cast)
    submission_adopt(
        actor=cast.county_editor, submission=report.submissions.get(office=world.county_party_office)
    )
    forwarded = report_forward(actor=cast.county_editor, report=report)
    instruction_record(
        actor=cast.city_editor,
        report=forwarded,
        leader_name="刘建国",
        leader_title="市委书记",
        rank="city",
        text="此做法好，请市应急局总结推广。",
        instructed_on=timezone.localdate(),
    )
    html = login(cast.informant).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "此做法好，请市应急局总结推广。" in html and "刘建国" in html and "批示于《" in html
    assert reverse("followups:instruction_new", args=[report.pk]) not in html  # an informant does not record
    editor = login(cast.county_editor).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("followups:instruction_new", args=[report.pk]) in editor
    assert login(charlie).get(reverse("reports:detail", args=[report.pk])).status_code == 404
