"""Builders shared by the scoring tests."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from xinbao.reports.models import AdoptionMode, Report
from xinbao.reports.services import adoption_record_external, report_forward, submission_adopt
from xinbao.reports.tests.factories import make_sent_report
from xinbao.scoring.models import LedgerBuild, LedgerEntry, RuleSet

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI), tick=False)


def adopted_item(
    world, cast, *, day: date, title: str = "城关镇开展冬季安全隐患大排查", city: bool = False
) -> Report:
    """An item of 城关镇 adopted by 县委办 on ``day``; with ``city``, forwarded and adopted by 市委办 too."""
    with at(day):
        report = make_sent_report(cast, title=title)
        sub = report.submissions.get(office=world.county_party_office)
        submission_adopt(actor=cast.county_editor, submission=sub, mode=AdoptionMode.FULL)
        if city:
            forwarded = report_forward(actor=cast.county_editor, report=report)
            city_sub = forwarded.submissions.get(office=world.city_party_office)
            submission_adopt(actor=cast.city_editor, submission=city_sub, mode=AdoptionMode.PARTIAL)
    return report


def record_external(cast, report: Report, *, level: str, publication: str, day: date) -> None:
    with at(day):
        adoption_record_external(
            actor=cast.county_editor, report=report, level=level, publication=publication, adopted_on=day
        )


def put_entries(office, year: int, rows: list[tuple], *, day: date) -> LedgerBuild:
    """A current build with hand-written entries (unit id, points[, kind]; the kind defaults to an adoption) — for
    roll-up and composite tests that need exact figures."""
    from xinbao.scoring.services import ruleset_ensure

    rule_set: RuleSet = ruleset_ensure(office=office, year=year)
    LedgerBuild.objects.filter(office=office, year=year).update(is_current=False)
    build = LedgerBuild.objects.create(
        office=office, year=year, rule_set=rule_set, is_current=True, entry_count=len(rows)
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            build=build,
            seq=i,
            unit_id=row[0],
            points=Decimal(row[1]),
            kind=row[2] if len(row) > 2 else "adoption",
            rule_key="test",
            rule_version=rule_set.version,
            source_type="test",
            source_id=i,
            event_date=day,
        )
        for i, row in enumerate(rows, start=1)
    )
    return build
