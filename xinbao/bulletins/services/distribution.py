"""Distribution (报/送/发) and named readers, with the 内参 rule: no unit below the publishing office may be on a
restricted issue's list, and no person of such a unit among its readers (PRODUCT 3.1: restricted information flows
upward only, never down)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.bulletins.models import (
    NAMED_READERS_ONLY,
    Issue,
    IssueReader,
    IssueRecipient,
    RecipientKind,
)
from xinbao.bulletins.selectors import is_below, reader_candidates
from xinbao.bulletins.services.locks import issue_lock, require_editable, touch
from xinbao.common.errors import NotFound, ValidationFailed
from xinbao.notifications.services import notify

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit


def check_recipients(office: Unit, classification: str, units: Iterable[Unit]) -> None:
    units = list(units)
    if regions := [u for u in units if u.is_region]:
        raise ValidationFailed(
            _("分送单位不能是行政区：%(names)s，请选择具体单位")
            % {"names": "、".join(u.name for u in regions)},
            field="recipients",
        )
    if classification in NAMED_READERS_ONLY and (below := [u for u in units if is_below(u, office)]):
        raise ValidationFailed(
            _("内参（限定范围）刊物不能分送下级单位：%(names)s")
            % {"names": "、".join(u.name for u in below)},
            field="recipients",
        )


def check_readers(office: Unit, classification: str, people: Iterable[User]) -> None:
    if classification not in NAMED_READERS_ONLY:
        return
    below = [p for p in people if p.unit is None or is_below(p.unit, office)]
    if below:
        raise ValidationFailed(
            _("内参（限定范围）刊物不能指定下级单位人员阅读：%(names)s")
            % {"names": "、".join(p.full_name or p.username for p in below)},
            field="readers",
        )


def write_recipients(issue: Issue, recipients: Mapping[str, Iterable[Unit]]) -> None:
    seen: set[int] = set()
    rows = []
    for kind, units in recipients.items():
        if kind not in RecipientKind.values:
            raise ValidationFailed(_("分送方式无效：%(kind)s") % {"kind": kind}, field="recipients")
        for unit in units:
            if unit.pk in seen:
                raise ValidationFailed(
                    _("%(name)s在分送名单中出现了两次") % {"name": unit.name}, field="recipients"
                )
            seen.add(unit.pk)
            rows.append(IssueRecipient(issue=issue, kind=kind, unit=unit))
    IssueRecipient.objects.filter(issue=issue).delete()
    IssueRecipient.objects.bulk_create(rows)


@transaction.atomic
def issue_recipients_set(*, actor: User, issue: Issue, recipients: Mapping[str, Iterable[Unit]]) -> Issue:
    """Replace the distribution list (报/送/发 → units)."""
    issue = issue_lock(issue)
    require_editable(actor, issue)
    recipients = {k: list(v) for k, v in recipients.items()}
    check_recipients(issue.series.office, issue.classification, [u for us in recipients.values() for u in us])
    write_recipients(issue, recipients)
    touch(issue, actor)
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=issue,
        detail={"recipients": {k: [u.code for u in v] for k, v in recipients.items()}},
    )
    return issue


@transaction.atomic
def issue_readers_set(*, actor: User, issue: Issue, readers: Iterable[User]) -> Issue:
    """Replace the named readers (for 内参/秘密 issues the only people outside the office who may read it)."""
    issue = issue_lock(issue)
    require_editable(actor, issue, allow_published=True)
    people = list({p.pk: p for p in readers}.values())
    check_readers(issue.series.office, issue.classification, people)
    IssueReader.objects.filter(issue=issue).exclude(person__in=people).delete()
    existing = set(IssueReader.objects.filter(issue=issue).values_list("person_id", flat=True))
    IssueReader.objects.bulk_create(
        [IssueReader(issue=issue, person=p, added_by=actor) for p in people if p.pk not in existing]
    )
    if not issue.is_published:
        touch(issue, actor)
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=issue,
        detail={"readers": sorted(p.pk for p in people)},
    )
    return issue


def _person_name(person: User) -> str:
    return person.full_name or person.username


def _reader_ids(issue: Issue) -> list[int]:
    return sorted(IssueReader.objects.filter(issue=issue).values_list("person_id", flat=True))


@transaction.atomic
def issue_reader_add(*, actor: User, issue: Issue, person_id: int) -> IssueReader:
    """Name one more reader, also after publication: an office sends a printed issue to a newly appointed leader or
    to a leader who asks for a copy. The rules are those of the list set while composing: a person of the office or
    of a unit it distributes to, and for 内参/秘密 never one of a unit below the office. Once the issue is out the
    new reader is told, as the readers named before publication were told at publication."""
    issue = issue_lock(issue)
    require_editable(actor, issue, allow_published=True)
    office = issue.series.office
    person = reader_candidates(office=office).filter(pk=person_id).first()
    if person is None:
        raise ValidationFailed(
            _("人员（ID %(id)s）不存在、已停用或不在本刊分送范围内") % {"id": person_id}, field="person"
        )
    if IssueReader.objects.filter(issue=issue, person=person).exists():
        raise ValidationFailed(
            _("%(name)s已是本期的指定阅读人") % {"name": _person_name(person)}, field="person"
        )
    check_readers(office, issue.classification, [person])
    reader = IssueReader.objects.create(issue=issue, person=person, added_by=actor)
    if not issue.is_published:
        touch(issue, actor)
    # The same kind of row as the list set while composing (the readers after the change), plus the change itself.
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=issue,
        detail={"readers": _reader_ids(issue), "reader_added": person.pk, "name": _person_name(person)},
    )
    if issue.is_published:
        notify(
            recipients=[person],
            kind="issue_reader_added",
            title=_("您已被指定阅读《%(series)s》%(label)s")
            % {"series": issue.series.name, "label": issue.label},
            url=reverse("bulletins:issue_detail", args=[issue.pk]),
        )
    return reader


@transaction.atomic
def issue_reader_remove(*, actor: User, issue: Issue, person_id: int) -> User:
    """Take a reader off, one named by mistake; also after publication, where it ends his reading from now on
    (an opening already made stays in the audit log as 查阅内参信息). He is not told: a notice would only spread
    word of an issue he was never meant to have."""
    issue = issue_lock(issue)
    require_editable(actor, issue, allow_published=True)
    reader = IssueReader.objects.filter(issue=issue, person_id=person_id).select_related("person").first()
    if reader is None:
        raise NotFound(_("该人员不是本期的指定阅读人"), field="person")
    person = reader.person
    reader.delete()
    if not issue.is_published:
        touch(issue, actor)
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=issue,
        detail={"readers": _reader_ids(issue), "reader_removed": person.pk, "name": _person_name(person)},
    )
    return person
