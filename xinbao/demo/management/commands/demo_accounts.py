"""``python manage.py demo_accounts``: how to log in to the demo system."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xinbao.demo.key_accounts import DEMO_PASSWORD
from xinbao.demo.selectors import demo_account_list

URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property, not a lazy string: argparse runs re.sub over the text and refuses a lazy proxy.
        return _("列出演示账号、所在单位、角色、公共密码，以及管理员账号的双因素认证密钥")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        accounts = demo_account_list()
        if not accounts:
            self.stdout.write(_("当前数据库中没有演示账号。可运行 python manage.py seed_demo 装入演示数据。"))
            return
        w = self.stdout.write
        w("")
        w(_("信报演示系统：%(url)s") % {"url": URL})
        w(_("所有演示账号的密码：%(password)s（首次登录无需修改）") % {"password": DEMO_PASSWORD})
        w("")
        w(_("演示账号："))
        for a in accounts:
            roles = pgettext("list separator", "、").join(a.user.role_labels) or _("无角色")
            unit = a.user.unit.name if a.user.unit else "—"
            w(f"  {a.username:<9} {a.user.full_name}　{unit}　[{roles}]")
            w(f"  {'':<9} {a.purpose}")
            if a.totp_secret:
                w(f"  {'':<9} " + _("双因素认证密钥：%(secret)s") % {"secret": a.totp_secret})
        if any(a.totp_secret for a in accounts):
            w("")
            w(_("系统管理员、安全管理员、审计管理员登录时须输入6位动态验证码（双因素认证）。"))
            w(_("添加方法：在手机验证器（如 Microsoft Authenticator、Google 身份验证器、FreeOTP）中选择"))
            w(_("“输入设置密钥”，账户名填用户名，密钥填上面的字符串，类型选“基于时间”。"))
            w(
                _(
                    "只想试用时，也可运行 python manage.py demo_totp <用户名> 直接显示当前验证码（仅限开发模式）。"
                )
            )
        w("")
