"""Send follow-up and 约稿 reminders whose moment passed without their task (run it from cron, e.g. every 10 min)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xinbao.followups.services.reminders import followups_sweep


class Command(BaseCommand):
    help = "Send overdue follow-up and commission reminders that no scheduled task sent."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = followups_sweep()
        self.stdout.write(_("已补发提醒%(n)d条") % {"n": sent})
