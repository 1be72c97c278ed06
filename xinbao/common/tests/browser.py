"""Playwright fixtures for browser tests (PRODUCT 4: pages must work with the keyboard at 1366×768).

Use from a conftest: ``from xinbao.common.tests.browser import browser, page  # noqa: F401``. Tests that use them
are marked ``@pytest.mark.browser`` and run against pytest-django's ``live_server`` with ``transactional_db`` (the
server thread must see the test's rows). Debian's Chromium is driven, not a downloaded build; ``make test``
installs it together with fonts-noto-cjk.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("XINBAO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium and fonts-noto-cjk (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh page (own cookies) at 1366×768 whose relative URLs go to the live server. Messages that the
    browser logs about the Content-Security-Policy are collected in ``page.csp_violations``: a page that
    needs an inline script or style is a bug."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    pg.csp_violations = []
    pg.on(
        "console",
        lambda msg: pg.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield pg
    context.close()


def save_screenshot(pg, name: str) -> None:
    """Screenshots are for people checking the layout by eye: written only when XINBAO_SCREENSHOT_DIR is set."""
    directory = os.environ.get("XINBAO_SCREENSHOT_DIR")
    if directory:
        pg.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=False)
