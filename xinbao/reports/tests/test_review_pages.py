"""Receiving-office pages: inbox (filters, bulk actions, sign-off watch), review actions, forward, external adoption,
combine — permissions (alice may, bob reads only, charlie is refused) and refused input that changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xinbao.accounts.models import Role, User
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.reports.models import (
    Adoption,
    AdoptionCredit,
    AdoptionMode,
    Report,
    ReportOrigin,
    ReportType,
    Submission,
    SubmissionState,
)
from xinbao.reports.services import (
    report_signoff,
    report_submit,
    submission_adopt,
    submission_take_up,
)
from xinbao.reports.tests.factories import Cast, make_cast, make_report

pytestmark = pytest.mark.django_db

BAISHA_BODY = (
    "11月21日，白沙镇组织应急、消防力量在镇中心小学开展冬季消防疏散演练，全校师生620人参加，"
    "3分钟内全部安全撤离，现场讲解灭火器使用方法并发放安全手册800余份。"
)


@dataclass
class People:
    cast: Cast
    alice: User  # 安平县委办 编辑
    alice2: User  # another editor of 安平县委办 (the colleague who decides first)
    bob: User  # 安平县委办 领导: reads the inbox, does not act
    charlie: User  # 石桥县委办 编辑: another county
    baisha_informant: User
    baisha_signer: User


@pytest.fixture
def people(world):
    cast = make_cast(world)
    return People(
        cast=cast,
        alice=cast.county_editor,
        alice2=make_user(world.county_party_office, Role.EDITOR, username="xbj2", full_name="李晓燕"),
        bob=cast.county_leader,
        charlie=cast.other_editor,
        baisha_informant=cast.sibling_informant,
        baisha_signer=make_user(world.township2, Role.SIGNER, username="bssqr", full_name="孙立新"),
    )


def client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def sent(author: User, signer: User, world, **kwargs) -> Submission:
    """An item written, signed off and sent; returns its submission at 安平县委办."""
    report = make_report(author, **kwargs)
    report_submit(actor=author, report=report, key=f"k{report.pk}")
    report_signoff(actor=signer, report=report, approve=True)
    return report.submissions.get(office=world.county_party_office)


def chengguan(people: People, world, **kwargs) -> Submission:
    return sent(people.cast.informant, people.cast.signer, world, **kwargs)


def baisha(people: People, world, **kwargs) -> Submission:
    kwargs.setdefault("title", "白沙镇开展冬季消防疏散演练")
    kwargs.setdefault("body", BAISHA_BODY)
    return sent(people.baisha_informant, people.baisha_signer, world, **kwargs)


def text(response) -> str:
    return response.content.decode()


def flashed(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def state_of(submission: Submission) -> str:
    submission.refresh_from_db()
    return submission.state


# --- Inbox ---------------------------------------------------------------------------------------------------------


def test_inbox_permissions(world, people):
    sub = chengguan(people, world)
    url = reverse("reports:inbox")
    html = text(client(people.alice).get(url))
    assert sub.report.title in html and 'name="selected"' in html
    bob_page = client(people.bob).get(url)
    assert bob_page.status_code == 200
    assert sub.report.title in text(bob_page) and 'name="selected"' not in text(bob_page)
    charlie_page = client(people.charlie).get(url)
    assert charlie_page.status_code == 200 and sub.report.title not in text(charlie_page)
    refused = client(people.cast.informant).get(url)
    assert refused.status_code == 403 and "信息审核" in text(refused)


def test_restricted_items_are_not_in_the_leaders_inbox(world, people):
    sub = chengguan(people, world, title="城关镇部分村组冬季用电隐患较多", report_type=ReportType.PROBLEM)
    assert sub.report.is_restricted
    html = text(client(people.alice).get(reverse("reports:inbox")))
    assert sub.report.title in html and "内参" in html
    assert sub.report.title not in text(client(people.bob).get(reverse("reports:inbox")))
    assert client(people.bob).get(reverse("reports:review", args=[sub.pk])).status_code == 404
    # Reading a restricted item is audited (PRODUCT 4).
    before = AuditEvent.objects.filter(event_type=EventType.RESTRICTED_READ).count()
    assert client(people.alice).get(reverse("reports:review", args=[sub.pk])).status_code == 200
    assert AuditEvent.objects.filter(event_type=EventType.RESTRICTED_READ).count() == before + 1


def test_inbox_filters(world, people):
    a = chengguan(people, world)
    b = baisha(people, world, report_type=ReportType.EXPERIENCE)
    submission_adopt(actor=people.alice2, submission=a, mode=AdoptionMode.FULL)
    c = client(people.alice)
    url = reverse("reports:inbox")
    html = text(c.get(url))  # default: open items only
    assert b.report.title in html and a.report.title not in html
    html = text(c.get(url, {"state": "all"}))
    assert a.report.title in html and b.report.title in html
    html = text(c.get(url, {"state": "adopted"}))
    assert a.report.title in html and b.report.title not in html
    html = text(c.get(url, {"state": "all", "unit": "白沙"}))
    assert b.report.title in html and a.report.title not in html
    html = text(c.get(url, {"state": "all", "unit": str(world.township.pk)}))
    assert a.report.title in html and b.report.title not in html
    html = text(c.get(url, {"state": "all", "type": ReportType.EXPERIENCE}))
    assert b.report.title in html and a.report.title not in html
    html = text(c.get(url, {"state": "all", "q": "消防"}))
    assert b.report.title in html and a.report.title not in html
    today = timezone.localdate()
    html = text(c.get(url, {"state": "all", "date_from": str(today + timedelta(days=1))}))
    assert a.report.title not in html and b.report.title not in html
    html = text(c.get(url, {"date_from": str(today), "date_to": str(today - timedelta(days=1))}))
    assert "结束日期不能早于开始日期" in html


def test_inbox_filter_bar_follows_the_query_and_the_language(world, people):
    """The filter bar is a cached fragment (per language and query string): each query shows its own choices and
    errors, each language its own labels, and the export link carries the query."""
    c = client(people.alice)
    url = reverse("reports:inbox")
    chosen = text(c.get(url, {"type": ReportType.EXPERIENCE}))
    assert f'<option value="{ReportType.EXPERIENCE}" selected>' in chosen
    assert f"?type={ReportType.EXPERIENCE}" in chosen
    plain = text(c.get(url))
    assert (
        f'<option value="{ReportType.EXPERIENCE}">' in plain and " selected>" not in plain.split("</form>")[0]
    )
    again = text(c.get(url, {"type": ReportType.EXPERIENCE}))
    assert f'<option value="{ReportType.EXPERIENCE}" selected>' in again
    wrong = text(c.get(url, {"date_from": "2026-13-40"}))
    assert "invalid-feedback" in wrong and "invalid-feedback" not in plain
    c.cookies["django_language"] = "en"
    english = text(c.get(url))
    assert "全部类型" in plain and "全部类型" not in english


def test_inbox_filters_by_the_sending_units_monthly_quota(world, people, settings):
    # 城关镇 sends two items this month, 白沙镇 one; with a quota of two only 城关镇 has met it.
    settings.UNIT_MONTHLY_QUOTA = 2
    a1 = chengguan(people, world, title="城关镇冬季安全排查第一批")
    a2 = chengguan(people, world, title="城关镇冬季安全排查第二批")
    b = baisha(people, world)
    c = client(people.alice)
    url = reverse("reports:inbox")
    html = text(c.get(url, {"quota": "below"}))
    assert b.report.title in html and a1.report.title not in html and a2.report.title not in html
    html = text(c.get(url, {"quota": "met"}))
    assert a1.report.title in html and a2.report.title in html and b.report.title not in html
    assert "本月未完成报送任务的单位" in text(c.get(url))
    html = text(c.get(url, {"quota": "most"}))
    assert "选择一个有效的选项" in html and b.report.title in html  # a bad value is named and ignored


def test_inbox_marks_emergency_sign_off_after_sending(world, people):
    report = make_report(
        people.cast.informant, title="城关镇发生一起货车侧翻事故", report_type=ReportType.EMERGENCY
    )
    report_submit(actor=people.cast.informant, report=report, key="e1")
    html = text(client(people.alice).get(reverse("reports:inbox")))
    assert report.title in html and "事后审签" in html and "紧急" in html


def test_inbox_rows_escape_what_people_wrote(world, people):
    """The rows are built in Python (inbox_rows.py), not by the template's autoescaping."""
    chengguan(people, world, title='<script>alert("x")</script>城关镇&村')
    html = text(client(people.alice).get(reverse("reports:inbox")))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;城关镇&amp;村</a>" in html
    assert 'aria-label="选择《&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;城关镇&amp;村》"' in html


