"""The wording-rule page in Chromium: the county editor adds a rule, finds it with the filter, deactivates it, and
the live check on an item's edit page stops flagging the word."""

from __future__ import annotations

import pytest

from xinbao.reports.tests.test_browser_full_path import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(transactional_db):
    from xinbao.orgs.tests.factories import build_world
    from xinbao.reports.tests.factories import make_cast

    return make_cast(build_world())


def test_add_filter_deactivate_a_wording_rule(cast, page):
    from playwright.sync_api import expect

    from xinbao.quality.models import WordingRule

    log_in(page, cast.county_editor)
    page.goto("/quality/wording/")
    expect(page.get_by_role("heading", name="用语规则", exact=True)).to_be_visible()
    add = page.locator("#wording-add")
    add.get_by_label("类别").select_option(label="常见错别字")
    add.get_by_label("词语").fill("签定")
    add.get_by_label("建议改为").fill("签订")
    add.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存用语规则“签定”。")).to_be_visible()
    # Refused: the same word again, with the reason next to the field.
    add.get_by_label("词语").fill("签定")
    add.get_by_label("建议改为").fill("签订")
    add.get_by_role("button", name="保存").click()
    expect(add.get_by_text("已有相同的启用规则")).to_be_visible()
    assert WordingRule.objects.filter(wrong="签定").count() == 1

    page.get_by_role("search").get_by_label("查找").fill("签定")
    page.get_by_role("search").get_by_role("button", name="查询").click()
    row = page.locator("#wording-rules tbody tr", has_text="签定")
    expect(row).to_have_count(1)
    row.get_by_role("button", name="停用").click()
    expect(page.get_by_text("已停用“签定”，历史记录保留。")).to_be_visible()
    # Back on the same filtered list.
    expect(page.get_by_role("search").get_by_label("查找")).to_have_value("签定")
    expect(page.locator("#wording-rules tbody tr")).to_have_count(1)
    expect(page.locator("#wording-rules tbody tr", has_text="签定")).to_contain_text("已停用")
    assert not WordingRule.objects.get(wrong="签定").is_active
    page.screenshot(path="/tmp/quality_wording_rules.png", full_page=True)
