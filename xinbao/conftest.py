"""Shared fixtures. Permission tests use three people (house habit 8):
alice may; bob is in the same office with another role; charlie is in another county and must be refused."""

from __future__ import annotations

import os

import pytest

from xinbao.accounts.tests.factories import PASSWORD

# Defined once here: a session-scoped Playwright fixture imported into two conftests would start two Playwright
# instances in one process, which the sync API refuses.
from xinbao.common.tests.browser import browser, page  # noqa: F401
from xinbao.orgs.tests.factories import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def password():
    return PASSWORD
