"""Registering incidents and the reports made on them (PRODUCT 3.4).

Path: a duty officer takes a phone report (or the unit registers the incident itself) → the unit's written 首报 →
numbered 续报 (续报一、续报二…) at the rule's cadence → the 终报, which closes the incident. Each written report is an
item of type 紧急信息 made and submitted through the reporting services, so it skips the sign-off wait and
reaches the offices at once (reports.services.report_submit); the office's duty room and 信息科 are told at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import cn2an
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.duty.services import log_entry_from_call
from xinbao.emergencies.clock import rule_to_data
from xinbao.emergencies.models import (
    DeadlineKind,
    Incident,
    IncidentCategory,
    IncidentGrade,
    IncidentReport,
    IncidentStatus,
    LearnedVia,
    PhoneReport,
    ReportKind,
)
from xinbao.emergencies.selectors import (
    can_register_for_unit,
    can_take_phone_report,
    can_write_report,
    handling_office,
    office_receivers,
    rule_for,
)
from xinbao.emergencies.services.deadlines import (
    deadline_meet,
    deadlines_cancel_open,
    deadlines_start,
    follow_up_next,
)
from xinbao.notifications.services import notify
from xinbao.reports.models import ReportType
from xinbao.reports.services import report_create, report_submit

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit

#: A clock a few seconds ahead of the server is not "the future"; a time a minute ahead is.
FUTURE_TOLERANCE = timedelta(seconds=60)


@dataclass(frozen=True)
class Casualties:
    deaths: int = 0
    injured: int = 0
    missing: int = 0
    trapped: int = 0
    direct_loss: Decimal | str | int | float = 0


@dataclass(frozen=True)
class PhoneCall:
    received_at: datetime
    caller: str
    caller_phone: str
    summary: str


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def _check_time(value: datetime | None, field: str, label: str, now: datetime) -> datetime:
    if value is None:
        raise ValidationFailed(_("请填写%(label)s") % {"label": label}, field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + FUTURE_TOLERANCE:
        raise ValidationFailed(_("%(label)s不能晚于当前时间") % {"label": label}, field=field)
    return _minute(value)


def _check_casualties(c: Casualties) -> dict[str, object]:
    out: dict[str, object] = {}
    labels = {
        "deaths": _("死亡人数"),
        "injured": _("受伤人数"),
        "missing": _("失踪人数"),
        "trapped": _("被困人数"),
    }
    for name, label in labels.items():
        value = getattr(c, name)
        if not isinstance(value, int) or value < 0:
            raise ValidationFailed(_("%(label)s须为不小于0的整数") % {"label": label}, field=name)
        out[name] = value
    try:
        loss = Decimal(str(c.direct_loss or 0))
    except InvalidOperation as exc:
        raise ValidationFailed(_("直接经济损失须为数字（万元）"), field="direct_loss") from exc
    if loss < 0 or loss >= Decimal("10000000000"):
        raise ValidationFailed(_("直接经济损失须为不小于0的数字（万元）"), field="direct_loss")
    out["direct_loss"] = loss.quantize(Decimal("0.01"))
    return out


def _text(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("请填写%(label)s") % {"label": label}, field=field)
    if len(value) > limit:
        raise ValidationFailed(
            _("%(label)s不能超过%(limit)d个字") % {"label": label, "limit": limit}, field=field
        )
    return value


def _check_call(call: PhoneCall, *, occurred_at: datetime, now: datetime) -> PhoneCall:
    received = _check_time(call.received_at, "received_at", _("来电时间"), now)
    if received < occurred_at:
        raise ValidationFailed(_("来电时间不能早于事件发生时间"), field="received_at")
    return PhoneCall(
        received_at=received,
        caller=_text(call.caller, "caller", _("报告人"), 40),
        caller_phone=_text(call.caller_phone, "caller_phone", _("联系电话"), 30),
        summary=_text(call.summary, "phone_summary", _("报告内容"), 2000),
    )


@transaction.atomic
def incident_register(
    *,
    actor: User,
    unit: Unit,
    title: str,
    category: str,
    grade: str,
    occurred_at: datetime,
    learned_at: datetime,
    place: str,
    summary: str,
    casualties: Casualties = Casualties(),
    other_units: list[Unit] | None = None,
    phone: PhoneCall | None = None,
) -> Incident:
    """Register an incident and start its clocks.

    By a duty officer of a receiving office (taking a call, ``phone`` given; the office is the actor's) or by the
    unit's own informant or signer (the office is the unit's main-channel party office). Learned-at may not be
    before occurred-at, neither may lie in the future, and the grade must be one of the four legal grades."""
    now = timezone.now()
    if grade not in IncidentGrade.values:
        raise ValidationFailed(_("事件等级无效：须为特别重大、重大、较大或一般"), field="grade")
    if category not in IncidentCategory.values:
        raise ValidationFailed(
            _("事件类别无效：须为自然灾害、事故灾难、公共卫生事件或社会安全事件"), field="category"
        )
    occurred = _check_time(occurred_at, "occurred_at", _("发生时间"), now)
    learned = _check_time(learned_at, "learned_at", _("获悉时间"), now)
    if learned < occurred:
        raise ValidationFailed(_("获悉时间不能早于发生时间"), field="learned_at")
    title = _text(title, "title", _("事件名称"), 80)
    place = _text(place, "place", _("发生地点"), 120)
    summary = _text(summary, "summary", _("简要情况"), 5000)
    numbers = _check_casualties(casualties)
    if can_take_phone_report(actor, unit):
        office = actor.unit
        via = LearnedVia.PHONE if phone is not None else LearnedVia.ELSEWHERE
    elif can_register_for_unit(actor, unit):
        office = handling_office(unit)
        via = LearnedVia.UNIT
        if phone is not None:
            raise NotPermitted(_("只有接报单位的值班员可以登记电话报告"))
    else:
        raise NotPermitted(_("只有接报单位的值班员或事发单位的信息员、审签人可以登记突发事件"))
    if office is None:
        raise ValidationFailed(
            _("%(unit)s没有接报单位，请联系系统管理员") % {"unit": unit.name}, field="unit"
        )
    if phone is not None:
        phone = _check_call(phone, occurred_at=occurred, now=now)
    incident = Incident.objects.create(
        unit=unit,
        office=office,
        title=title,
        category=category,
        grade=grade,
        occurred_at=occurred,
        learned_at=learned,
        learned_via=via,
        place=place,
        summary=summary,
        registered_by=actor,
        # The rule in force now is the one this incident is judged by, to its 终报 (see Incident.rule).
        rule=rule_to_data(rule_for(office.pk, grade)),
        **numbers,
    )
    if other_units:
        incident.other_units.set([u for u in other_units if u.pk != unit.pk])
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=incident,
        detail={"to": IncidentStatus.OPEN, "grade": grade, "via": via},
    )
    deadlines_start(incident)
    if phone is not None:
        _phone_add(actor, incident, phone)
    return incident


def _phone_add(actor: User, incident: Incident, call: PhoneCall) -> PhoneReport:
    record = PhoneReport.objects.create(
        incident=incident,
        received_at=call.received_at,
        caller=call.caller,
        caller_phone=call.caller_phone,
        summary=call.summary,
        taken_by=actor,
    )
    deadline_meet(incident=incident, kind=DeadlineKind.PHONE, at=call.received_at)
    # The call is also a line of the duty room's 值班记录, as a duty officer writes it in the log book by the phone.
    # The office is the taker's (a city duty room may take a county unit's call), not necessarily the incident's.
    assert actor.unit is not None  # can_take_phone_report: a receiving office's duty officer
    log_entry_from_call(
        actor=actor,
        office=actor.unit,
        at=call.received_at,
        caller=call.caller,
        caller_phone=call.caller_phone,
        subject=_("%(unit)s“%(incident)s”")
        % {"unit": incident.unit.display_name, "incident": incident.title},
        summary=call.summary,
        link=reverse("emergencies:detail", args=[incident.pk]),
    )
    audit_record(
        event_type=EventType.STATE_CHANGE, actor=actor, obj=incident, detail={"phone_report": record.pk}
    )
    return record


def incident_lock(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().select_related("unit", "office").get(pk=incident.pk)


@transaction.atomic
def phone_report_register(*, actor: User, incident: Incident, call: PhoneCall) -> PhoneReport:
    """A further phone report on a known incident (the first one usually comes with ``incident_register``)."""
    incident = incident_lock(incident)
    if not can_take_phone_report(actor, incident.unit):
        raise NotPermitted(_("只有接报单位的值班员可以登记电话报告"))
    if not incident.is_open:
        raise ValidationFailed(_("事件已终报，不能再登记电话报告"))
    call = _check_call(call, occurred_at=incident.occurred_at, now=timezone.now())
    return _phone_add(actor, incident, call)


def follow_up_label(number: int) -> str:
    """续报一、续报二… (cn2an turns 12 into 十二)."""
    return _("续报%(n)s") % {"n": cn2an.an2cn(number)}


def _written_label(kind: str, number: int) -> str:
    if kind == ReportKind.FOLLOW_UP:
        return follow_up_label(number)
    return str(ReportKind(kind).label)


@transaction.atomic
def incident_report_submit(
    *,
    actor: User,
    incident: Incident,
    kind: str,
    body: str,
    title: str = "",
    casualties: Casualties | None = None,
    key: str = "",
) -> IncidentReport:
    """The unit's written 首报/续报/终报: an emergency item sent at once, the matching deadline met (late when past
    due), the next 续报 scheduled, and on 终报 the incident closed. 续报 and 终报 need a 首报 first; the casualty
    figures, when given, replace the incident's (they grow as the count goes on)."""
    incident = incident_lock(incident)
    if not can_write_report(actor, incident):
        raise NotPermitted(_("只有事发单位的信息员可以报送书面报告"))
    if key and (done := incident.written_reports.filter(report__submit_key=key[:64]).first()):
        return done  # a repeated click or retried request is one report
    if not incident.is_open:
        raise ValidationFailed(_("事件已终报，不能再报送"), field="kind")
    if kind not in ReportKind.values:
        raise ValidationFailed(_("报告类别无效：须为首报、续报或终报"), field="kind")
    existing = list(incident.written_reports.all())
    has_first = any(r.kind == ReportKind.FIRST for r in existing)
    if kind == ReportKind.FIRST and has_first:
        raise ValidationFailed(_("该事件已有首报，请报送续报或终报"), field="kind")
    if kind != ReportKind.FIRST and not has_first:
        raise ValidationFailed(_("请先报送首报"), field="kind")
    number = 0
    if kind == ReportKind.FOLLOW_UP:
        number = 1 + sum(1 for r in existing if r.kind == ReportKind.FOLLOW_UP)
    label = _written_label(kind, number)
    title = (title or "").strip() or _("【%(label)s】%(title)s") % {"label": label, "title": incident.title}
    if casualties is not None:
        for name, value in _check_casualties(casualties).items():
            setattr(incident, name, value)
    report = report_create(actor=actor, title=title[:60], body=body, report_type=ReportType.EMERGENCY)
    report = report_submit(actor=actor, report=report, key=key)
    at = report.submitted_at or timezone.now()
    written = IncidentReport.objects.create(
        incident=incident, report=report, kind=kind, number=number, submitted_at=at
    )
    if kind == ReportKind.FIRST:
        deadline_meet(incident=incident, kind=DeadlineKind.FIRST, at=at)
        # A written 首报 also answers the phone clock if nobody called (it is the fuller report).
        deadline_meet(incident=incident, kind=DeadlineKind.PHONE, at=at)
        follow_up_next(incident=incident, after_due=None, first_report_at=at)
    elif kind == ReportKind.FOLLOW_UP:
        met = deadline_meet(incident=incident, kind=DeadlineKind.FOLLOW_UP, at=at)
        if met is not None:
            follow_up_next(incident=incident, after_due=met.due_at, first_report_at=None)
    else:
        deadline_meet(incident=incident, kind=DeadlineKind.FOLLOW_UP, at=at)
        deadlines_cancel_open(incident)
        incident.status = IncidentStatus.CLOSED
        incident.closed_at = at
    incident.save()
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=incident,
        detail={"written": kind, "number": number, "report": report.pk, "status": incident.status},
    )
    offices = [*report.submissions.values_list("office_id", flat=True), incident.office_id]
    notify(
        recipients=office_receivers(sorted(set(offices))),
        kind="emergency_report",
        title=_("【紧急信息·%(label)s】%(unit)s：%(title)s")
        % {"label": label, "unit": incident.unit.display_name, "title": incident.title},
        body=(body or "")[:200],
        url=reverse("emergencies:detail", args=[incident.pk]),
    )
    return written


def written_label(written: IncidentReport) -> str:
    return _written_label(written.kind, written.number)
