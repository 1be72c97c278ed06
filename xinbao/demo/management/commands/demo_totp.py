"""``python manage.py demo_totp <username>``: the current TOTP code of a demo administrator (development only)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from xinbao.demo.selectors import demo_device_for


class Command(BaseCommand):
    help = "显示演示管理员账号当前的6位动态验证码（仅限开发模式，供试用演示系统）"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username", help="演示管理员的用户名，如 ap_xtgl")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        # Printing a second factor defeats it: only on a development system, and only for the seed's devices.
        if not settings.DEBUG:
            raise CommandError(
                "demo_totp 只能在开发模式（XINBAO_DEBUG=1）下使用，仅供试用演示系统", returncode=2
            )
        username = options["username"].strip()
        device = demo_device_for(username)
        if device is None:
            raise CommandError(f"“{username}”不是带演示验证器的演示账号", returncode=2)
        now = int(time.time())
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        left = device.step - (now - device.t0) % device.step
        self.stdout.write(f"{code:0{device.digits}d}")
        self.stderr.write(f"{username} 的当前验证码，{left} 秒后失效。")
