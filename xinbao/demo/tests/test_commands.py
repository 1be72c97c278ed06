"""The three demo commands on a seeded database: seed_demo --if-empty, demo_accounts, demo_totp."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.models import User
from xinbao.demo.key_accounts import DEMO_PASSWORD, KEY_ACCOUNTS
from xinbao.orgs.models import Unit

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_if_empty_leaves_a_database_with_units_alone(seeded):
    units, people = Unit.objects.count(), User.objects.count()
    out, _ = run("seed_demo", "--if-empty")
    assert "已有单位" in out
    assert (Unit.objects.count(), User.objects.count()) == (units, people)


def test_seeding_twice_is_refused_with_a_reason(seeded):
    with pytest.raises(CommandError, match=r"已有 \d+ 个单位"):
        run("seed_demo")


def test_demo_accounts_prints_url_password_accounts_and_admin_secrets(seeded):
    out, _ = run("demo_accounts")
    assert "http://127.0.0.1:8000/" in out and DEMO_PASSWORD in out
    for username in KEY_ACCOUNTS:
        assert username in out
    assert "中共安平县委办公室" in out and "编辑" in out
    ap_xtgl = TOTPDevice.objects.get(user__username="ap_xtgl")
    assert base64.b32encode(ap_xtgl.bin_key).decode() in out
    assert "验证器" in out


@override_settings(DEBUG=False)
def test_demo_totp_is_refused_outside_development(seeded):
    with pytest.raises(CommandError, match="开发模式") as excinfo:
        run("demo_totp", "ap_xtgl")
    assert excinfo.value.returncode == 2


@override_settings(DEBUG=True)
def test_demo_totp_prints_a_code_the_device_accepts(seeded):
    out, err = run("demo_totp", "ap_xtgl")
    code = out.strip()
    assert len(code) == 6 and code.isdigit() and "秒后失效" in err
    assert TOTPDevice.objects.get(user__username="ap_xtgl").verify_token(code)


@override_settings(DEBUG=True)
@pytest.mark.parametrize("username", ["ap_xxy", "nobody"])
def test_demo_totp_only_serves_demo_authenticators(seeded, username):
    with pytest.raises(CommandError, match="不是带演示验证器的演示账号") as excinfo:
        run("demo_totp", username)
    assert excinfo.value.returncode == 2
