"""``python manage.py demo_totp <username>``: the current TOTP code of a demo administrator (development only)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import totp

from xinbao.demo.selectors import demo_device_for


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property, not a lazy string: argparse runs re.sub over the text and refuses a lazy proxy.
        return _("显示演示管理员账号当前的6位动态验证码（仅限开发模式，供试用演示系统）")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username", help=_("演示管理员的用户名，如 ap_xtgl"))

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        # Printing a second factor defeats it: only on a development system, and only for the seed's devices.
        if not settings.DEBUG:
            raise CommandError(
                _("demo_totp 只能在开发模式（XINBAO_DEBUG=1）下使用，仅供试用演示系统"), returncode=2
            )
        username = options["username"].strip()
        device = demo_device_for(username)
        if device is None:
            raise CommandError(
                _("“%(username)s”不是带演示验证器的演示账号") % {"username": username}, returncode=2
            )
        now = int(time.time())
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        left = device.step - (now - device.t0) % device.step
        self.stdout.write(f"{code:0{device.digits}d}")
        self.stderr.write(
            _("%(username)s 的当前验证码，%(seconds)d 秒后失效。") % {"username": username, "seconds": left}
        )
