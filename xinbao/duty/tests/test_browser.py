"""A duty officer opens the roster, sees the night without 带班领导 in the gap list, adds a leader to that cell in
the page (htmx) and sees the gap disappear; a wrong phone number is refused in place."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinbao.common.tests.browser import save_screenshot
from xinbao.duty.models import DutyRole, RosterEntry
from xinbao.duty.tests.factories import fill

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db):
    from xinbao.duty.tests.factories import make_cast
    from xinbao.orgs.tests.factories import build_world

    world = build_world()
    return make_cast(world)


def log_in(page, user) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from xinbao.accounts.tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("#main form").get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()


def test_adding_the_missing_leader_closes_the_gap(page, scene):
    from playwright.sync_api import expect

    today = timezone.localdate()
    night = today + timedelta(days=3)
    fill(scene.office, today - timedelta(days=1), 33, staff=2, skip={(night, "夜班", DutyRole.LEADER)})
    log_in(page, scene.alice)
    page.goto(f"/duty/?day={night.isoformat()}")
    gaps = page.locator("#duty-gaps")
    expect(gaps).to_contain_text("带班领导须1人，仅0人（共14小时）")
    cell = page.locator(f"#cell-{night:%Y%m%d}-1")
    expect(cell).to_contain_text("缺带班领导")
    cell.get_by_role("button", name=f"{night.month}月{night.day}日夜班添加值班人员").click()
    form = page.locator(f"#cell-{night:%Y%m%d}-1 form")
    form.get_by_label("岗位").select_option("leader")
    form.get_by_label("姓名").fill("赵志强")
    form.get_by_label("值班电话").fill("1597971")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(f"#cell-{night:%Y%m%d}-1")).to_contain_text("格式不正确")
    expect(gaps).to_contain_text("带班领导须1人")
    assert not RosterEntry.objects.filter(name="赵志强").exists()
    form = page.locator(f"#cell-{night:%Y%m%d}-1 form")
    form.get_by_label("值班电话").fill("15979712345")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(f"#cell-{night:%Y%m%d}-1")).to_contain_text("赵志强")
    expect(page.locator("#duty-gaps")).to_contain_text("未来30天每小时都有值班员和带班领导")
    expect(page.locator(f"#cell-{night:%Y%m%d}-1")).not_to_contain_text("缺带班领导")
    assert RosterEntry.objects.filter(name="赵志强", role=DutyRole.LEADER, day=night).exists()
    save_screenshot(page, "duty_roster")
    assert page.csp_violations == []
