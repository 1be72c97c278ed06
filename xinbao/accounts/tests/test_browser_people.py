"""In Chromium at 1366×768 and with the keyboard only: a unit admin logs in in Chinese, creates a colleague,
grants the 信息员 role; the new colleague logs in and is made to change the initial password. No page needs an
inline script or style (CSP)."""

from __future__ import annotations

import pytest

from xinbao.accounts.models import Role, RoleAssignment, User
from xinbao.accounts.tests.factories import PASSWORD, make_user
from xinbao.common.tests.browser import save_screenshot
from xinbao.orgs.tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INITIAL = "Chuzhi#2026"
CHANGED = "Xiugai#2026"


def type_into(pg, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    pg.locator(f"[name={name}]").focus()
    pg.keyboard.type(text)


def test_unit_admin_creates_a_colleague_with_the_keyboard(page):
    world = build_world()
    make_user(world.township, Role.UNIT_ADMIN, username="guanli", full_name="王管理")

    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.evaluate("document.activeElement.name") == "username"  # focused when the page opens
    page.keyboard.type("guanli")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    save_screenshot(page, "home")
    assert "待办事项" in page.content()

    page.goto("/accounts/people/")
    save_screenshot(page, "people_list")
    page.get_by_role("link", name="新建人员").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/people/new/")
    type_into(page, "username", "xiaoli")
    type_into(page, "full_name", "李晓")
    type_into(page, "phone", "13900000003")
    type_into(page, "password", INITIAL)
    type_into(page, "password2", INITIAL)
    save_screenshot(page, "person_create")
    page.keyboard.press("Enter")

    page.wait_for_url("**/roles/")
    assert "已新建人员“李晓”" in page.content()
    save_screenshot(page, "person_roles")
    page.get_by_role("button", name="授予信息员").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "已授予“信息员”角色。" in page.content()
    person = User.objects.get(username="xiaoli")
    assert person.unit == world.township and person.must_change_password
    assert set(RoleAssignment.objects.filter(user=person).values_list("role", flat=True)) == {Role.INFORMANT}

    page.goto(f"/accounts/people/{person.pk}/")
    save_screenshot(page, "person_detail")
    page.get_by_role("button", name="退出").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/")

    # The new colleague is sent to change the initial password before anything else.
    type_into(page, "username", "xiaoli")
    type_into(page, "password", INITIAL)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/password/**")
    assert "首次登录或密码被重置，请先设置新密码。" in page.content()
    type_into(page, "old_password", INITIAL)
    type_into(page, "new_password", CHANGED)
    type_into(page, "new_password2", CHANGED)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "密码已修改。" in page.content()
    person.refresh_from_db()
    assert not person.must_change_password

    assert page.csp_violations == []
