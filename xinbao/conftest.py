"""Shared fixtures. Permission tests use three people (house habit 8):
alice may; bob is in the same office with another role; charlie is in another county and must be refused."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from xinbao.accounts.tests.factories import PASSWORD

# Defined once here: a session-scoped Playwright fixture imported into two conftests would start two Playwright
# instances in one process, which the sync API refuses.
from xinbao.common.tests.browser import browser, page  # noqa: F401
from xinbao.orgs.tests.factories import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts in the site language and leaves it so: a test that switches to English must not make the
    next test on the same worker read English messages."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle history, rate limits and cached lookups live in the cache; each test starts with none and leaves
    none behind for the next test on the same worker."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def cast(world):
    """The people of the reporting capability in the test world (``reports.tests.factories.make_cast``); apps with
    their own cast of roles define a fixture of the same name in their tests."""
    from xinbao.reports.tests.factories import make_cast

    return make_cast(world)


@pytest.fixture
def password():
    return PASSWORD
