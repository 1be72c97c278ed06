"""Enter next year's holiday arrangement before the holiday package knows it:

python manage.py calendar_day 2027-02-06 --off --name 春节
python manage.py calendar_day 2027-02-14 --work --name 春节     (调休 make-up workday)
python manage.py calendar_day 2027-02-06 --clear
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xinbao.common.calendar import day_info
from xinbao.common.errors import DomainError
from xinbao.common.services import calendar_day_clear, calendar_day_set


class Command(BaseCommand):
    help = "维护节假日安排（放假日与调休上班日）"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("day", help="YYYY-MM-DD")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--off", action="store_true", help="放假")
        group.add_argument("--work", action="store_true", help="上班（调休）")
        group.add_argument("--clear", action="store_true", help="删除该日的设置")
        parser.add_argument("--name", default="", help="节日名称，如 春节")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            day = date.fromisoformat(options["day"])
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": options["day"]}) from exc
        try:
            if options["clear"]:
                calendar_day_clear(actor=None, day=day)
            else:
                calendar_day_set(actor=None, day=day, is_workday=options["work"], name=options["name"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        info = day_info(day)
        kind = _("工作日") if info.is_workday else _("休息日")
        self.stdout.write(f"{day.isoformat()} {kind} {info.holiday or ''}".rstrip())
