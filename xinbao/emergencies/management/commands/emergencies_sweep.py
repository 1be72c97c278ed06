"""The safety net behind the scheduled deadline tasks: alert and escalate whatever is due and not yet done.

Run it every minute from cron or a systemd timer (``manage.py emergencies_sweep``), or as a small long-running
process beside the worker (``manage.py emergencies_sweep --loop 60``). The scheduled tasks fire at the exact minute;
the sweep catches a task lost with a restored backup or a queue emptied by hand. Safe to run while the tasks run:
each alert claims its row first.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from xinbao.emergencies.services.deadlines import deadlines_sweep


class Command(BaseCommand):
    help = "Alert and escalate emergency deadlines that are due (the safety net behind the scheduled tasks)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", type=int, default=0, help="repeat every N seconds (0: run once)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            result = deadlines_sweep()
            self.stdout.write(f"alerted={result['alerted']} escalated={result['escalated']}")
            if not options["loop"]:
                return
            close_old_connections()
            time.sleep(options["loop"])
