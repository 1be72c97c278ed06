"""TOTP second factor (django-otp): mandatory for the three administrators, optional for everyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.models import Role
from xinbao.accounts.tests.conftest import T0
from xinbao.accounts.tests.factories import PASSWORD, make_user
from xinbao.audit.models import AuditEvent, EventType

NEW_PASSWORD = "Qiyue#2026x"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def post_login(client: Client, username: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_admin_must_bind_an_authenticator_then_verify_at_each_login(world, role):
    admin = make_user(world.county_party_office, role, username="sanyuan")
    with time_machine.travel(T0, tick=False) as clock:
        client = Client()
        response = post_login(client, "sanyuan")
        assert response["Location"].startswith(reverse("accounts:otp_setup"))
        # Nothing else is reachable before the second factor is bound.
        for url in (reverse("home"), reverse("accounts:people"), reverse("accounts:password_change")):
            assert client.get(url)["Location"].startswith(reverse("accounts:otp_setup"))

        page = client.get(reverse("accounts:otp_setup"))
        device = TOTPDevice.objects.get(user=admin, confirmed=False)
        assert page.context["secret"]
        assert "按照三员管理要求" in page.content.decode()

        wrong = client.post(
            reverse("accounts:otp_setup"), {"token": f"{(int(code_for(device)) + 1) % 10**6:06d}"}
        )
        assert "验证码不正确" in wrong.content.decode()
        clock.shift(timedelta(seconds=5))  # django-otp throttles the next try after a failure
        done = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
        assert done.status_code == 302
        assert client.get(reverse("home")).status_code == 200
        device.refresh_from_db()
        assert device.confirmed

        # The next login asks for a code from the bound authenticator.
        clock.shift(timedelta(minutes=5))
        later = Client()
        response = post_login(later, "sanyuan")
        assert response["Location"].startswith(reverse("accounts:otp_verify"))
        assert later.get(reverse("home"))["Location"].startswith(reverse("accounts:otp_verify"))
        bad = later.post(
            reverse("accounts:otp_verify"), {"token": "000000" if code_for(device) != "000000" else "111111"}
        )
        assert "验证码不正确或已过期" in bad.content.decode()
        clock.shift(timedelta(seconds=5))
        ok = later.post(reverse("accounts:otp_verify"), {"token": code_for(device)})
        assert ok.status_code == 302 and ok["Location"] == reverse("home")
        assert later.get(reverse("home")).status_code == 200

    assert AuditEvent.objects.filter(event_type=EventType.OTP_SETUP, actor=admin, success=True).exists()
    assert AuditEvent.objects.filter(event_type=EventType.OTP_FAILED, actor=admin, success=False).count() == 2


def test_a_code_cannot_be_used_twice(world):
    admin = make_user(world.county_party_office, Role.SYSTEM_ADMIN, username="chongfang")
    device = TOTPDevice.objects.create(user=admin, name="测试", confirmed=True)
    with time_machine.travel(T0, tick=False):
        first = Client()
        post_login(first, "chongfang")
        code = code_for(device)
        assert first.post(reverse("accounts:otp_verify"), {"token": code})["Location"] == reverse("home")
        second = Client()
        post_login(second, "chongfang")
        replay = second.post(reverse("accounts:otp_verify"), {"token": code})
        assert replay.status_code == 200
        assert second.get(reverse("home"))["Location"].startswith(reverse("accounts:otp_verify"))


def test_admin_with_a_new_account_binds_otp_first_then_changes_password(world):
    admin = make_user(
        world.county_party_office, Role.AUDIT_ADMIN, username="xinshenji", must_change_password=True
    )
    with time_machine.travel(T0, tick=False):
        client = Client()
        step = post_login(client, "xinshenji")["Location"]
        assert step.startswith(reverse("accounts:otp_setup"))
        client.get(step)
        device = TOTPDevice.objects.get(user=admin)
        after_otp = client.post(step, {"token": code_for(device)})["Location"]
        assert client.get(after_otp)["Location"].startswith(reverse("accounts:password_change"))
        client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        home = client.get(reverse("home"))
        assert home.status_code == 200
        assert "待办事项" in home.content.decode()


def test_otp_is_optional_for_other_people(world):
    person = make_user(world.township, Role.INFORMANT, username="kexuan")
    with time_machine.travel(T0, tick=False) as clock:
        client = Client()
        assert post_login(client, "kexuan")["Location"] == reverse("home")
        assert client.get(reverse("home")).status_code == 200

        # Opening the setup page is a choice; leaving it unconfirmed changes nothing at the next login.
        page = client.get(reverse("accounts:otp_setup"))
        assert page.status_code == 200
        assert "按照三员管理要求" not in page.content.decode()
        assert post_login(Client(), "kexuan")["Location"] == reverse("home")

        device = TOTPDevice.objects.get(user=person, confirmed=False)
        assert client.post(reverse("accounts:otp_setup"), {"token": code_for(device)}).status_code == 302

        # Once bound, it is asked for like an administrator's.
        clock.shift(timedelta(minutes=1))
        later = Client()
        assert post_login(later, "kexuan")["Location"].startswith(reverse("accounts:otp_verify"))
        later.post(reverse("accounts:otp_verify"), {"token": code_for(device)})
        assert later.get(reverse("home")).status_code == 200


def test_security_admin_resets_a_lost_authenticator(world, signed_in):
    security = make_user(world.county_party_office, Role.SECURITY_ADMIN, username="anquan")
    system = make_user(world.county_party_office, Role.SYSTEM_ADMIN, username="xitong")
    person = make_user(world.township, Role.INFORMANT, username="diushouji")
    TOTPDevice.objects.create(user=person, name="旧手机", confirmed=True)
    url = reverse("accounts:person_otp_reset", args=[person.pk])

    # The system admin (and anyone else) may not; the security admin may.
    assert signed_in(system).post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=person).exists()
    charlie = make_user(world.other_party_office, Role.SECURITY_ADMIN, username="charlie_sec")
    assert signed_in(charlie).post(url).status_code == 404

    response = signed_in(security).post(url, follow=True)
    assert "已重置“" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert AuditEvent.objects.filter(
        event_type=EventType.OTP_SETUP, actor=security, object_id=str(person.pk), detail__reset=True
    ).exists()
    assert post_login(Client(), "diushouji")["Location"] == reverse("home")
