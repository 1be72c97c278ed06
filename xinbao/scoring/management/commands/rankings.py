"""``python manage.py rankings --office <unit-code> --period <2026|2026Q1|2026-03|a..b> [--order composite] [--json]``

Ranks the units directly under the office's region (by total; ``--order composite`` ranks by the composite 千分制
score, and ``rank`` is then the composite rank) (without ``--office``: under the root of the unit tree, as
assessed by its party office). Builds a missing ledger first. Exit status 2 with a Chinese message on a bad period
or office."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from xinbao.common.errors import DomainError
from xinbao.orgs.models import Level, Unit, UnitKind
from xinbao.scoring.periods import parse_period
from xinbao.scoring.rankings import unit_ranking
from xinbao.scoring.selectors import assessing_office_of
from xinbao.scoring.services import ledger_ensure


class Command(BaseCommand):
    help = "Rank units (with the roll-up) for an office and a period."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--office", default="", help="unit code of the assessing office (or of a region)")
        parser.add_argument(
            "--period", required=True, help="2026 | 2026Q1 | 2026-03 | 2026-01-01..2026-06-30"
        )
        parser.add_argument("--level", default="", choices=["", *Level.values])
        parser.add_argument("--kind", default="", choices=["", *UnitKind.values])
        parser.add_argument(
            "--order",
            default="total",
            choices=["total", "composite"],
            help="rank by total (default) or composite",
        )
        parser.add_argument("--json", action="store_true", help="print a JSON list")

    def _fail(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        raise SystemExit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("zh-hans")
        try:
            period = parse_period(options["period"])
        except DomainError as exc:
            self._fail(exc.message)
        code = (options["office"] or "").strip()
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                self._fail(_("单位编码“%(code)s”不存在") % {"code": code})
        else:
            unit = Unit.objects.filter(parent__isnull=True).order_by("sort_order", "path").first()
            if unit is None:
                self._fail(_("尚未建立单位树"))
        assert unit is not None
        office = unit if unit.is_receiving_office else assessing_office_of(unit)
        if office is None:
            self._fail(_("“%(name)s”没有可作为考核单位的党委办或政府办") % {"name": unit.name})
        assert office is not None
        try:
            ledger_ensure(office=office, years=period.years)
        except DomainError as exc:
            self._fail(exc.message)
        rows = unit_ranking(
            office=office, period=period, level=options["level"], kind=options["kind"], order=options["order"]
        )
        if options["json"]:
            self.stdout.write(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{office.name} · {period.label}")
        for r in rows:
            self.stdout.write(f"{r.rank:>4}  {r.name:<20} {r.own:>10} {r.total:>10} {r.composite:>10}")