def test_bulk_adopt_reports_rows_decided_by_someone_else(world, people):
    subs = [chengguan(people, world, title=f"城关镇冬季安全排查第{n}批") for n in range(3)]
    subs.append(baisha(people, world))
    submission_adopt(actor=people.alice2, submission=subs[0], mode=AdoptionMode.PARTIAL)
    response = client(people.alice).post(
        reverse("reports:inbox"),
        {"action": "adopt", "selected": [s.pk for s in subs], "back": "state=all"},
    )
    assert response.status_code == 302 and response.url.endswith("?state=all")
    assert "3条已采用，1条已被他人处理" in flashed(response)
    assert [state_of(s) for s in subs] == [SubmissionState.ADOPTED] * 4
    first = Adoption.objects.get(report=subs[0].report, office=world.county_party_office)
    assert first.mode == AdoptionMode.PARTIAL and first.recorded_by == people.alice2  # untouched
    assert Adoption.objects.filter(office=world.county_party_office).count() == 4


def test_bulk_take_up_and_not_adopt(world, people):
    a, b = chengguan(people, world), baisha(people, world)
    c = client(people.alice)
    response = c.post(reverse("reports:inbox"), {"action": "take_up", "selected": [a.pk, b.pk]})
    assert "2条已受理" in flashed(response)
    assert state_of(a) == state_of(b) == SubmissionState.UNDER_REVIEW
    response = c.post(reverse("reports:inbox"), {"action": "not_adopt", "selected": [b.pk]})
    assert "1条已不采用（存档）" in flashed(response)
    assert state_of(b) == SubmissionState.NOT_ADOPTED


