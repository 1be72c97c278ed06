"""Named readers of an item (PRODUCT 3.1: a restricted item is visible to "the named readers").

A restricted item flows upward only, never down or sideways, so the system refuses to name anyone of a lower-level
or sibling unit. Allowed: people of the item's own unit, of an office the item (or an item made from it) reached,
and of units that belong directly to a region above the item's unit and sit at a strictly higher level (the county's
departments for a township item; the city's offices and departments).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotFound, NotPermitted, ValidationFailed
from xinbao.orgs.models import LEVEL_RANK, Level
from xinbao.orgs.selectors import unit_region
from xinbao.reports.models import Report, ReportReach, ReportReader
from xinbao.reports.selectors import can_name_readers

if TYPE_CHECKING:
    from xinbao.accounts.models import User


def reader_refusal(report: Report, person: User) -> str | None:
    """Why ``person`` may not be named a reader of ``report`` (None when they may). Shared with the pages so a
    picker can grey out who would be refused."""
    unit = person.unit
    if unit is None or not person.is_active:
        return _("%(name)s不是在岗人员") % {"name": person.full_name}
    if unit.pk == report.unit_id:
        return None
    if ReportReach.objects.filter(report=report, office_id=unit.pk).exists():
        return None
    item_unit = report.unit
    if LEVEL_RANK[Level(unit.level)] >= LEVEL_RANK[Level(item_unit.level)]:
        return _("%(name)s所在的%(unit)s不高于报送单位的层级：信息只能向上流转，不能下发或平行分享") % {
            "name": person.full_name,
            "unit": unit.name,
        }
    # Strictly higher, but also on the item's own chain: the region that holds the person's unit must be one of
    # the regions above the item's unit (a neighbouring county's office is sideways, however high it is).
    if unit_region(unit).pk not in set(item_unit.ancestor_ids):
        return _("%(name)s所在的%(unit)s不是报送单位的上级：信息不能平行分享") % {
            "name": person.full_name,
            "unit": unit.name,
        }
    return None


@transaction.atomic
def report_reader_add(*, actor: User, report: Report, person: User) -> ReportReader:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not can_name_readers(actor, report):
        raise NotPermitted(_("只有本单位审签人或收到该信息的接收单位编辑可以指定阅读人"))
    refusal = reader_refusal(report, person)
    if refusal:
        raise ValidationFailed(refusal, field="person")
    if ReportReader.objects.filter(report=report, person=person).exists():
        raise ValidationFailed(
            _("%(name)s已是这条信息的指定阅读人") % {"name": person.full_name}, field="person"
        )
    reader = ReportReader.objects.create(report=report, person=person, added_by=actor)
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=report,
        detail={"reader_added": person.pk, "reader_name": person.full_name},
    )
    return reader


@transaction.atomic
def report_reader_remove(*, actor: User, report: Report, person: User) -> None:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not can_name_readers(actor, report):
        raise NotPermitted(_("只有本单位审签人或收到该信息的接收单位编辑可以移除阅读人"))
    deleted, _rows = ReportReader.objects.filter(report=report, person=person).delete()
    if not deleted:
        raise NotFound(_("%(name)s不是这条信息的指定阅读人") % {"name": person.full_name})
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=report,
        detail={"reader_removed": person.pk, "reader_name": person.full_name},
    )
