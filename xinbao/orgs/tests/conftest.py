"""Fixtures of the orgs tests: the people of the permission matrix and clients logged in as them.

alice_* may (unit admin of 城关镇, or the county's system admin); bob is an informant in the same township; charlie
administers 石桥县, another county, and must be refused. The three admins pass the TOTP gate with a confirmed device,
as a real system admin would (PRODUCT 4).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from xinbao.accounts.models import Role, User
from xinbao.accounts.tests.factories import make_user


@dataclass
class People:
    alice: User  # unit admin of 城关镇
    sysadmin: User  # system admin of 安平县 (in 县委办)
    editor: User  # editor in 县委办
    bob: User  # informant in 城关镇
    clerk: User  # another person of 城关镇, not yet registered
    charlie: User  # system admin of 石桥县
    charlie_unit_admin: User  # unit admin of 龙潭镇 (石桥县)
    outsider: User  # a person of 石桥县龙潭镇


@pytest.fixture
def people(world):
    return People(
        alice=make_user(world.township, Role.UNIT_ADMIN, username="alice", full_name="艾丽"),
        sysadmin=make_user(
            world.county_party_office, Role.SYSTEM_ADMIN, username="ap_sys", full_name="周建国"
        ),
        editor=make_user(world.county_party_office, Role.EDITOR, username="ap_editor", full_name="陈编辑"),
        bob=make_user(world.township, Role.INFORMANT, username="bob", full_name="鲍勃"),
        clerk=make_user(world.township, username="clerk", full_name="王小明", title="党政办干事"),
        charlie=make_user(world.other_party_office, Role.SYSTEM_ADMIN, username="charlie", full_name="查理"),
        charlie_unit_admin=make_user(
            world.other_township, Role.UNIT_ADMIN, username="charlie2", full_name="查二"
        ),
        outsider=make_user(world.other_township, username="outsider", full_name="石小桥"),
    )


@pytest.fixture
def as_user():
    """A client logged in as ``user``; administrators also pass the second-factor gate."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def _client(user: User) -> Client:
        c = Client()
        c.force_login(user)
        if user.needs_second_factor:
            device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
            session = c.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return c

    return _client