def test_bulk_refusals(world, people):
    sub = chengguan(people, world)
    url = reverse("reports:inbox")
    assert client(people.bob).post(url, {"action": "adopt", "selected": [sub.pk]}).status_code == 403
    response = client(people.charlie).post(url, {"action": "adopt", "selected": [sub.pk]})
    assert "1条不存在或无权处理" in flashed(response)
    response = client(people.alice).post(url, {"action": "adopt"})
    assert "请先勾选要处理的信息" in flashed(response)
    response = client(people.alice).post(url, {"action": "delete", "selected": [sub.pk]})
    assert "请选择要执行的操作" in flashed(response)
    assert state_of(sub) == SubmissionState.SUBMITTED and not Adoption.objects.exists()


def test_signoff_watch_shows_refusals_with_their_reason(world, people):
    refused = make_report(people.cast.informant, title="城关镇群众反映取暖补贴发放慢")
    report_submit(actor=people.cast.informant, report=refused, key="r1")
    report_signoff(actor=people.cast.signer, report=refused, approve=False, reason="数据尚未核实，暂缓上报")
    pending = make_report(people.baisha_informant, title="白沙镇冬修水利进展", body=BAISHA_BODY)
    report_submit(actor=people.baisha_informant, report=pending, key="p1")
    url = reverse("reports:inbox") + "?tab=signoff"
    html = text(client(people.alice).get(url))
    assert refused.title in html and "数据尚未核实，暂缓上报" in html and pending.title in html
    html = text(client(people.alice).get(url + "&state=pending_signoff"))
    assert pending.title in html and refused.title not in html
    # Leaders read only what has been sent (the selector's rule); the list itself is open to them.
    assert client(people.bob).get(url).status_code == 200
    charlie_html = text(client(people.charlie).get(url))
    assert refused.title not in charlie_html and pending.title not in charlie_html


# --- Review page ---------------------------------------------------------------------------------------------------


def test_review_page_permissions(world, people):
    sub = chengguan(people, world)
    url = reverse("reports:review", args=[sub.pk])
    html = text(client(people.alice).get(url))
    assert sub.report.body[:20] in html and 'id="adopt-form"' in html and "安平县人民政府办公室" in html
    assert reverse("reports:edit", args=[sub.report.pk]) in html
    assert reverse("reports:forward", args=[sub.report.pk]) in html
    bob_page = client(people.bob).get(url)
    assert bob_page.status_code == 200 and 'id="adopt-form"' not in text(bob_page)
    for action in ("take_up", "adopt", "return", "not_adopt"):
        data = {"action": action, "ret-comment": "请补充数据", "adopt-mode": "full"}
        assert client(people.bob).post(url, data).status_code == 403
    assert client(people.charlie).get(url).status_code == 404
    assert client(people.charlie).post(url, {"action": "take_up"}).status_code == 404
    assert state_of(sub) == SubmissionState.SUBMITTED


