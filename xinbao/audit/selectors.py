"""Reads of the audit log. Only the audit administrator reads it (三员分立, PRODUCT 4), and only within his own
region: a county's auditor sees what that county's people did, not the neighbouring county's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from xinbao.audit.models import AuditEvent
from xinbao.orgs.selectors import can_read_audit, scope_root

if TYPE_CHECKING:
    from xinbao.accounts.models import User


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_visible_to(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[AuditEvent]:
    """Rows whose actor's unit lies in the auditor's region, newest first.

    Rows without a unit (failed logins with unknown names, commands run on the server, system jobs) belong to no
    region; only an auditor at the root of the tree sees them, so they are never lost from view.
    """
    if not can_read_audit(user):
        return AuditEvent.objects.none()
    root = scope_root(user)
    if root is None:
        return AuditEvent.objects.none()
    scope = Q(unit_path__startswith=root.path)
    if root.parent_id is None:
        scope |= Q(unit_path="")
    qs = AuditEvent.objects.filter(scope)
    filters = filters or {}
    if day_from := filters.get("date_from"):
        qs = qs.filter(at__gte=_start_of(day_from))
    if day_to := filters.get("date_to"):
        qs = qs.filter(at__lt=_start_of(day_to + timedelta(days=1)))
    if who := (filters.get("user") or "").strip():
        qs = qs.filter(Q(actor_username__icontains=who) | Q(actor_name__contains=who))
    if event_type := filters.get("event_type"):
        qs = qs.filter(event_type=event_type)
    if (result := filters.get("result")) in ("success", "failure"):
        qs = qs.filter(success=result == "success")
    if ip := (filters.get("ip") or "").strip():
        # A prefix finds a whole subnet ("10.12.") as well as one address.
        qs = qs.filter(source_ip__startswith=ip)
    if text := (filters.get("object") or "").strip():
        qs = qs.filter(Q(object_repr__contains=text) | Q(object_id=text))
    return qs.order_by("-id")
