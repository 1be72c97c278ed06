"""Run every capability's sweep (xinbao.common.sweeps) once, or keep running them, each at its own interval:

python manage.py run_sweeps            # once (cron)
python manage.py run_sweeps --loop     # a long-running process beside the task worker (make run starts one)
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from xinbao.common.sweeps import all_sweeps

log = logging.getLogger("xinbao.sweeps")


class Command(BaseCommand):
    help = "运行各项到期检查（紧急信息时限、督办与约稿提醒）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true", help="持续运行，按各项检查的间隔重复")
        parser.add_argument("--only", default="", help="只运行指定名称的检查")

    def handle(self, *args: Any, **options: Any) -> None:
        sweeps = [s for s in all_sweeps() if not options["only"] or s.name == options["only"]]
        next_run = {s.name: 0.0 for s in sweeps}
        while True:
            now = time.monotonic()
            for sweep in sweeps:
                if now < next_run[sweep.name]:
                    continue
                try:
                    summary = sweep.run()
                except Exception:  # one failing sweep must not stop the others; it is retried next round
                    log.exception("sweep %s failed", sweep.name)
                    summary = "failed"
                self.stdout.write(f"{sweep.name}: {summary}")
                next_run[sweep.name] = now + sweep.every_seconds
            if not options["loop"]:
                return
            close_old_connections()
            time.sleep(max(1.0, min(next_run.values()) - time.monotonic()))