def test_review_take_up_and_return(world, people):
    sub = chengguan(people, world)
    url = reverse("reports:review", args=[sub.pk])
    c = client(people.alice)
    response = c.post(url, {"action": "take_up"})
    assert response.status_code == 302 and state_of(sub) == SubmissionState.UNDER_REVIEW
    response = c.post(url, {"action": "take_up"}, follow=True)
    assert "这条信息已在审核中或已处理" in text(response)
    response = c.post(url, {"action": "return", "ret-comment": "   "})
    assert response.status_code == 200 and "退回时必须填写修改意见" in text(response)
    assert state_of(sub) == SubmissionState.UNDER_REVIEW
    c.post(url, {"action": "return", "ret-comment": "请补充整改成效的具体数据"})
    assert state_of(sub) == SubmissionState.RETURNED and sub.comment == "请补充整改成效的具体数据"
    html = text(c.get(url))  # with the author now: no more decisions, no edit, no forward
    assert 'id="adopt-form"' not in html and "本单位已处理（退回修改）" in html
    assert reverse("reports:forward", args=[sub.report.pk]) not in html


def test_review_adopt_and_not_adopt(world, people):
    a, b = chengguan(people, world), baisha(people, world)
    c = client(people.alice)
    url = reverse("reports:review", args=[a.pk])
    response = c.post(url, {"action": "adopt", "adopt-mode": "combined"})
    assert "请选择全文采用或部分采用" in text(response) and not Adoption.objects.exists()
    c.post(
        url,
        {
            "action": "adopt",
            "adopt-mode": "partial",
            "adopt-publication": "《安平信息》",
            "adopt-issue_label": "2026年第45期",
        },
    )
    adoption = Adoption.objects.get(report=a.report)
    assert adoption.mode == AdoptionMode.PARTIAL and adoption.issue_label == "2026年第45期"
    assert AdoptionCredit.objects.filter(adoption=adoption, unit=world.township).exists()
    c.post(reverse("reports:review", args=[b.pk]), {"action": "not_adopt", "na-comment": ""})
    assert state_of(b) == SubmissionState.NOT_ADOPTED


def test_review_conflict_shows_current_state_and_changes_nothing(world, people):
    sub = chengguan(people, world)
    url = reverse("reports:review", args=[sub.pk])
    c = client(people.alice)
    assert c.get(url).status_code == 200  # alice opens the page...
    submission_adopt(actor=people.alice2, submission=sub, mode=AdoptionMode.FULL)  # ...her colleague adopts
    response = c.post(url, {"action": "not_adopt", "na-comment": "重复"}, follow=True)
    html = text(response)
    assert "已被处理（已采用）" in html and "李晓燕" in html
    assert state_of(sub) == SubmissionState.ADOPTED and sub.reviewer == people.alice2 and sub.comment == ""
    response = c.post(url, {"action": "return", "ret-comment": "请修改"}, follow=True)
    assert "已被处理" in text(response) and state_of(sub) == SubmissionState.ADOPTED


# --- Forward -------------------------------------------------------------------------------------------------------


