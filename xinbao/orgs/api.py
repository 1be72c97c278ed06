"""/api/v1 endpoints for units and the informant registry (信息员备案). Reads go through orgs.selectors (so
another county's objects are 404 like missing ones), writes through orgs.services (403 without permission)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from xinbao.accounts.selectors import person_get_visible
from xinbao.api.pagination import Page, PageParams, paginate
from xinbao.api.schemas import READ_ERRORS, WRITE_ERRORS, reject_nulls
from xinbao.common.errors import NotFound
from xinbao.orgs.models import InformantKind, InformantRecord, Level, Unit, UnitKind
from xinbao.orgs.selectors import (
    informant_get_visible,
    informant_list_visible_to,
    unit_get_visible,
    unit_list_visible_to,
    unit_report_targets,
)
from xinbao.orgs.services import (
    informant_change_kind,
    informant_end,
    informant_register,
    unit_create,
    unit_update,
)

router = Router(tags=[gettext_lazy("组织机构")])

LevelValue = Literal[tuple(Level.values)]  # type: ignore[valid-type]
KindValue = Literal[tuple(UnitKind.values)]  # type: ignore[valid-type]
InformantKindValue = Literal[tuple(InformantKind.values)]  # type: ignore[valid-type]


def _referenced_unit(request: HttpRequest, pk: int, field: str, label: str) -> Unit:
    try:
        return unit_get_visible(user=request.auth, pk=pk)
    except NotFound as exc:
        raise NotFound(_("%(label)s不存在或无权查看") % {"label": label}, field=field) from exc


# --- Units ------------------------------------------------------------------------------------------------------


class UnitBrief(Schema):
    id: int
    code: str
    name: str
    level: str
    kind: str
    is_receiving_office: bool


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    level: str
    level_label: str
    kind: str
    kind_label: str
    parent_id: int | None
    parent_name: str | None
    path: str
    depth: int
    is_receiving_office: bool
    is_active: bool
    sort_order: int
    phone: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_level_label(obj: Unit) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent_name(obj: Unit) -> str | None:
        return obj.parent.name if obj.parent_id else None


class UnitFilters(Schema):
    q: str | None = Field(None, description=gettext_lazy("名称、简称包含，或编码开头"))
    level: LevelValue | None = None
    kind: KindValue | None = None
    parent: int | None = Field(None, description=gettext_lazy("上级单位ID"))
    receiving_office: bool | None = Field(None, description=gettext_lazy("是否接收单位"))
    active: bool | None = Field(None, description=gettext_lazy("是否启用"))


class UnitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(..., max_length=32, description=gettext_lazy("单位编码，全局唯一"))
    name: str = Field(..., max_length=100)
    short_name: str = Field("", max_length=40)
    level: LevelValue
    kind: KindValue
    parent: int = Field(..., description=gettext_lazy("上级行政区节点的ID"))
    is_receiving_office: bool = False
    is_active: bool = True
    sort_order: int = 0
    phone: str = Field("", max_length=40)


class UnitPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=100)
    short_name: str | None = Field(None, max_length=40)
    level: LevelValue | None = None
    kind: KindValue | None = None
    parent: int | None = Field(None, description=gettext_lazy("移动到该上级行政区节点下"))
    is_receiving_office: bool | None = None
    is_active: bool | None = None
    sort_order: int | None = None
    phone: str | None = Field(None, max_length=40)


#: Field names in error messages; lazy so that each request gets its own language.
UNIT_LABELS = {
    "code": gettext_lazy("单位编码"),
    "name": gettext_lazy("单位名称"),
    "short_name": gettext_lazy("简称（可为空字符串）"),
    "level": gettext_lazy("层级"),
    "kind": gettext_lazy("类型"),
    "parent": gettext_lazy("上级单位"),
    "is_receiving_office": gettext_lazy("接收单位标志"),
    "is_active": gettext_lazy("启用标志"),
    "sort_order": gettext_lazy("排序"),
    "phone": gettext_lazy("联系电话（可为空字符串）"),
}


class ReportTargetsOut(Schema):
    main: list[UnitBrief] = Field(..., description=gettext_lazy("主渠道：本级接收单位"))
    direct: list[UnitBrief] = Field(..., description=gettext_lazy("信息直报点可直报的上级接收单位"))
    copy_to: list[UnitBrief] = Field(..., alias="copy", description=gettext_lazy("直报时抄送的主渠道单位"))


@router.get(
    "/units",
    response={200: Page[UnitOut], **READ_ERRORS},
    summary=gettext_lazy("单位列表"),
    tags=[gettext_lazy("单位")],
)
def list_units(request: HttpRequest, filters: Query[UnitFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    qs = unit_list_visible_to(user=request.auth, filters=filters.dict(exclude_none=True))
    return paginate(qs, paging)


@router.get(
    "/units/{unit_id}",
    response={200: UnitOut, **READ_ERRORS},
    summary=gettext_lazy("单位详情"),
    tags=[gettext_lazy("单位")],
)
def get_unit(request: HttpRequest, unit_id: int):  # type: ignore[no-untyped-def]
    return unit_get_visible(user=request.auth, pk=unit_id)


@router.post(
    "/units",
    response={201: UnitOut, **WRITE_ERRORS},
    summary=gettext_lazy("新建单位"),
    tags=[gettext_lazy("单位")],
)
def create_unit(request: HttpRequest, payload: UnitIn):  # type: ignore[no-untyped-def]
    parent = _referenced_unit(request, payload.parent, "parent", _("上级单位"))
    unit = unit_create(actor=request.auth, parent=parent, **payload.dict(exclude={"parent"}))
    return Status(201, unit)


@router.patch(
    "/units/{unit_id}",
    response={200: UnitOut, **WRITE_ERRORS},
    summary=gettext_lazy("修改单位"),
    tags=[gettext_lazy("单位")],
)
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch):  # type: ignore[no-untyped-def]
    unit = unit_get_visible(user=request.auth, pk=unit_id)
    data = payload.dict(exclude_unset=True)
    reject_nulls(data, UNIT_LABELS)
    parent = (
        _referenced_unit(request, data.pop("parent"), "parent", _("上级单位")) if "parent" in data else None
    )
    unit = unit_update(actor=request.auth, unit=unit, parent=parent, **data)
    return unit_get_visible(user=request.auth, pk=unit.pk)


@router.get(
    "/units/{unit_id}/report-targets",
    response={200: ReportTargetsOut, **READ_ERRORS},
    by_alias=True,
    summary=gettext_lazy("报送目标（主渠道、直报、抄送）"),
    tags=[gettext_lazy("单位")],
)
def report_targets(request: HttpRequest, unit_id: int):  # type: ignore[no-untyped-def]
    unit = unit_get_visible(user=request.auth, pk=unit_id)
    return unit_report_targets(unit)


# --- Informant registry -------------------------------------------------------------------------------------------


class InformantChangeOut(Schema):
    action: str
    action_label: str
    effective_date: date
    reason: str
    detail: str
    filed_by: str
    created_at: datetime

    @staticmethod
    def resolve_action_label(obj) -> str:  # type: ignore[no-untyped-def]
        return str(obj.get_action_display())

    @staticmethod
    def resolve_filed_by(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.filed_by.full_name or obj.filed_by.username


class InformantOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    person_id: int
    person_name: str
    person_username: str
    kind: str
    kind_label: str
    start_date: date
    start_reason: str
    end_date: date | None
    end_reason: str
    is_current: bool
    filed_by: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_unit_name(obj: InformantRecord) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_person_name(obj: InformantRecord) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_person_username(obj: InformantRecord) -> str:
        return obj.person.username

    @staticmethod
    def resolve_kind_label(obj: InformantRecord) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_filed_by(obj: InformantRecord) -> str:
        return obj.filed_by.full_name or obj.filed_by.username


class InformantDetailOut(InformantOut):
    changes: list[InformantChangeOut]

    @staticmethod
    def resolve_changes(obj: InformantRecord) -> list:
        return list(obj.changes.select_related("filed_by").order_by("created_at", "id"))


class InformantFilters(Schema):
    unit: int | None = Field(None, description=gettext_lazy("单位ID"))
    current: bool | None = Field(None, description=gettext_lazy("true：在册；false：已终止"))
    kind: InformantKindValue | None = None
    q: str | None = Field(None, description=gettext_lazy("姓名或单位名称包含"))


class InformantIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit: int
    person: int
    kind: InformantKindValue
    start_date: date | None = Field(None, description=gettext_lazy("备案日期，默认今天"))
    reason: str = Field(..., max_length=200, description=gettext_lazy("备案事由"))


class InformantEndIn(Schema):
    model_config = ConfigDict(extra="forbid")

    end_date: date | None = Field(None, description=gettext_lazy("终止日期，默认今天"))
    reason: str = Field(..., max_length=200, description=gettext_lazy("终止事由"))


class InformantKindIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: InformantKindValue
    effective_date: date | None = Field(None, description=gettext_lazy("生效日期，默认今天"))
    reason: str = Field(..., max_length=200, description=gettext_lazy("变更事由"))


@router.get(
    "/informants",
    response={200: Page[InformantOut], **READ_ERRORS},
    summary=gettext_lazy("信息员备案列表"),
    tags=[gettext_lazy("信息员备案")],
)
def list_informants(request: HttpRequest, filters: Query[InformantFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    qs = informant_list_visible_to(user=request.auth, filters=filters.dict(exclude_none=True))
    return paginate(qs, paging)


@router.get(
    "/informants/{record_id}",
    response={200: InformantDetailOut, **READ_ERRORS},
    summary=gettext_lazy("信息员备案详情（含变更历史）"),
    tags=[gettext_lazy("信息员备案")],
)
def get_informant(request: HttpRequest, record_id: int):  # type: ignore[no-untyped-def]
    return informant_get_visible(user=request.auth, pk=record_id)


@router.post(
    "/informants",
    response={201: InformantDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("信息员备案"),
    tags=[gettext_lazy("信息员备案")],
)
def register_informant(request: HttpRequest, payload: InformantIn):  # type: ignore[no-untyped-def]
    unit = _referenced_unit(request, payload.unit, "unit", _("单位"))
    try:
        person = person_get_visible(user=request.auth, pk=payload.person)
    except NotFound as exc:
        raise NotFound(_("人员不存在或无权查看"), field="person") from exc
    record = informant_register(
        actor=request.auth,
        unit=unit,
        person=person,
        kind=payload.kind,
        start_date=payload.start_date or timezone.localdate(),
        reason=payload.reason,
    )
    return Status(201, informant_get_visible(user=request.auth, pk=record.pk))


@router.post(
    "/informants/{record_id}/end",
    response={200: InformantDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("终止信息员备案"),
    tags=[gettext_lazy("信息员备案")],
)
def end_informant(request: HttpRequest, record_id: int, payload: InformantEndIn):  # type: ignore[no-untyped-def]
    record = informant_get_visible(user=request.auth, pk=record_id)
    informant_end(
        actor=request.auth,
        record=record,
        end_date=payload.end_date or timezone.localdate(),
        reason=payload.reason,
    )
    return informant_get_visible(user=request.auth, pk=record_id)


@router.post(
    "/informants/{record_id}/change-kind",
    response={200: InformantDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("变更信息员类型（专职/兼职）"),
    tags=[gettext_lazy("信息员备案")],
)
def change_informant_kind(request: HttpRequest, record_id: int, payload: InformantKindIn):  # type: ignore[no-untyped-def]
    record = informant_get_visible(user=request.auth, pk=record_id)
    informant_change_kind(
        actor=request.auth,
        record=record,
        kind=payload.kind,
        effective_date=payload.effective_date or timezone.localdate(),
        reason=payload.reason,
    )
    return informant_get_visible(user=request.auth, pk=record_id)
