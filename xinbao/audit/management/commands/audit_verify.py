"""``python manage.py audit_verify``: walk the hash chain and name the first broken row (exit 1), or say 完整."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from xinbao.audit.services import audit_verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链：完整则退出码为0，否则指出第一条断链记录并以退出码1结束"

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        result = audit_verify_chain()
        if result.ok:
            self.stdout.write(f"完整：共校验{result.checked}条记录")
            return
        where = f"记录 #{result.broken_id}" if result.broken_id else "链头"
        self.stderr.write(
            f"不完整：第一处断链在{where}：{result.reason}（此前已校验{result.checked}条记录完好）"
        )
        # Exit status is what monitoring and scripts act on; a CommandError would print English boilerplate.
        sys.exit(1)
