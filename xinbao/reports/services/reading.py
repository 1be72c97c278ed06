"""Reads that leave a trace: every read of a restricted item is audited (issue 3 item 6, 等保 安全审计).

Pages and the API call ``report_record_read`` after ``report_get_visible`` succeeded, once per view of the item
(detail, diff, lineage, export, download of its attachments)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from xinbao.audit.models import AuditEvent, EventType
from xinbao.audit.services import audit_record
from xinbao.reports.models import Report

if TYPE_CHECKING:
    from xinbao.accounts.models import User


@transaction.atomic
def report_record_read(*, user: User, report: Report, what: str = "detail") -> AuditEvent | None:
    """Audit a read of ``report`` by ``user`` when the item is restricted; normal items are not logged."""
    if not report.is_restricted:
        return None
    return audit_record(
        event_type=EventType.RESTRICTED_READ, actor=user, obj=report, detail={"what": what[:40]}
    )