def test_forward_defaults_to_the_main_channel_and_refuses_other_targets(world, people):
    sub = chengguan(people, world)
    submission_adopt(actor=people.alice, submission=sub, mode=AdoptionMode.FULL)
    url = reverse("reports:forward", args=[sub.report.pk])
    c = client(people.alice)
    html = text(c.get(url))
    assert "中共江州市委办公室" in html and "江州市人民政府办公室" in html and "checked" in html
    count = Report.objects.count()
    response = c.post(
        url, {"targets": [world.province_party_office.pk], "title": "x", "body": sub.report.body}
    )
    assert "转报目标必须是上一级的接收单位" in text(response) and Report.objects.count() == count
    response = c.post(url, {"targets": [world.city_party_office.pk], "title": "", "body": sub.report.body})
    assert "标题不能为空" in text(response) and Report.objects.count() == count
    response = c.post(
        url,
        {
            "targets": [world.city_party_office.pk],
            "title": "安平县城关镇冬季安全隐患排查整治见成效",
            "body": sub.report.body,
            "reason": "改标题",
        },
    )
    forwarded = Report.objects.get(origin=ReportOrigin.FORWARDED)
    assert response.status_code == 302 and response.url == reverse("reports:detail", args=[forwarded.pk])
    assert forwarded.unit == world.county_party_office and forwarded.title.startswith("安平县城关镇")
    assert list(forwarded.submissions.values_list("office_id", flat=True)) == [world.city_party_office.pk]
    assert "已转报过" in text(c.get(url))
    response = c.post(url, {"targets": [world.city_party_office.pk], "title": "再报", "body": "再报"})
    assert "已转报过这条信息" in text(response) and Report.objects.count() == count + 1


def test_forward_permissions(world, people):
    sub = chengguan(people, world)
    url = reverse("reports:forward", args=[sub.report.pk])
    data = {"targets": [world.city_party_office.pk], "title": sub.report.title, "body": sub.report.body}
    assert client(people.bob).get(url).status_code == 403
    assert client(people.bob).post(url, data).status_code == 403
    assert client(people.charlie).get(url).status_code == 404
    assert client(people.charlie).post(url, data).status_code == 404
    assert not Report.objects.filter(origin=ReportOrigin.FORWARDED).exists()


# --- External adoption ---------------------------------------------------------------------------------------------


def test_external_adoption(world, people):
    sub = chengguan(people, world)
    url = reverse("reports:external_adoption", args=[sub.report.pk])
    c = client(people.alice)
    good = {
        "level": "province",
        "publication": "《明江信息》",
        "issue_label": "第88期",
        "adopted_on": str(timezone.localdate()),
        "mode": "partial",
    }
    response = c.post(url, good | {"adopted_on": str(timezone.localdate() + timedelta(days=1))})
    assert "采用日期不能晚于今天" in text(response)
    response = c.post(url, good | {"mode": "whatever"})
    assert "采用方式无效" in text(response)
    response = c.post(url, good | {"publication": ""})
    assert "请填写采用的刊物名称" in text(response)
    response = c.post(url, good | {"level": "township"})  # below the county office: not its to record
    assert "请选择采用层级" in text(response)
    assert not Adoption.objects.exists()
    response = c.post(url, good)
    assert response.status_code == 302 and response.url == reverse("reports:review", args=[sub.pk])
    adoption = Adoption.objects.get(external=True)
    assert adoption.level == "province" and adoption.publication == "《明江信息》"
    assert AdoptionCredit.objects.filter(adoption=adoption, unit=world.township).exists()
    assert client(people.bob).get(url).status_code == 403
    assert client(people.bob).post(url, good).status_code == 403
    assert client(people.charlie).post(url, good).status_code == 404
    assert Adoption.objects.count() == 1


# --- Combine -------------------------------------------------------------------------------------------------------


def test_combine_prefills_source_lines_and_creates_the_combined_item(world, people):
    a, b = chengguan(people, world), baisha(people, world)
    url = reverse("reports:combine")
    c = client(people.alice)
    html = text(c.get(url, {"selected": [a.pk, b.pk]}))
    assert (
        "（城关镇报送）" in html and "（白沙镇报送）" in html and "关于城关镇、白沙镇报送情况的综合" in html
    )
    assert 'value="analysis" selected' in html
    count = Report.objects.count()
    response = c.post(
        url, {"selected": [a.pk], "title": "综合", "body": "正文" * 30, "report_type": "analysis"}
    )
    assert "请至少选择两条信息进行综合" in text(response) and Report.objects.count() == count
    assert state_of(a) == SubmissionState.SUBMITTED
    response = c.post(
        url,
        {
            "selected": [a.pk, b.pk],
            "title": "安平县各乡镇扎实做好冬季安全工作",
            "body": a.report.body + "\n\n" + b.report.body,
            "report_type": "analysis",
        },
    )
    combined = Report.objects.get(origin=ReportOrigin.COMBINED)
    assert response.status_code == 302 and response.url.endswith(f"?made={combined.pk}")
    assert state_of(a) == state_of(b) == SubmissionState.MERGED
    assert set(
        AdoptionCredit.objects.filter(adoption__report=combined).values_list("unit_id", flat=True)
    ) == {
        world.township.pk,
        world.township2.pk,
    }
    html = text(c.get(response.url))
    assert combined.title in html and reverse("reports:forward", args=[combined.pk]) in html
    # The office's own 综合 item goes up as it stands.
    forward_url = reverse("reports:forward", args=[combined.pk])
    assert 'name="title"' not in text(c.get(forward_url))
    response = c.post(forward_url, {"targets": [world.city_party_office.pk], "reason": "综合上报"})
    assert response.status_code == 302
    assert combined.submissions.filter(office=world.city_party_office).exists()


