"""``python manage.py audit_verify``: walk the hash chain and name the first broken row (exit 1), or say 完整."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xinbao.audit.services import audit_verify_chain


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property, not a lazy string: argparse runs re.sub over the text and refuses a lazy proxy.
        return _("校验审计日志哈希链：完整则退出码为0，否则指出第一条断链记录并以退出码1结束")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        result = audit_verify_chain()
        if result.ok:
            self.stdout.write(_("完整：共校验%(n)d条记录") % {"n": result.checked})
            return
        where = _("记录 #%(id)s") % {"id": result.broken_id} if result.broken_id else _("链头")
        self.stderr.write(
            _("不完整：第一处断链在%(where)s：%(reason)s（此前已校验%(n)d条记录完好）")
            % {"where": where, "reason": result.reason, "n": result.checked}
        )
        # Exit status is what monitoring and scripts act on; a CommandError would print English boilerplate.
        sys.exit(1)
