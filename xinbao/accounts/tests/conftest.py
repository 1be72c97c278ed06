"""Fixtures for the accounts tests: the alice/bob/charlie cast for people pages and clients signed in with a
second factor already given (the login flow itself is tested through the real pages in test_login_flow)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A fixed Monday morning for the time-machine tests.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def signed_in():
    """A fresh client logged in as ``user``; administrators also get a confirmed authenticator and a verified
    session, as if they had just entered their code."""

    def _signed_in(user):  # type: ignore[no-untyped-def]
        c = Client()
        c.force_login(user)
        if user.needs_second_factor or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
            session = c.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return c

    return _signed_in


@pytest.fixture
def cast(world):
    """alice may (county system admin, county security admin, township unit admin); bob is in alice's office with
    another role; charlie administers the other county. ``person`` is one of alice's people."""
    return SimpleNamespace(
        alice=make_user(world.county_party_office, Role.SYSTEM_ADMIN, username="alice", full_name="艾丽"),
        alice_sec=make_user(
            world.county_party_office, Role.SECURITY_ADMIN, username="alice_sec", full_name="安全"
        ),
        unit_admin=make_user(world.township, Role.UNIT_ADMIN, username="ua_cg", full_name="管城关"),
        bob=make_user(world.county_party_office, Role.EDITOR, username="bob", full_name="鲍勃"),
        charlie=make_user(world.other_party_office, Role.SYSTEM_ADMIN, username="charlie", full_name="查理"),
        charlie_ua=make_user(world.other_township, Role.UNIT_ADMIN, username="charlie_ua", full_name="查管"),
        person=make_user(
            world.township, Role.INFORMANT, username="zhang3", full_name="张三", phone="13800000001"
        ),
    )
