"""Bulletin test data on top of the reporting cast: a series of the county party office and adopted items."""

from __future__ import annotations

from xinbao.bulletins.models import Issue, RecipientKind, Series
from xinbao.bulletins.services import entry_add, issue_create, issue_publish, issue_sign, series_create
from xinbao.orgs.tests.factories import World
from xinbao.reports.models import Report
from xinbao.reports.services import submission_adopt
from xinbao.reports.tests.factories import Cast, make_sent_report


def make_series(world: World, cast: Cast, **kwargs) -> Series:
    defaults = {
        "name": "安平信息",
        "code": "apxx",
        "recipients": {
            RecipientKind.REPORT: [world.city_party_office],
            RecipientKind.SEND: [world.county_gov_office],
        },
    }
    defaults.update(kwargs)
    return series_create(actor=cast.county_editor, **defaults)


def make_adopted_report(world: World, cast: Cast, **kwargs) -> Report:
    report = make_sent_report(cast, **kwargs)
    submission_adopt(
        actor=cast.county_editor, submission=report.submissions.get(office=world.county_party_office)
    )
    return report


def make_issue(world: World, cast: Cast, series: Series, *, reports: int = 1, sign: bool = False) -> Issue:
    issue = issue_create(actor=cast.county_editor, series=series)
    for i in range(reports):
        report = make_adopted_report(world, cast, title=f"城关镇开展冬季安全隐患大排查{i + 1}")
        entry_add(actor=cast.county_editor, issue=issue, report=report)
    if sign:
        issue = issue_sign(actor=cast.county_leader, issue=issue)
    issue.refresh_from_db()
    return issue


def publish(world: World, cast: Cast, series: Series, *, reports: int = 1) -> Issue:
    issue = make_issue(world, cast, series, reports=reports, sign=True)
    return issue_publish(actor=cast.county_editor, issue=issue)
