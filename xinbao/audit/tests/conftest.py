from __future__ import annotations

import pytest
from django.test import Client

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user


@pytest.fixture
def verified_client():
    """A client logged in with a confirmed second factor: the three admins cannot get past the security gate
    without one (PRODUCT 4), so the pages under test are reached the way a real auditor reaches them."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def _client(user):
        device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
        c = Client()
        c.force_login(user)
        session = c.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return c

    return _client


@pytest.fixture
def people(world):
    """alice audits 安平县; bob is the system admin in her office; charlie audits 石桥县."""

    class People:
        alice = make_user(world.county_party_office, Role.AUDIT_ADMIN, username="alice", full_name="艾丽")
        bob = make_user(world.county_party_office, Role.SYSTEM_ADMIN, username="bob", full_name="鲍勃")
        charlie = make_user(world.other_party_office, Role.AUDIT_ADMIN, username="charlie", full_name="查理")
        # Ordinary people whose actions fill the log.
        anping_clerk = make_user(world.county_dept, Role.INFORMANT, username="ap_clerk", full_name="安小平")
        shiqiao_clerk = make_user(
            world.other_township, Role.INFORMANT, username="sq_clerk", full_name="石小桥"
        )

    return People
