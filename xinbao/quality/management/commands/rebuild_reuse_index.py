"""python manage.py rebuild_reuse_index — rebuild the reuse index from every item and reference document.

``--if-empty`` (for ``make run``): only when nothing is indexed yet although there are texts — a database loaded
before the index existed, or restored without it. Saving an item keeps the index current after that."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinbao.quality.models import ReferenceDocument, ReuseDocument
from xinbao.quality.reuse.index import COMMON_DF, rebuild
from xinbao.reports.models import Report


class Command(BaseCommand):
    help = "Rebuild the reuse (plagiarism) index and its list of stock-phrase fingerprints."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--common-df",
            type=int,
            default=COMMON_DF,
            help="fingerprints in more documents than this are stock phrases and are not indexed",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only when the index is empty and there are items or reference documents (make run)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and (
            ReuseDocument.objects.exists()
            or not (Report.objects.exists() or ReferenceDocument.objects.exists())
        ):
            return
        count = rebuild(
            common_df=options["common_df"],
            progress=lambda n: self.stdout.write(f"{n} documents indexed"),
        )
        self.stdout.write(self.style.SUCCESS(f"reuse index rebuilt: {count} documents"))
