"""Writing and verifying the audit chain.

Digest: HMAC-SM3 (GB/T 32905, through OpenSSL's hashlib) over the row's canonical JSON and the previous row's
digest, keyed with AUDIT_KEY (default: derived from SECRET_KEY). The key means someone with write access to the
database alone cannot forge a consistent chain after altering a row.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.audit.context import current_ip
from xinbao.audit.models import AuditChainHead, AuditEvent, EventType
from xinbao.common.errors import NotPermitted, ValidationFailed

GENESIS = "0" * 64


def _audit_key() -> bytes:
    explicit = getattr(settings, "AUDIT_KEY", "") or ""
    if explicit:
        return explicit.encode("utf-8")
    return hashlib.new("sm3", ("xinbao-audit:" + settings.SECRET_KEY).encode("utf-8")).digest()


def canonical_content(event: AuditEvent) -> bytes:
    at: datetime = event.at
    payload = {
        "at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": event.actor_id,
        "actor_username": event.actor_username,
        "actor_name": event.actor_name,
        "unit": event.unit_id_snapshot,
        "unit_name": event.unit_name,
        "unit_path": event.unit_path,
        "event_type": event.event_type,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "source_ip": event.source_ip,
        "success": bool(event.success),
        "detail": event.detail,
        "prev": event.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest_of(event: AuditEvent) -> str:
    return hmac.new(_audit_key(), canonical_content(event), "sm3").hexdigest()


def audit_record(
    *,
    event_type: str,
    actor: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    success: bool = True,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one row. Call it inside the service's transaction so the row commits or rolls back with the change."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    unit = getattr(actor, "unit", None) if actor is not None and getattr(actor, "pk", None) else None
    with transaction.atomic():
        # The UPDATE takes the lock before we read the head, so appends are strictly serial on both databases.
        updated = AuditChainHead.objects.filter(pk=1).update(count=F("count") + 1)
        if not updated:
            AuditChainHead.objects.get_or_create(pk=1)
            AuditChainHead.objects.filter(pk=1).update(count=F("count") + 1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            at=timezone.now(),
            actor=actor if actor is not None and getattr(actor, "pk", None) else None,
            actor_username=(getattr(actor, "username", "") or username)[:150],
            actor_name=(getattr(actor, "full_name", "") or "")[:40],
            unit_id_snapshot=unit.pk if unit else None,
            unit_name=(unit.name if unit else "")[:100],
            unit_path=unit.path if unit else "",
            event_type=event_type,
            object_type=str(object_type)[:60],
            object_id=str(object_id)[:64],
            object_repr=str(object_repr)[:200],
            source_ip=(current_ip.get() if ip is None else ip)[:45],
            success=success,
            detail=json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str)),
            prev_hash=head.last_hash,
        )
        event.hash = digest_of(event)
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_id=event.pk, last_hash=event.hash)
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    #: In the language active when the check ran (the operator's, for the command; the auditor's, on the page).
    reason: str = ""


def _iter_events(chunk: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk")[:chunk])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


def audit_verify_chain() -> VerifyResult:
    """Walk the whole chain in id order; report the first row whose link or digest does not hold."""
    prev = GENESIS
    checked = 0
    last_id = 0
    for event in _iter_events():
        if event.prev_hash != prev:
            return VerifyResult(False, checked, event.pk, _("前序摘要不符（其前的记录被删除、插入或篡改）"))
        if not hmac.compare_digest(event.hash, digest_of(event)):
            return VerifyResult(False, checked, event.pk, _("记录内容与摘要不符（该记录被篡改）"))
        prev = event.hash
        last_id = event.pk
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.last_id != last_id):
        return VerifyResult(False, checked, head.last_id or None, _("链头与末条记录不符（末尾记录被删除）"))
    if head is not None and head.count != checked:
        return VerifyResult(
            False,
            checked,
            last_id or None,
            _("记录条数不符：链头记载 %(recorded)d 条，实有 %(found)d 条")
            % {"recorded": head.count, "found": checked},
        )
    return VerifyResult(True, checked)


# --- The audit administrator's own actions (each is itself audited) ---------------------------------------------

#: One export stays below Excel's comfort zone and the request's time budget; narrower filters get the rest.
EXPORT_MAX_ROWS = 100_000


@dataclass(frozen=True)
class AuditExport:
    file: IO[bytes]
    rows: int


def audit_export(*, actor: Any, filters: dict[str, Any], max_rows: int | None = None) -> AuditExport:
    """The filtered rows the auditor may see, as .xlsx; the export is recorded in the log it exports from."""
    from xinbao.audit.exports import export_rows, write_audit_workbook
    from xinbao.audit.selectors import audit_events_visible_to
    from xinbao.orgs.selectors import can_read_audit

    if not can_read_audit(actor):
        raise NotPermitted(_("只有审计管理员可以导出审计日志"))
    limit = EXPORT_MAX_ROWS if max_rows is None else max_rows
    qs = audit_events_visible_to(user=actor, filters=filters)
    # Fix the upper bound first so rows appended while the file is written (this export's own row included)
    # cannot make the file disagree with the count recorded for it.
    upper = qs.aggregate(upper=Max("id"))["upper"] or 0
    qs = qs.filter(id__lte=upper)
    total = qs.count()
    if total > limit:
        raise ValidationFailed(
            _("筛选结果共%(total)d条，超过单次导出上限%(limit)d条，请缩小时间范围或增加筛选条件后再导出")
            % {"total": total, "limit": limit}
        )
    file = write_audit_workbook(export_rows(qs))
    audit_record(
        event_type=EventType.AUDIT_EXPORT,
        actor=actor,
        object_type="audit.auditevent",
        object_repr=f"审计日志导出（{total}条）",
        detail={"filters": {k: v for k, v in filters.items() if v not in (None, "")}, "rows": total},
    )
    return AuditExport(file, total)


def audit_verify_run(*, actor: Any) -> VerifyResult:
    """Verification on demand from the audit page; who ran it and what it found goes into the log."""
    from xinbao.orgs.selectors import can_read_audit

    if not can_read_audit(actor):
        raise NotPermitted(_("只有审计管理员可以校验审计日志"))
    result = audit_verify_chain()
    audit_record(
        event_type=EventType.AUDIT_VERIFY,
        actor=actor,
        object_type="audit.auditevent",
        object_repr="审计日志完整性校验",
        success=result.ok,
        detail={"checked": result.checked, "broken_id": result.broken_id, "reason": result.reason},
    )
    return result