def test_combine_refusals(world, people):
    a, b = chengguan(people, world), baisha(people, world)
    url = reverse("reports:combine")
    response = client(people.alice).get(url, {"selected": [a.pk]})
    assert response.status_code == 302 and "请至少勾选两条" in flashed(response)
    submission_take_up(actor=people.alice2, submission=b)
    submission_adopt(actor=people.alice2, submission=b, mode=AdoptionMode.FULL)
    data = {"selected": [a.pk, b.pk], "title": "综合信息", "body": BAISHA_BODY, "report_type": "analysis"}
    response = client(people.alice).post(url, data)
    assert "已被处理，不能综合" in text(response)
    data_charlie = data | {"selected": [a.pk, b.pk]}
    assert client(people.charlie).post(url, data_charlie).status_code == 200
    assert "不存在或无权处理" in text(client(people.charlie).post(url, data_charlie))
    assert client(people.bob).get(url, {"selected": [a.pk, b.pk]}).status_code == 403
    assert client(people.bob).post(url, data).status_code == 403
    assert not Report.objects.filter(origin=ReportOrigin.COMBINED).exists()
    assert state_of(a) == SubmissionState.SUBMITTED


# --- In the browser ------------------------------------------------------------------------------------------------


@pytest.fixture
def browser_scene(transactional_db):
    from xinbao.orgs.tests.factories import build_world

    world = build_world()
    cast = make_cast(world)
    baisha_signer = make_user(world.township2, Role.SIGNER, username="bssqr", full_name="孙立新")
    subs = [
        sent(cast.informant, cast.signer, world, title="城关镇开展冬季安全隐患大排查"),
        sent(
            cast.sibling_informant, baisha_signer, world, title="白沙镇开展冬季消防疏散演练", body=BAISHA_BODY
        ),
        sent(cast.informant, cast.signer, world, title="城关镇冬季供暖保障有力", body=BAISHA_BODY),
    ]
    return world, cast, subs


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_bulk_adopts_and_returns_one_in_the_browser(browser_scene, page):
    from playwright.sync_api import expect

    from xinbao.accounts.tests.factories import PASSWORD
    from xinbao.common.tests.browser import save_screenshot

    _world, cast, subs = browser_scene
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(cast.county_editor.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto("/reports/inbox/")
    expect(page.get_by_role("link", name="城关镇开展冬季安全隐患大排查")).to_be_visible()
    save_screenshot(page, "reports-inbox")

    # Tick two rows with the keyboard and adopt them in one go.
    page.get_by_label("选择《城关镇开展冬季安全隐患大排查》").focus()
    page.keyboard.press("Space")
    page.get_by_label("选择《白沙镇开展冬季消防疏散演练》").check()
    page.get_by_role("button", name="全文采用").click()
    expect(page.get_by_text("2条已采用")).to_be_visible()
    expect(page.get_by_role("link", name="城关镇开展冬季安全隐患大排查")).to_have_count(0)

    # Open the third, return it with a comment.
    page.get_by_role("link", name="城关镇冬季供暖保障有力").click()
    expect(page.get_by_role("heading", name="城关镇冬季供暖保障有力")).to_be_visible()
    save_screenshot(page, "reports-review")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_text("退回时必须填写修改意见")).to_be_visible()
    page.get_by_label("修改意见").fill("请补充供暖面积和受益户数")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_text("已退回修改，起草人会收到通知")).to_be_visible()
    expect(page.locator("#current-state")).to_contain_text("退回修改")
    assert page.csp_violations == []
    assert [state_of(s) for s in subs] == [
        SubmissionState.ADOPTED,
        SubmissionState.ADOPTED,
        SubmissionState.RETURNED,
    ]
