"""python manage.py find_reuse <dir> [--threshold 0.5] [--json] — pairs of .txt files sharing passages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinbao.quality.reuse.folder import scan_folder


class Command(BaseCommand):
    help = "Find pairs of plain-text files (one document per UTF-8 .txt file) that share passages."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder")
        parser.add_argument("--threshold", type=float, default=0.5)
        parser.add_argument("--json", action="store_true", help="print a JSON list of {a, b, score}")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        threshold = options["threshold"]
        if not folder.is_dir():
            raise CommandError(f"not a folder: {folder}")
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold must be between 0 and 1")
        try:
            pairs = scan_folder(folder, threshold=threshold)
        except UnicodeDecodeError as exc:
            raise CommandError(f"not UTF-8 text: {exc}") from exc
        if options["json"]:
            self.stdout.write(
                json.dumps([{"a": p.a, "b": p.b, "score": p.score} for p in pairs], ensure_ascii=False)
            )
            return
        for p in pairs:
            self.stdout.write(f"{p.score:.3f}\t{p.a}\t{p.b}")
