"""``python manage.py issue_token <username> [--name N]``: print a new API token for the person (shown once)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xinbao.accounts.models import User
from xinbao.accounts.services import token_issue
from xinbao.common.errors import DomainError


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property, not a lazy string: argparse runs re.sub over the text and refuses a lazy proxy.
        return _("为指定用户签发接口令牌（令牌只显示这一次，请妥善保存）")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username", help=_("用户名"))
        parser.add_argument("--name", default="", help=_("令牌名称（用途说明），最多60个字符"))

    def fail(self, message: str) -> None:
        self.stderr.write(message)
        # Exit 2 like a usage error: the caller named someone who cannot hold a token.
        sys.exit(2)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        username = options["username"].strip()
        user = User.objects.filter(username__iexact=username).select_related("unit").first()
        if user is None:
            self.fail(_("用户“%(username)s”不存在") % {"username": username})
        assert user is not None
        if not user.is_active:
            self.fail(
                _("用户“%(username)s”（%(name)s）的账号已停用，不能签发令牌")
                % {"username": user.username, "name": user.full_name}
            )
        if len(options["name"]) > 60:
            self.fail(_("令牌名称不能超过60个字符"))
        try:
            token, plain = token_issue(user=user, name=options["name"])
        except DomainError as exc:
            self.fail(exc.message)
        # The token alone on stdout, so `TOKEN=$(manage.py issue_token alice)` works; the explanation on stderr.
        self.stderr.write(
            _("已为 %(username)s（%(name)s）签发令牌，前缀 %(prefix)s。令牌只显示这一次：")
            % {"username": user.username, "name": user.full_name, "prefix": token.prefix}
        )
        self.stdout.write(plain)
