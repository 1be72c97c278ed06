"""python manage.py rebuild_reuse_index — rebuild the reuse index from every item and reference document."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinbao.quality.reuse.index import COMMON_DF, rebuild


class Command(BaseCommand):
    help = "Rebuild the reuse (plagiarism) index and its list of stock-phrase fingerprints."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--common-df",
            type=int,
            default=COMMON_DF,
            help="fingerprints in more documents than this are stock phrases and are not indexed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild(
            common_df=options["common_df"],
            progress=lambda n: self.stdout.write(f"{n} documents indexed"),
        )
        self.stdout.write(self.style.SUCCESS(f"reuse index rebuilt: {count} documents"))
