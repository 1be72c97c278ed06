"""Distribution (报/送/发) and named readers, with the 内参 rule: no unit below the publishing office may be on a
restricted issue's list, and no person of such a unit among its readers (PRODUCT 3.1: restricted information flows
upward only, never down)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db import transaction
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
from xinbao.bulletins.services.locks import issue_lock, require_editable, touch
from xinbao.common.errors import ValidationFailed
from xinbao.orgs.models import LEVEL_RANK, Level

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit


def is_below(unit: Unit, office: Unit) -> bool:
    """``unit`` is below ``office``: of a lower level, or an ordinary unit of the office's own region (a county's
    departments and townships report to its 县委办; the 县政府办, a receiving office of the same level, does not)."""
    if LEVEL_RANK[Level(unit.level)] > LEVEL_RANK[Level(office.level)]:
        return True
    region = office.parent
    return (
        region is not None
        and unit.pk != office.pk
        and unit.path.startswith(region.path)
        and not unit.is_receiving_office
        and not unit.is_region
    )


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
