"""The cast of the quality tests: make_cast's people of 城关镇 and the county offices, charlie of another county,
the security administrator; a logged-in page client and an API client for any of them."""

from __future__ import annotations

import pytest
from django.test import Client

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user


@pytest.fixture
def charlie(world):
    return make_user(world.other_township, Role.INFORMANT, Role.SIGNER, username="charlie", full_name="查理")


@pytest.fixture
def security_admin(world):
    return make_user(world.county_party_office, Role.SECURITY_ADMIN, username="aqgly", full_name="安全员")


@pytest.fixture
def system_admin(world):
    return make_user(world.county_party_office, Role.SYSTEM_ADMIN, username="xtgly", full_name="系统员")


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    if user.admin_roles:  # the three admins pass the second factor first (PRODUCT 4)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get_or_create(user=user, name="测试验证器", defaults={"confirmed": True})[
            0
        ]
        session = c.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return c


@pytest.fixture
def api_as():
    from xinbao.accounts.services import token_issue
    from xinbao.api.tests.conftest import ApiClient

    clients = {}

    def _as(user):
        if user.pk not in clients:
            clients[user.pk] = ApiClient(token_issue(user=user, name="测试")[1])
        return clients[user.pk]

    return _as
