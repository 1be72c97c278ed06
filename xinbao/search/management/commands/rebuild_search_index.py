"""Rebuild the full-text index of every item (after a restore, or to pick up a change of tokenisation)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xinbao.reports.models import Report
from xinbao.search.models import SearchDocument
from xinbao.search.services import search_rebuild


class Command(BaseCommand):
    help = "重建全文检索索引"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--if-empty", action="store_true", help="只在索引为空而已有信息时重建（make run 用）"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["if_empty"] and (SearchDocument.objects.exists() or not Report.objects.exists()):
            return
        started = time.monotonic()
        count = search_rebuild()
        self.stdout.write(
            _("已重建 %(n)d 条信息的检索索引，用时 %(s).1f 秒。")
            % {"n": count, "s": time.monotonic() - started}
        )
