"""The signed-in person is read with unit, roles and the TOTP flag in one query (accounts/backends.py), and what
is read that way must equal what the separate queries would say."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.backends import AccountBackend
from xinbao.accounts.middleware import has_confirmed_device
from xinbao.accounts.models import Role, User
from xinbao.accounts.selectors import person_for_request
from xinbao.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_roles_unit_and_device_come_with_the_person(world, django_assert_num_queries):
    person = make_user(world.county_party_office, Role.EDITOR, Role.LEADER)
    TOTPDevice.objects.create(user=person, name="手机", confirmed=True)
    with django_assert_num_queries(1):
        loaded = person_for_request(pk=person.pk)
        assert loaded is not None
        assert loaded.role_set == {Role.EDITOR, Role.LEADER}
        assert loaded.has_role(Role.LEADER) and not loaded.has_role(Role.INFORMANT)
        assert loaded.unit.name == world.county_party_office.name
        assert has_confirmed_device(loaded) is True


def test_no_roles_and_an_unconfirmed_device_read_as_none(world):
    person = make_user(world.county_party_office)
    TOTPDevice.objects.create(user=person, name="未绑定", confirmed=False)
    loaded = person_for_request(pk=person.pk)
    assert loaded is not None
    assert loaded.role_set == frozenset()
    assert has_confirmed_device(loaded) is False
    assert person_for_request(pk=10**9) is None


def test_forgetting_roles_reads_them_again(world):
    person = make_user(world.county_party_office, Role.INFORMANT)
    loaded = person_for_request(pk=person.pk)
    assert loaded is not None and loaded.role_set == {Role.INFORMANT}
    loaded.role_assignments.create(role=Role.SIGNER)
    loaded.forget_roles()
    assert loaded.role_set == {Role.INFORMANT, Role.SIGNER}


def test_a_deactivated_person_is_not_signed_in(world):
    person = make_user(world.county_party_office, Role.EDITOR)
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert AccountBackend().get_user(person.pk) is None


def test_a_role_revoked_meanwhile_counts_on_the_next_request(world):
    """The roles are read afresh per request: revoking 编辑 closes the inbox at once, no cache to wait for."""
    editor = make_user(world.county_party_office, Role.EDITOR)
    client = Client()
    client.force_login(editor)
    assert client.get(reverse("reports:inbox")).status_code == 200
    editor.role_assignments.filter(role=Role.EDITOR).delete()
    assert client.get(reverse("reports:inbox")).status_code == 403


def test_a_page_asks_nothing_more_of_the_signed_in_person(world):
    """The security gate reads the TOTP flag loaded with the person (through request.user's lazy proxy)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    editor = make_user(world.county_party_office, Role.EDITOR)
    client = Client()
    client.force_login(editor)
    client.get(reverse("reports:inbox"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("reports:inbox")).status_code == 200
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "otp_totp_totpdevice" in sql  # once, inside the person's query
    assert sql.count("otp_totp_totpdevice") == 1
    assert "accounts_roleassignment" in sql and sql.count('FROM "accounts_roleassignment"') <= 1
