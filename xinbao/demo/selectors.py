"""Reads for the demo commands: which key demo accounts exist and how to log in with them."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.models import User
from xinbao.demo.key_accounts import DEMO_DEVICE_NAME, KEY_ACCOUNTS


@dataclass(frozen=True)
class DemoAccount:
    username: str
    purpose: str
    user: User
    totp_secret: str  # base32, empty when the account has no demo authenticator


def demo_device_for(username: str) -> TOTPDevice | None:
    return (
        TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE_NAME, confirmed=True)
        .order_by("id")
        .first()
    )


def demo_account_list() -> list[DemoAccount]:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=list(KEY_ACCOUNTS), is_active=True)
        .select_related("unit")
        .prefetch_related("role_assignments")
    }
    secrets = {
        d.user.username: base64.b32encode(d.bin_key).decode("ascii")
        for d in TOTPDevice.objects.filter(
            user__in=users.values(), name=DEMO_DEVICE_NAME, confirmed=True
        ).select_related("user")
    }
    return [
        DemoAccount(username, purpose, users[username], secrets.get(username, ""))
        for username, (_, _, purpose) in KEY_ACCOUNTS.items()
        if username in users
    ]
