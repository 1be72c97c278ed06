"""``python manage.py revoke_token <prefix>``: revoke the API token that starts with ``prefix``."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xinbao.accounts.models import ApiToken, User
from xinbao.accounts.services import token_revoke
from xinbao.common.errors import DomainError


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property, not a lazy string: argparse runs re.sub over the text and refuses a lazy proxy.
        return _("按前缀吊销接口令牌（前缀在签发时显示，也可在“接口令牌”页面查看）")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("prefix", help=_("令牌前缀，例如 xb_AbCdEfG"))
        parser.add_argument(
            "--by",
            default="",
            help=_("以哪位安全管理员的名义吊销（用户名）；省略时记为令牌持有人本人吊销"),
        )

    def fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        prefix = options["prefix"].strip()
        if len(prefix) < 6:
            self.fail(_("前缀太短：请至少提供6个字符"))
        active = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user")
        if len(prefix) > 20:
            # The whole token was pasted: match it exactly by digest.
            matches = list(active.filter(digest=ApiToken.digest_of(prefix)))
        else:
            # Only the first 10 characters are stored as the prefix.
            matches = list(active.filter(prefix__startswith=prefix[:10]))
        if not matches:
            self.fail(_("没有前缀为“%(prefix)s”的有效令牌") % {"prefix": prefix})
        if len(matches) > 1:
            owners = pgettext("list separator", "、").join(
                _("%(prefix)s（%(username)s）") % {"prefix": t.prefix, "username": t.user.username}
                for t in matches
            )
            self.fail(
                _("前缀“%(prefix)s”对应多个令牌：%(owners)s，请提供更长的前缀")
                % {"prefix": prefix, "owners": owners}
            )
        token = matches[0]
        actor = token.user
        if options["by"]:
            by = User.objects.filter(username__iexact=options["by"].strip(), is_active=True).first()
            if by is None:
                self.fail(_("用户“%(username)s”不存在或已停用") % {"username": options["by"]})
            actor = by  # type: ignore[assignment]
        try:
            token_revoke(actor=actor, token=token)
        except DomainError as exc:
            self.fail(exc.message)
        self.stdout.write(
            _("已吊销令牌 %(prefix)s（%(username)s）")
            % {"prefix": token.prefix, "username": token.user.username}
        )
