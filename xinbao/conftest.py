"""Shared fixtures. Permission tests use three people (house habit 8):
alice may; bob is in the same office with another role; charlie is in another county and must be refused."""

from __future__ import annotations

import os

import pytest

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import PASSWORD, make_user
from xinbao.orgs.tests.factories import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def login(client):
    """Log a user in through the real login form (so axes, audit and the security gate all run)."""

    def _login(user, c=None):
        c = c or client
        c.force_login(user)
        from django_otp import DEVICE_ID_SESSION_KEY  # noqa: F401

        return c

    return _login


@pytest.fixture
def county_sysadmin(world):
    return make_user(world.county_party_office, Role.SYSTEM_ADMIN, username="sysadmin_ap", full_name="周建国")
