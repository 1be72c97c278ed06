"""End to end in Chromium (issue 2): a unit admin logs in in Chinese, opens the unit tree, expands it to his unit,
opens the registry, registers a new informant and finds the entry in the history — with the keyboard where a
person would use it, at 1366×768."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import PASSWORD, make_user
from xinbao.common.tests.browser import save_screenshot
from xinbao.orgs.models import InformantChange, InformantRecord
from xinbao.orgs.tests.factories import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db):
    world = build_world()
    admin = make_user(world.township, Role.UNIT_ADMIN, username="chengguan_admin", full_name="李卫东")
    clerk = make_user(world.township, username="wangxm", full_name="王小明", title="党政办干事")
    make_user(world.other_township, username="longtan", full_name="石小桥")
    return world, admin, clerk


def test_unit_admin_registers_an_informant(scene, page, live_server):
    from playwright.sync_api import expect

    world, admin, clerk = scene

    # Log in through the Chinese login form.
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_label("用户名").fill(admin.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="待办事项")).to_be_visible()
    expect(page.get_by_text("本单位尚无在册专职信息员，请办理信息员备案")).to_be_visible()

    # The stylesheets are served (whitenoise finders): the brand bar is 公文 red, Bootstrap lays out the navbar.
    navbar = page.locator("nav.navbar")
    assert navbar.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(180, 0, 0)"
    assert navbar.evaluate("el => getComputedStyle(el).display") == "flex"

    # Unit tree: the chain down to the county is shown, the county opens on demand (Tab to it, Enter to open).
    page.get_by_role("link", name="组织机构").click()
    expect(page.get_by_role("heading", name="组织机构")).to_be_visible()
    toggle = page.get_by_role("button", name="安平县的下级单位")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="安平县城关镇")).to_have_count(0)
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    unit_link = page.locator(".tree").get_by_role("link", name="安平县城关镇")
    expect(unit_link).to_be_visible()
    expect(page.locator(f'li[data-unit="{world.township.pk}"]')).to_contain_text("本单位")
    expect(page.locator(".tree")).not_to_contain_text("石桥县")
    # Enter again folds it away; once more shows it without another request.
    page.keyboard.press("Enter")
    expect(unit_link).to_be_hidden()
    page.keyboard.press("Enter")
    expect(unit_link).to_be_visible()
    save_screenshot(page, "orgs_tree")

    # The search box finds the unit with its path.
    page.get_by_label("查找单位").fill("城关")
    results = page.locator("#tree-search-results")
    expect(results).to_contain_text("明江省 › 江州市 › 安平县")

    unit_link.click()
    expect(page.get_by_role("heading", name=re.compile("安平县城关镇"))).to_be_visible()
    expect(page.locator("#current-informants")).to_contain_text("该单位尚无在册信息员")
    save_screenshot(page, "orgs_unit")

    # The registry lists the unit as never having had a 专职信息员; register one from there.
    page.get_by_role("link", name="信息员备案").first.click()
    gap_row = page.locator("#gap-units tr", has_text="安平县城关镇")
    expect(gap_row).to_contain_text("从未备案")
    save_screenshot(page, "orgs_registry")
    gap_row.get_by_role("link", name="备案").click()
    expect(page.get_by_role("heading", name=re.compile("信息员备案"))).to_be_visible()

    # A missing reason is refused in Chinese and nothing is filed.
    page.get_by_label("人员").select_option(label="王小明（wangxm） 党政办干事")
    page.get_by_role("button", name="备案").click()
    expect(page.get_by_text("请填写事由")).to_be_visible()
    save_screenshot(page, "orgs_register_refused")
    assert not InformantRecord.objects.exists()

    page.get_by_label("专职").check()
    page.get_by_label("备案日期").fill(timezone.localdate().isoformat())
    page.get_by_label("备案事由").fill("新任命为专职信息员")
    page.get_by_role("button", name="备案").click()

    # The history shows the filed entry: date, action, person, reason and who filed it.
    expect(page.get_by_text("已将王小明备案为安平县城关镇专职信息员。")).to_be_visible()
    row = page.locator("#history-table tbody tr").first
    today = timezone.localdate()
    expect(row).to_contain_text(f"{today.year}年{today.month}月{today.day}日")
    for text in ("备案", "王小明", "专职", "新任命为专职信息员", "李卫东"):
        expect(row).to_contain_text(text)
    save_screenshot(page, "orgs_history")

    record = InformantRecord.objects.get()
    assert (record.person, record.unit, record.filed_by) == (clerk, world.township, admin)
    assert InformantChange.objects.filter(record=record, action="register").count() == 1
    assert page.csp_violations == []
