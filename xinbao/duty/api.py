"""/api/v1/duty/…: rosters, coverage gaps, who is on duty, the duty log and handovers (issue 5 item 7).

Every endpoint works on the caller's own receiving office; a line of another office is 404 exactly as a missing
one. Writes go through the services (403 when the caller may read but not edit)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status

from xinbao.api.pagination import Page, PageParams, paginate
from xinbao.api.schemas import READ_ERRORS, WRITE_ERRORS
from xinbao.common.errors import NotFound, ValidationFailed
from xinbao.duty.coverage import WINDOW_DAYS, coverage_gaps
from xinbao.duty.schemas import (
    CopyWeekIn,
    CopyWeekOut,
    GapOut,
    HandoverIn,
    HandoverOut,
    LogEntryIn,
    LogEntryOut,
    LogFilters,
    OnDutyOut,
    RosterEntryIn,
    RosterEntryOut,
    RosterEntryPatch,
    RosterFilters,
)
from xinbao.duty.selectors import (
    duty_colleagues,
    handover_get_visible,
    handover_list_visible_to,
    log_entry_get_visible,
    log_entry_list_visible_to,
    office_of,
    on_duty_at,
    roster_entry_get_visible,
    roster_entry_list_visible_to,
)
from xinbao.duty.services import (
    handover_acknowledge,
    handover_create,
    log_entry_record,
    roster_entry_create,
    roster_entry_delete,
    roster_entry_update,
    roster_week_copy,
)
from xinbao.orgs.models import Unit

router = Router(tags=[gettext_lazy("值班管理")])

#: A roster read spans at most this many days (a quarter), to keep one response small.
ROSTER_MAX_DAYS = 92


def _office(request: HttpRequest) -> Unit:
    office = office_of(request.auth)
    if office is None:
        raise NotFound(_("值班信息只对接收单位（党委办、政府办）的人员开放"))
    return office


def _colleague(office: Unit, pk: int | None, field: str):  # type: ignore[no-untyped-def]
    if pk is None:
        return None
    person = duty_colleagues(office).filter(pk=pk).first()
    if person is None:
        raise ValidationFailed(_("人员ID %(id)s 不是本单位在岗人员") % {"id": pk}, field=field)
    return person


@router.get(
    "/duty/roster", response={200: list[RosterEntryOut], **READ_ERRORS}, summary=gettext_lazy("排班列表")
)
def list_roster(request: HttpRequest, filters: Query[RosterFilters]):  # type: ignore[no-untyped-def]
    _office(request)
    start = filters.start or timezone.localdate()
    end = filters.end or start + timedelta(days=6)
    if end < start:
        raise ValidationFailed(_("结束日期不能早于开始日期"), field="end")
    if (end - start).days >= ROSTER_MAX_DAYS:
        raise ValidationFailed(_("一次最多查询%(n)d天的排班") % {"n": ROSTER_MAX_DAYS}, field="end")
    return list(roster_entry_list_visible_to(user=request.auth, start=start, end=end))


@router.get(
    "/duty/roster/{int:entry_id}",
    response={200: RosterEntryOut, **READ_ERRORS},
    summary=gettext_lazy("排班详情"),
)
def get_roster_entry(request: HttpRequest, entry_id: int):  # type: ignore[no-untyped-def]
    return roster_entry_get_visible(user=request.auth, pk=entry_id)


@router.post("/duty/roster", response={201: RosterEntryOut, **WRITE_ERRORS}, summary=gettext_lazy("新增排班"))
def create_roster_entry(request: HttpRequest, payload: RosterEntryIn):  # type: ignore[no-untyped-def]
    office = _office(request)
    entry = roster_entry_create(
        actor=request.auth,
        office=office,
        day=payload.day,
        shift_name=payload.shift_name,
        role=payload.role,
        name=payload.name,
        phone=payload.phone,
        person=_colleague(office, payload.person_id, "person_id"),
    )
    return Status(201, entry)


@router.patch(
    "/duty/roster/{int:entry_id}",
    response={200: RosterEntryOut, **WRITE_ERRORS},
    summary=gettext_lazy("修改排班人员"),
)
def update_roster_entry(request: HttpRequest, entry_id: int, payload: RosterEntryPatch):  # type: ignore[no-untyped-def]
    entry = roster_entry_get_visible(user=request.auth, pk=entry_id)
    return roster_entry_update(
        actor=request.auth,
        entry=entry,
        name=payload.name,
        phone=payload.phone,
        person=_colleague(entry.office, payload.person_id, "person_id"),
    )


@router.delete(
    "/duty/roster/{int:entry_id}", response={204: None, **WRITE_ERRORS}, summary=gettext_lazy("删除排班")
)
def delete_roster_entry(request: HttpRequest, entry_id: int):  # type: ignore[no-untyped-def]
    entry = roster_entry_get_visible(user=request.auth, pk=entry_id)
    roster_entry_delete(actor=request.auth, entry=entry)
    return Status(204, None)


@router.post(
    "/duty/roster/copy-week",
    response={201: CopyWeekOut, **WRITE_ERRORS},
    summary=gettext_lazy("复制一周排班"),
)
def copy_week(request: HttpRequest, payload: CopyWeekIn):  # type: ignore[no-untyped-def]
    office = _office(request)
    n = roster_week_copy(
        actor=request.auth,
        office=office,
        source=payload.source,
        target=payload.target,
        replace=payload.replace,
    )
    return Status(201, {"copied": n})


@router.get(
    "/duty/coverage", response={200: list[GapOut], **READ_ERRORS}, summary=gettext_lazy("未来30天值守缺口")
)
def coverage(request: HttpRequest):  # type: ignore[no-untyped-def]
    office = _office(request)
    return [
        {
            "role": g.role,
            "role_label": g.role_label,
            "start": g.start,
            "end": g.end,
            "hours": g.hours,
            "have": g.have,
            "need": g.need,
            "holidays": g.holidays,
        }
        for g in coverage_gaps(office=office, days=WINDOW_DAYS)
    ]


@router.get(
    "/duty/on-duty", response={200: OnDutyOut, **READ_ERRORS}, summary=gettext_lazy("某一时刻的在岗人员")
)
def on_duty(request: HttpRequest, at: datetime | None = None):  # type: ignore[no-untyped-def]
    office = _office(request)
    if at is not None and timezone.is_naive(at):
        raise ValidationFailed(_("时间须带时区，如2026-10-01T20:00:00+08:00"), field="at")
    result = on_duty_at(office=office, at=at or timezone.now())
    return {
        "at": result.at,
        "office_phone": result.office_phone,
        "covered": result.covered,
        "leaders": result.leaders,
        "staff": result.staff,
    }


@router.get(
    "/duty/log", response={200: Page[LogEntryOut], **READ_ERRORS}, summary=gettext_lazy("值班记录列表")
)
def list_log(request: HttpRequest, filters: Query[LogFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    _office(request)
    qs = log_entry_list_visible_to(user=request.auth, start=filters.start, end=filters.end, kind=filters.kind)
    return paginate(qs, paging)


@router.get(
    "/duty/log/{int:entry_id}",
    response={200: LogEntryOut, **READ_ERRORS},
    summary=gettext_lazy("值班记录详情"),
)
def get_log_entry(request: HttpRequest, entry_id: int):  # type: ignore[no-untyped-def]
    return log_entry_get_visible(user=request.auth, pk=entry_id)


@router.post(
    "/duty/log",
    response={201: LogEntryOut, **WRITE_ERRORS},
    summary=gettext_lazy("新增值班记录（更正请填 corrects_id，原记录不变）"),
)
def create_log_entry(request: HttpRequest, payload: LogEntryIn):  # type: ignore[no-untyped-def]
    office = _office(request)
    corrects = None
    if payload.corrects_id is not None:
        try:
            corrects = log_entry_get_visible(user=request.auth, pk=payload.corrects_id)
        except NotFound as exc:
            raise ValidationFailed(_("被更正的记录不存在"), field="corrects_id") from exc
    entry = log_entry_record(
        actor=request.auth,
        office=office,
        at=payload.at,
        kind=payload.kind,
        content=payload.content,
        corrects=corrects,
    )
    return Status(201, entry)


@router.get(
    "/duty/handovers", response={200: Page[HandoverOut], **READ_ERRORS}, summary=gettext_lazy("交接班列表")
)
def list_handovers(request: HttpRequest, paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    _office(request)
    return paginate(handover_list_visible_to(user=request.auth), paging)


@router.post("/duty/handovers", response={201: HandoverOut, **WRITE_ERRORS}, summary=gettext_lazy("交班"))
def create_handover(request: HttpRequest, payload: HandoverIn):  # type: ignore[no-untyped-def]
    office = _office(request)
    incoming = _colleague(office, payload.incoming_id, "incoming_id")
    handover = handover_create(
        actor=request.auth,
        office=office,
        from_shift=payload.from_shift,
        to_shift=payload.to_shift,
        incoming=incoming,
        outstanding=payload.outstanding,
    )
    return Status(201, handover)


@router.post(
    "/duty/handovers/{int:handover_id}/acknowledge",
    response={200: HandoverOut, **WRITE_ERRORS},
    summary=gettext_lazy("确认接班"),
)
def acknowledge_handover(request: HttpRequest, handover_id: int):  # type: ignore[no-untyped-def]
    handover = handover_get_visible(user=request.auth, pk=handover_id)
    return handover_acknowledge(actor=request.auth, handover=handover)
