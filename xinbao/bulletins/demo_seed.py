"""Demo seed step "bulletins" (order 150, after the reports): a year of 《安平信息》 and 《江州信息》 with their 专报,
composed from the items the reports step adopted at the county and city party offices, signed by the office leader
and published through the services — numbers, adoption records and credits are what the system itself writes.
Each issue is dated back to when it would have been published; one draft waits for the county leader's 签发 and
one signed city issue for its editor to 印发, so both 待办 lists have something in them."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from xinbao.accounts.models import Role, User
from xinbao.bulletins.models import Classification, Issue, IssueEntry, RecipientKind, SeriesKind
from xinbao.bulletins.services import (
    entry_add,
    issue_create,
    issue_publish,
    issue_readers_set,
    issue_sign,
    issue_update,
    series_create,
)
from xinbao.demo.registry import SeedContext, register
from xinbao.notifications.services import notifications_captured
from xinbao.reports.models import Adoption, ReportType, Visibility

if TYPE_CHECKING:
    from xinbao.orgs.models import Unit

SPECIAL_TYPES = frozenset({ReportType.PROBLEM, ReportType.SUGGESTION, ReportType.ANALYSIS})
NOTES = [
    "现将有关情况予以刊发，供各地各部门学习借鉴。",
    "这些做法针对性强、效果明显，请各乡镇结合实际参考借鉴。",
    "近期各地反映的情况值得关注，请有关部门认真研究，及时回应群众关切。",
    "",
    "",
]


def _office_people(office: Unit, role: str) -> list[User]:
    return list(
        User.objects.filter(unit=office, is_active=True, role_assignments__role=role)
        .order_by("pk")
        .distinct()
    )


def _short_region(office: Unit) -> str:
    name = office.parent.name if office.parent else office.name
    return name[:-1] if len(name) > 2 and name[-1] in "县市区省" else name


def _code(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _backdate(issue: Issue, day: date) -> None:
    Issue.objects.filter(pk=issue.pk).update(
        created_at=_at(day - timedelta(days=1), 15),
        signed_at=_at(day, 9) if issue.signed_at else None,
        published_at=_at(day, 16) if issue.published_at else None,
        updated_at=_at(day, 16),
    )
    IssueEntry.objects.filter(issue=issue).update(created_at=_at(day - timedelta(days=1), 15))


def _compose(editor: User, series, adoptions: list[Adoption], note: str):  # type: ignore[no-untyped-def]
    issue = issue_create(actor=editor, series=series)
    for adoption in adoptions:
        entry_add(actor=editor, issue=issue, report=adoption.report)
    if note:
        issue.refresh_from_db()
        issue_update(
            actor=editor,
            issue=issue,
            editor_note=note,
            classification=issue.classification,
            copies=issue.copies,
        )
    issue.refresh_from_db()
    return issue


def _run_office(
    rng: random.Random, context: SeedContext, office: Unit, editor: User, leader: User, tail: str
) -> int:
    today = context.today
    region = _short_region(office)
    parent_office = (
        context.anchors.get("city_office")
        if office.level == "county"
        else context.anchors.get("province_office")
    )
    peer = (
        context.anchors.get("county_gov_office")
        if office.level == "county"
        else context.anchors.get("city_gov_office")
    )
    report_to = [u for u in (parent_office,) if u is not None]
    send_to = [u for u in (peer,) if u is not None]
    briefing = series_create(
        actor=editor,
        name=f"{region}信息",
        code=_code(region) + "xx",
        kind=SeriesKind.BRIEFING,
        classification=Classification.INTERNAL,
        copies=rng.choice([60, 80, 100]),
        total_start=rng.randint(180, 420),
        recipients={RecipientKind.REPORT: report_to, RecipientKind.SEND: send_to},
    )
    special = series_create(
        actor=editor,
        name=f"{region}信息专报",
        code=_code(region) + "zb",
        kind=SeriesKind.SPECIAL,
        classification=Classification.RESTRICTED,
        copies=rng.choice([10, 15, 20]),
        recipients={RecipientKind.REPORT: report_to},
    )
    readers = [leader, *_office_people(peer, Role.LEADER)] if peer is not None else [leader]
    adopted = list(
        Adoption.objects.filter(office=office, external=False)
        .select_related("report")
        .order_by("adopted_on", "id")
    )
    # 专报 carry what leaders must weigh (problems, suggestions, analyses) and every restricted item; 简报 the rest.
    special_items = [
        a
        for a in adopted
        if a.report.visibility == Visibility.RESTRICTED or a.report.report_type in SPECIAL_TYPES
    ]
    normal = [a for a in adopted if a not in special_items]
    published = 0
    # Hold the newest items back for the issue still in the works (when there are enough to publish as well).
    held = min(4, len(normal) // 3)
    pending, normal = (normal[-held:], normal[:-held]) if held else ([], normal)
    batches: list[tuple[object, list[Adoption]]] = []
    i = 0
    while i < len(normal):
        size = rng.randint(3, 6)
        batches.append((briefing, normal[i : i + size]))
        i += size
    i = 0
    while i < len(special_items):
        size = rng.randint(1, 2)
        batches.append((special, special_items[i : i + size]))
        i += size
    batches.sort(key=lambda b: max(a.adopted_on for a in b[1]))
    last_day: dict[int, date] = {}
    for series, group in batches:
        day = min(max(a.adopted_on for a in group) + timedelta(days=rng.randint(1, 4)), today)
        # An issue is never dated before the one numbered ahead of it (issue_publish refuses that).
        day = last_day[series.pk] = max(day, last_day.get(series.pk, day))  # type: ignore[attr-defined]
        issue = _compose(editor, series, group, rng.choice(NOTES) if series is briefing else "")
        if series is special:
            issue_readers_set(actor=editor, issue=issue, readers=readers)
        issue_sign(actor=leader, issue=issue)
        issue = issue_publish(actor=editor, issue=issue, issue_date=day)
        _backdate(issue, day)
        published += 1
    if pending:
        issue = _compose(editor, briefing, pending, NOTES[0])
        if tail == "signed":
            issue_sign(actor=leader, issue=issue)
            issue.refresh_from_db()
        _backdate(issue, today)
    return published


@register(150, "bulletins")
def seed_bulletins(rng: random.Random, context: SeedContext) -> None:
    total = 0
    # Notices of a year-old publication stamped "today" would bury the demo inboxes (see the reports seed).
    with notifications_captured():
        for anchor, tail in (("county_office", "draft"), ("city_office", "signed")):
            office = context.anchors.get(anchor)
            if office is None:
                continue
            editors, leaders = _office_people(office, Role.EDITOR), _office_people(office, Role.LEADER)
            if not editors or not leaders:
                continue
            total += _run_office(rng, context, office, editors[0], leaders[0], tail)
    context.count("bulletin_issues", total)
    context.log("  " + f"刊物期数 {total} 期")
