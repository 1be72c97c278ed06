"""The duty room's path in the browser (issue 5): alice takes a call on the duty board, the incident starts its
clocks, the township informant writes the 首报 on the incident page, and the board shows the 首报 and counts down
to the next 续报 (red when overdue)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinbao.emergencies.tests.factories import BODY

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db):
    from xinbao.emergencies.tests.factories import make_cast
    from xinbao.orgs.tests.factories import build_world

    world = build_world()
    return world, make_cast(world)


def log_in(page, user) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from xinbao.accounts.tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("#main form").get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_phone_report_then_first_report_on_the_duty_board(scene, page, browser, live_server):
    from playwright.sync_api import expect

    from xinbao.common.tests.browser import VIEWPORT, save_screenshot
    from xinbao.emergencies.models import Deadline, Incident

    _world, cast = scene
    log_in(page, cast.alice)
    page.goto("/emergencies/")
    expect(page.get_by_role("heading", name="值班看板")).to_be_visible()
    expect(page.locator("#open-incidents")).to_contain_text("当前没有处置中的突发事件")
    now = timezone.now()
    form = page.locator("#phone-form")
    form.get_by_label("责任单位").select_option(label="安平县城关镇")
    form.get_by_label("事件名称").fill("城关镇南街居民楼火灾")
    form.get_by_label("事件类别").select_option(label="事故灾难")
    form.get_by_label("事件等级").select_option(label="较大")
    form.get_by_label("发生时间").fill(local(now - timedelta(minutes=20)))
    form.get_by_label("获悉时间").fill(local(now - timedelta(minutes=10)))
    form.get_by_label("发生地点").fill("安平县城关镇南街23号")
    form.get_by_label("简要情况").fill("居民楼三层起火，2人被困，消防已到场。")
    form.get_by_label("被困").fill("2")
    form.get_by_label("来电时间").fill(local(now))
    form.get_by_label("报告人").fill("何海波")
    form.get_by_label("联系电话").fill("0731-5521234")
    form.get_by_label("报告内容").fill("南街居民楼起火，已报119。")
    form.get_by_role("button", name="登记并开始计时").click()
    expect(page.locator("#incident-title")).to_have_text("城关镇南街居民楼火灾")
    expect(page.locator("#report-log")).to_contain_text("何海波")
    expect(page.locator("#deadlines")).to_contain_text("书面首报")
    incident = Incident.objects.get()

    # The township informant writes the 首报 in his own browser.
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    informant = context.new_page()
    try:
        log_in(informant, cast.informant)
        informant.goto(f"/emergencies/incidents/{incident.pk}/")
        write = informant.locator("#write-form")
        expect(write.get_by_label("报告类别")).to_have_value("first")
        write.get_by_label("报告正文").fill(BODY)
        write.get_by_label("受伤").fill("1")
        write.get_by_role("button", name="立即报送").click()
        expect(informant.locator("#report-log")).to_contain_text("【首报】城关镇南街居民楼火灾")
        expect(informant.locator("#casualties")).to_contain_text("受伤1人")
    finally:
        context.close()

    # Back on the board: the 首报 is there and the next 续报 counts down, updated by the page itself.
    page.goto("/emergencies/")
    row = page.locator("#open-incidents tr", has_text="城关镇南街居民楼火灾")
    expect(row).to_contain_text("首报")
    expect(row).to_contain_text("续报")
    countdown = row.locator(".countdown")
    expect(countdown).to_contain_text("剩余")
    first_text = countdown.text_content()
    page.wait_for_timeout(1500)
    assert countdown.text_content() != first_text  # ticks every second
    expect(page.locator("#recent-reports")).to_contain_text("【首报】")
    save_screenshot(page, "emergencies-board")

    # A deadline passes: the row turns red without a reload (the htmx poll and the client clock).
    Deadline.objects.filter(incident=incident, state="open").update(
        due_at=timezone.now() + timedelta(seconds=2)
    )
    page.goto("/emergencies/")
    expect(page.locator("#open-incidents .countdown-overdue")).to_be_visible(timeout=8_000)
    expect(page.locator("#open-incidents .countdown")).to_contain_text("已逾期")

    # Another call is registered elsewhere (the API, a colleague's screen): the open board shows it by itself,
    # through its own poll, without anyone reloading the page.
    from xinbao.emergencies.tests.factories import register

    register(cast, _world, grade="major", title="城关镇北街燃气泄漏")
    expect(page.locator("#open-incidents")).to_contain_text("城关镇北街燃气泄漏", timeout=25_000)
    assert page.csp_violations == []
