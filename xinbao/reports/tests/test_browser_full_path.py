"""The full path of one item through the real pages (issue 3): a township informant drafts and submits, the
township signer signs off, the county party office edits, adopts and forwards it, the city party office edits and
adopts part of it, and the informant sees both adoptions and the lineage township → county → city.

Each actor has a browser context of their own (own cookies, like separate people at separate desks). Only the
world and the people are built through services; every step of the item happens in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from xinbao.reports.tests.factories import BODY

pytestmark = pytest.mark.browser

TITLE = "城关镇开展冬季安全隐患大排查"
# The county editor adds the figure the county wants to see and a closing sentence.
COUNTY_BODY = BODY.replace("共发现并整改问题23处", "共发现问题23处、已全部整改到位") + (
    "下一步，城关镇将建立隐患排查长效机制，每月开展一次回头看。"
)
COUNTY_REASON = "补充整改结果和下一步打算"
# The city editor keeps only the core of it for the city's bulletin.
CITY_BODY = "安平县城关镇组织干部深入12个行政村排查冬季取暖和用电安全隐患，发现问题23处、已全部整改到位。"
CITY_REASON = "压缩篇幅，突出整改成效"


@pytest.fixture
def scene(transactional_db):
    from xinbao.orgs.tests.factories import build_world
    from xinbao.reports.tests.factories import make_cast

    world = build_world()
    return world, make_cast(world)


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Callable]:
    """Another person's browser: set up exactly like the shared ``page`` fixture (viewport, locale, CSP log)."""
    from xinbao.common.tests.browser import VIEWPORT

    contexts = []

    def opener():  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        pg = context.new_page()
        pg.csp_violations = []
        pg.on(
            "console",
            lambda msg: pg.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        return pg

    yield opener
    for context in contexts:
        context.close()


def log_in(page, user) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from xinbao.accounts.tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    # The language switcher's buttons come first in the page; the login form is the one inside <main>.
    page.locator("#main form").get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()


def nav(page, label: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=label).click()


def test_item_goes_from_township_to_city_and_the_informant_sees_it(scene, page, open_page):
    from playwright.sync_api import expect

    from xinbao.common.tests.browser import save_screenshot
    from xinbao.reports.diff import lineage_hops
    from xinbao.reports.models import Report, ReportOrigin

    world, cast = scene
    assert page.viewport_size == {"width": 1366, "height": 768}

    # 1. The township informant drafts the item and sends it for sign-off.
    informant = page
    log_in(informant, cast.informant)
    nav(informant, "我的信息")
    informant.get_by_role("link", name="起草信息").click()
    informant.get_by_label("标题").fill(TITLE)
    informant.get_by_label("正文").fill(BODY)
    informant.get_by_label("信息类型").select_option(label="动态")
    informant.get_by_role("button", name="保存并报送").click()
    expect(informant.get_by_text("已提交本单位审签人审签。")).to_be_visible()
    expect(informant.locator("#report-title")).to_have_text(TITLE)

    # 2. The township signer approves it in the sign-off queue.
    signer = open_page()
    log_in(signer, cast.signer)
    nav(signer, "待审签")
    row = signer.locator("#signoff-queue li", has_text=TITLE)
    row.get_by_role("button", name="同意报送").click()
    expect(signer.get_by_text(f"已同意报送：《{TITLE}》")).to_be_visible()
    expect(signer.locator("#signoff-queue li", has_text=TITLE)).to_have_count(0)

    # 3. The county party office editor edits it (with a reason), adopts it in full and forwards it upward.
    county = open_page()
    log_in(county, cast.county_editor)
    nav(county, "信息审核")
    county.get_by_role("link", name=TITLE).click()
    expect(county.locator("#h-title")).to_have_text(TITLE)
    county.get_by_role("link", name="修改", exact=True).click()
    expect(county.get_by_text("您正以接收单位编辑身份修改")).to_be_visible()
    county.get_by_label("正文").fill(COUNTY_BODY)
    county.get_by_label("修改说明").fill(COUNTY_REASON)
    county.get_by_role("button", name="保存", exact=True).click()
    expect(county.get_by_text("修改已保存。")).to_be_visible()
    expect(county.locator("#revisions")).to_contain_text(COUNTY_REASON)
    county.get_by_role("link", name="审核处理").click()
    expect(county.locator("#current-state")).to_contain_text("待审核")
    county.get_by_label("全文采用").check()
    county.locator("#adopt-form").get_by_role("button", name="采用", exact=True).click()
    expect(county.locator("#main .alert-success")).to_have_text("已采用")
    expect(county.locator("#adoptions")).to_contain_text("全文采用")
    save_screenshot(county, "full-path-county-review")
    county.get_by_role("link", name="转报", exact=True).click()
    expect(county.get_by_label("中共江州市委办公室")).to_be_checked()
    expect(county.get_by_label("正文")).to_have_value(COUNTY_BODY)
    county.get_by_role("button", name="转报", exact=True).click()
    expect(county.get_by_text("已转报至中共江州市委办公室")).to_be_visible()
    forwarded = Report.objects.get(origin=ReportOrigin.FORWARDED)
    assert forwarded.unit == world.county_party_office
    expect(county.locator("#report-title")).to_have_text(forwarded.title)

    # 4. The city party office editor opens it from the city inbox, shortens it and adopts it in part.
    city = open_page()
    log_in(city, cast.city_editor)
    nav(city, "信息审核")
    city.locator("#inbox-table").get_by_role("link", name=forwarded.title).click()
    expect(city.locator("#h-title")).to_have_text(forwarded.title)
    expect(city.get_by_role("region", name="来源信息")).to_contain_text(f"城关镇 · {TITLE}")
    city.get_by_role("link", name="修改", exact=True).click()
    city.get_by_label("正文").fill(CITY_BODY)
    city.get_by_label("修改说明").fill(CITY_REASON)
    city.get_by_role("button", name="保存", exact=True).click()
    expect(city.get_by_text("修改已保存。")).to_be_visible()
    city.get_by_role("link", name="审核处理").click()
    city.get_by_label("部分采用").check()
    city.locator("#adopt-form").get_by_role("button", name="采用", exact=True).click()
    expect(city.locator("#main .alert-success")).to_have_text("已采用")
    expect(city.locator("#adoptions")).to_contain_text("部分采用")

    # 5. The informant sees both adoptions, credited to the township, and the lineage of the text.
    nav(informant, "我的信息")
    mine_row = informant.locator("#report-list tbody tr", has_text=TITLE)
    expect(mine_row).to_contain_text("中共安平县委办公室 · 全文采用")
    expect(mine_row).to_contain_text("中共江州市委办公室 · 部分采用")
    mine_row.get_by_role("link", name=TITLE).click()
    adoptions = informant.locator("#adoptions tbody tr")
    expect(adoptions).to_have_count(2)
    county_row = adoptions.filter(has_text="中共安平县委办公室")
    expect(county_row).to_contain_text("全文采用")
    expect(county_row).to_contain_text("城关镇")
    city_row = adoptions.filter(has_text="中共江州市委办公室")
    expect(city_row).to_contain_text("部分采用")
    expect(city_row).to_contain_text("转报稿")
    expect(city_row).to_contain_text("城关镇")
    expect(informant.locator("#revisions")).to_contain_text(COUNTY_REASON)
    save_screenshot(informant, "full-path-informant-detail")

    informant.get_by_role("link", name="各层级修改").click()
    expect(informant.get_by_role("heading", name="各层级修改情况")).to_be_visible()
    hops = informant.locator("ol.lineage > li")
    expect(hops).to_have_count(3)
    expected = lineage_hops(forwarded)
    assert [h.level for h in expected] == ["township", "county", "city"]
    headers = [
        ("乡镇(街道)", "安平县城关镇", "朱建国"),
        ("县(区)", "中共安平县委办公室", "张天宇"),
        ("市", "中共江州市委办公室", "叶春梅"),
    ]
    for index, (level, unit, person) in enumerate(headers):
        header = hops.nth(index).locator(".card-header")
        expect(header).to_contain_text(f"{level} · {unit}")
        expect(header).to_contain_text(person)
    expect(hops.nth(0)).to_contain_text("原稿")
    for index in (1, 2):
        ratio = expected[index].change_from_previous
        assert ratio is not None and 0 < ratio < 1
        expect(hops.nth(index).locator(".hop-ratio")).to_have_text(f"较上一层级改动 {ratio * 100:.1f}%")
    # The county's addition and the city's cut show as marked changes in the diff.
    expect(hops.nth(1).locator("ins").filter(has_text=re.compile("长效机制"))).to_have_count(1)
    expect(hops.nth(2).locator("del").filter(has_text=re.compile("长效机制"))).to_have_count(1)
    save_screenshot(informant, "full-path-lineage")

    for pg in (informant, signer, county, city):
        assert pg.csp_violations == []
