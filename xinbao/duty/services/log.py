"""Duty log (值班记录) and handovers (交接班). Entries are never changed or removed: a correction is a new entry
that names the one it corrects, so the log reads as it was kept on the night. Every write is audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import Conflict, NotPermitted, ValidationFailed
from xinbao.duty.models import CONTENT_MAX, DutyLogEntry, Handover, LogKind
from xinbao.duty.selectors import duty_colleagues
from xinbao.duty.services.roster import require_editor
from xinbao.notifications.services import notify
from xinbao.orgs.models import Unit

if TYPE_CHECKING:
    from xinbao.accounts.models import User

#: A clock a few minutes fast on the duty room PC must not block an entry; anything later is a typing error.
FUTURE_SLACK = timedelta(minutes=5)
#: Entries are written during or just after the shift; a week covers a holiday's late write-up.
PAST_LIMIT = timedelta(days=7)
SHIFT_LABEL_MAX = 40


def _clean_text(raw: str, *, field: str, label: str) -> str:
    text = (raw or "").strip()
    if not text:
        raise ValidationFailed(_("%(field)s不能为空") % {"field": label}, field=field)
    if len(text) > CONTENT_MAX:
        raise ValidationFailed(
            _("%(field)s不能超过%(max)d个字") % {"field": label, "max": CONTENT_MAX}, field=field
        )
    return text


def _check_time(at: datetime, *, field: str = "at", written_up: bool = True) -> None:
    """``written_up``: an entry written by hand after the fact, which the 7-day limit applies to."""
    now = timezone.now()
    if timezone.is_naive(at):
        raise ValidationFailed(_("时间须带时区"), field=field)
    if at > now + FUTURE_SLACK:
        raise ValidationFailed(_("时间不能晚于当前时间"), field=field)
    if written_up and at < now - PAST_LIMIT:
        raise ValidationFailed(_("只能补记7天以内的值班记录"), field=field)


@transaction.atomic
def log_entry_record(
    *,
    actor: User,
    office: Unit,
    at: datetime,
    kind: str,
    content: str,
    corrects: DutyLogEntry | None = None,
) -> DutyLogEntry:
    """Record what came in (来电/来文) or what was done (处置/交办/其他). A correction names the entry it corrects,
    which must be of the same office."""
    require_editor(actor, office)
    if kind not in LogKind.values:
        raise ValidationFailed(
            _("类别“%(kind)s”无效，应为来电、来文、处置、交办或其他") % {"kind": kind}, field="kind"
        )
    _check_time(at)
    content = _clean_text(content, field="content", label=_("内容"))
    if corrects is not None and corrects.office_id != office.pk:
        raise ValidationFailed(_("被更正的记录不存在"), field="corrects")
    entry = DutyLogEntry.objects.create(
        office=office, at=at, kind=kind, content=content, recorded_by=actor, corrects=corrects
    )
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=entry,
        object_repr=str(entry),
        detail={
            "action": "duty_log_record",
            "kind": kind,
            "at": at.isoformat(),
            "corrects": corrects.pk if corrects else None,
        },
    )
    return entry


@transaction.atomic
def log_entry_from_call(
    *,
    actor: User,
    office: Unit,
    at: datetime,
    caller: str,
    caller_phone: str,
    subject: str,
    summary: str,
    link: str,
) -> DutyLogEntry:
    """A telephone report another capability registers as it is taken (a phone report on the emergencies duty
    board) goes into the office's log as a 来电 of the officer who took it, at the time of the call, linking to
    where the matter lives. The 7-day limit is for entries written up by hand after the shift; this one is
    written in the same transaction as the call's registration, so it is made now whatever the call's time."""
    require_editor(actor, office)
    _check_time(at, written_up=False)
    if not link.startswith("/") or link.startswith("//") or len(link) > 200:
        raise ValidationFailed(_("相关链接须为本系统内的地址"), field="link")
    content = _("%(caller)s（%(phone)s）来电报告%(subject)s：%(summary)s") % {
        "caller": _clean_text(caller, field="caller", label=_("来电人")),
        "phone": _clean_text(caller_phone, field="caller_phone", label=_("来电号码")),
        "subject": _clean_text(subject, field="subject", label=_("事由")),
        "summary": _clean_text(summary, field="summary", label=_("来电内容")),
    }
    if len(content) > CONTENT_MAX:
        content = content[: CONTENT_MAX - 1] + "…"
    entry = DutyLogEntry.objects.create(
        office=office, at=at, kind=LogKind.CALL, content=content, recorded_by=actor, link=link
    )
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=entry,
        object_repr=str(entry),
        detail={"action": "duty_log_call", "at": at.isoformat(), "link": link},
    )
    return entry


@transaction.atomic
def handover_create(
    *,
    actor: User,
    office: Unit,
    from_shift: str,
    to_shift: str,
    incoming: User,
    outstanding: str,
    at: datetime | None = None,
) -> Handover:
    """The outgoing officer hands over to a colleague of the office; the colleague is notified and acknowledges.
    "无" is a valid list of outstanding matters, an empty one is not (the handover must say so)."""
    require_editor(actor, office)
    at = at or timezone.now()
    _check_time(at)
    from_shift = _clean_text(from_shift, field="from_shift", label=_("交班班次"))[:SHIFT_LABEL_MAX]
    to_shift = _clean_text(to_shift, field="to_shift", label=_("接班班次"))[:SHIFT_LABEL_MAX]
    outstanding = _clean_text(outstanding, field="outstanding", label=_("待办事项"))
    if incoming.pk == actor.pk:
        raise ValidationFailed(_("接班人不能是交班人本人"), field="incoming")
    if not duty_colleagues(office).filter(pk=incoming.pk).exists():
        raise ValidationFailed(_("接班人须是本单位在岗人员"), field="incoming")
    handover = Handover.objects.create(
        office=office,
        at=at,
        from_shift=from_shift,
        to_shift=to_shift,
        handed_by=actor,
        incoming=incoming,
        outstanding=outstanding,
    )
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=handover,
        object_repr=str(handover)[:200],
        detail={"action": "handover_create", "incoming": incoming.pk, "at": at.isoformat()},
    )
    notify(
        recipients=[incoming],
        kind="duty_handover",
        title=_("%(name)s向您交班（%(shift)s），请确认接班") % {"name": actor.full_name, "shift": to_shift},
        body=outstanding,
        url=reverse("duty:handovers"),
    )
    return handover


@transaction.atomic
def handover_acknowledge(*, actor: User, handover: Handover) -> Handover:
    """Only the named incoming officer acknowledges, once."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.incoming_id != actor.pk:
        raise NotPermitted(_("只有接班人本人可以确认接班"))
    if handover.acknowledged_at is not None:
        raise Conflict(
            _("该交接班已于%(at)s确认")
            % {"at": f"{timezone.localtime(handover.acknowledged_at):%Y-%m-%d %H:%M}"}
        )
    handover.acknowledged_at = timezone.now()
    handover.save(update_fields=["acknowledged_at", "updated_at"])
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=handover,
        object_repr=str(handover)[:200],
        detail={"action": "handover_acknowledge"},
    )
    return handover
