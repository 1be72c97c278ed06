"""The dashboard in a real browser: ECharts draws its canvases from the JSON endpoint, with no CSP violation."""

from __future__ import annotations

import re
from datetime import date

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(transactional_db):
    from xinbao.orgs.tests.factories import build_world
    from xinbao.reports.tests.factories import make_cast
    from xinbao.scoring.tests.support import adopted_item

    world = build_world()
    cast = make_cast(world)
    adopted_item(world, cast, day=date(2026, 3, 10), city=True)
    return world, cast


def test_dashboard_draws_its_charts(scene, page):
    from playwright.sync_api import expect

    from xinbao.accounts.tests.factories import PASSWORD

    world, cast = scene
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(cast.county_editor.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("#main form").get_by_role("button", name="登录", exact=True).click()
    page.goto(f"/scoring/dashboard/?office={world.county_party_office.pk}&period=2026Q1")
    expect(page.locator("#scoring-dashboard[data-rendered='1']")).to_have_count(1)
    expect(page.locator("#chart-units canvas")).to_have_count(1)
    expect(page.locator("#chart-months canvas")).to_have_count(1)
    for chart in ("completion", "types", "levels"):
        expect(page.locator(f"#chart-{chart} canvas")).to_have_count(1)
    assert page.csp_violations == []
    # A bar of the completion chart opens its unit's ledger (城关镇: the only unit that submitted, 1 of 30).
    expect(page.locator("#chart-completion[data-finished='1']")).to_have_count(1)
    x, y = page.evaluate(
        """name => echarts.getInstanceByDom(document.getElementById("chart-completion"))
                 .convertToPixel({seriesIndex: 0}, [1.6, name])""",
        world.township.display_name,
    )
    page.locator("#chart-completion canvas").click(position={"x": x, "y": y})
    expect(page).to_have_url(
        re.compile(rf"/scoring/offices/{world.county_party_office.pk}/units/{world.township.pk}/")
    )
    assert page.csp_violations == []
