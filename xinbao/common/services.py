"""Writes that belong to no single capability: the holiday calendar administrators keep (PRODUCT 1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.common.models import CalendarDay


@transaction.atomic
def calendar_day_set(*, actor: Any, day: date, is_workday: bool, name: str = "") -> CalendarDay:
    """Enter the State Council's arrangement for one date (a day off in a holiday, or a 调休 workday).

    ``actor`` None is the operator at the command line (trusted like a migration)."""
    if actor is not None and not actor.has_role(Role.SYSTEM_ADMIN):
        raise NotPermitted(_("只有系统管理员可以维护节假日安排"))
    name = (name or "").strip()
    if len(name) > 20:
        raise ValidationFailed(_("节日名称不能超过20个字"), field="name")
    if not is_workday and not name and day.weekday() < 5:
        raise ValidationFailed(_("工作日放假请填写节日名称"), field="name")
    row, _created = CalendarDay.objects.update_or_create(
        day=day, defaults={"is_workday": is_workday, "name": name}
    )
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        obj=row,
        detail={"calendar_day": day.isoformat(), "is_workday": is_workday, "name": name},
    )
    return row


@transaction.atomic
def calendar_day_clear(*, actor: Any, day: date) -> bool:
    """Remove an entry, so the date follows the holiday package (or the weekday rule) again."""
    if actor is not None and not actor.has_role(Role.SYSTEM_ADMIN):
        raise NotPermitted(_("只有系统管理员可以维护节假日安排"))
    deleted, _rows = CalendarDay.objects.filter(day=day).delete()
    if deleted:
        audit_record(
            event_type=EventType.CONFIG_CHANGE,
            actor=actor,
            object_type="common.calendarday",
            object_id=day.isoformat(),
            detail={"calendar_day": day.isoformat(), "cleared": True},
        )
    return bool(deleted)
