"""/api/v1 endpoints for incidents, their reports and deadlines (issue 5 item 7).

Reads go through emergencies.selectors (an incident the caller may not see is 404); writes through the services
(403 for a visible incident the caller may not act on, 400 with the Chinese reason for bad input)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status

from xinbao.api.pagination import Page, PageParams, paginate
from xinbao.api.schemas import READ_ERRORS, WRITE_ERRORS
from xinbao.common.errors import NotFound
from xinbao.emergencies.schemas import (
    AnswerIn,
    CasualtiesIn,
    DeadlineFilters,
    DeadlineOut,
    IncidentDetailOut,
    IncidentFilters,
    IncidentIn,
    IncidentOut,
    IssueIn,
    IssueOut,
    PhoneIn,
    PhoneOut,
    WrittenIn,
    WrittenOut,
)
from xinbao.emergencies.selectors import (
    deadline_list_visible_to,
    incident_detail,
    incident_get_visible,
    incident_list_visible_to,
    reporting_issue_get_visible,
)
from xinbao.emergencies.services import (
    Casualties,
    PhoneCall,
    incident_register,
    incident_report_submit,
    phone_report_register,
    reporting_issue_answer,
    reporting_issue_record,
)
from xinbao.orgs.selectors import unit_get_visible

router = Router(tags=[gettext_lazy("紧急信息")])


def _casualties(c: CasualtiesIn) -> Casualties:
    return Casualties(
        deaths=c.deaths, injured=c.injured, missing=c.missing, trapped=c.trapped, direct_loss=c.direct_loss
    )


def _call(p: PhoneIn) -> PhoneCall:
    return PhoneCall(
        received_at=p.received_at, caller=p.caller, caller_phone=p.caller_phone, summary=p.summary
    )


@router.get(
    "/incidents", response={200: Page[IncidentOut], **READ_ERRORS}, summary=gettext_lazy("突发事件列表")
)
def list_incidents(request: HttpRequest, filters: Query[IncidentFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    return paginate(
        incident_list_visible_to(user=request.auth, filters=filters.dict(exclude_none=True)), paging
    )


@router.get(
    "/incidents/{incident_id}",
    response={200: IncidentDetailOut, **READ_ERRORS},
    summary=gettext_lazy("突发事件详情（含电话报告、书面报告、报送时限）"),
)
def get_incident(request: HttpRequest, incident_id: int):  # type: ignore[no-untyped-def]
    return incident_detail(user=request.auth, pk=incident_id)


@router.post(
    "/incidents",
    response={201: IncidentDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("登记突发事件（值班员可同时登记电话报告）并开始计时"),
)
def create_incident(request: HttpRequest, payload: IncidentIn):  # type: ignore[no-untyped-def]
    try:
        unit = unit_get_visible(user=request.auth, pk=payload.unit_id)
        others = [unit_get_visible(user=request.auth, pk=pk) for pk in payload.other_unit_ids]
    except NotFound as exc:
        raise NotFound(_("单位不存在或无权查看"), field="unit_id") from exc
    incident = incident_register(
        actor=request.auth,
        unit=unit,
        title=payload.title,
        category=payload.category,
        grade=payload.grade,
        occurred_at=payload.occurred_at,
        learned_at=payload.learned_at,
        place=payload.place,
        summary=payload.summary,
        casualties=_casualties(payload.casualties),
        other_units=others,
        phone=_call(payload.phone) if payload.phone else None,
    )
    return Status(201, incident_detail(user=request.auth, pk=incident.pk))


@router.post(
    "/incidents/{incident_id}/phone-reports",
    response={201: PhoneOut, **WRITE_ERRORS},
    summary=gettext_lazy("登记电话报告"),
)
def add_phone_report(request: HttpRequest, incident_id: int, payload: PhoneIn):  # type: ignore[no-untyped-def]
    incident = incident_get_visible(user=request.auth, pk=incident_id)
    return Status(201, phone_report_register(actor=request.auth, incident=incident, call=_call(payload)))


@router.get(
    "/incidents/{incident_id}/reports",
    response={200: list[WrittenOut], **READ_ERRORS},
    summary=gettext_lazy("书面报告（首报、续报、终报）"),
)
def list_written(request: HttpRequest, incident_id: int):  # type: ignore[no-untyped-def]
    incident = incident_get_visible(user=request.auth, pk=incident_id)
    return list(incident.written_reports.select_related("report").order_by("submitted_at", "id"))


@router.post(
    "/incidents/{incident_id}/reports",
    response={201: WrittenOut, **WRITE_ERRORS},
    summary=gettext_lazy("报送首报、续报或终报（紧急信息，立即报出；终报结束事件）"),
)
def add_written(request: HttpRequest, incident_id: int, payload: WrittenIn):  # type: ignore[no-untyped-def]
    incident = incident_get_visible(user=request.auth, pk=incident_id)
    written = incident_report_submit(
        actor=request.auth,
        incident=incident,
        kind=payload.kind,
        body=payload.body,
        title=payload.title,
        casualties=_casualties(payload.casualties) if payload.casualties else None,
        key=payload.key,
    )
    return Status(201, written)


@router.get("/deadlines", response={200: Page[DeadlineOut], **READ_ERRORS}, summary=gettext_lazy("报送时限"))
def list_deadlines(request: HttpRequest, filters: Query[DeadlineFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    return paginate(
        deadline_list_visible_to(user=request.auth, filters=filters.dict(exclude_none=True)), paging
    )


@router.post(
    "/incidents/{incident_id}/issues",
    response={201: IssueOut, **WRITE_ERRORS},
    summary=gettext_lazy("记录漏报或瞒报（接报单位信息科，写明获悉渠道、时间和事实依据）"),
)
def add_issue(request: HttpRequest, incident_id: int, payload: IssueIn):  # type: ignore[no-untyped-def]
    incident = incident_get_visible(user=request.auth, pk=incident_id)
    issue = reporting_issue_record(
        actor=request.auth,
        incident=incident,
        kind=payload.kind,
        source=payload.source,
        learned_at=payload.learned_at,
        evidence=payload.evidence,
    )
    return Status(201, issue)


@router.post(
    "/incidents/{incident_id}/issues/{issue_id}/answer",
    response={200: IssueOut, **WRITE_ERRORS},
    summary=gettext_lazy("被记录单位对漏报或瞒报作出说明"),
)
def answer_issue(request: HttpRequest, incident_id: int, issue_id: int, payload: AnswerIn):  # type: ignore[no-untyped-def]
    issue = reporting_issue_get_visible(user=request.auth, incident_pk=incident_id, pk=issue_id)
    return reporting_issue_answer(actor=request.auth, issue=issue, answer=payload.answer)
