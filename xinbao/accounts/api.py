"""/api/v1 endpoints for people (人员). Reads through accounts.selectors, writes through accounts.services."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from xinbao.accounts.models import Role, User
from xinbao.accounts.selectors import person_get_visible, person_list_visible_to
from xinbao.accounts.services import user_create, user_set_active, user_update
from xinbao.api.pagination import Page, PageParams, paginate
from xinbao.api.schemas import READ_ERRORS, WRITE_ERRORS, reject_nulls
from xinbao.common.errors import NotFound
from xinbao.orgs.models import Unit
from xinbao.orgs.selectors import unit_get_visible

router = Router(tags=[gettext_lazy("人员")])

RoleValue = Literal[tuple(Role.values)]  # type: ignore[valid-type]


def _referenced_unit(request: HttpRequest, pk: int) -> Unit:
    try:
        return unit_get_visible(user=request.auth, pk=pk)
    except NotFound as exc:
        raise NotFound(_("单位不存在或无权查看"), field="unit") from exc


class PersonOut(Schema):
    id: int
    username: str
    full_name: str
    unit_id: int | None
    unit_name: str | None
    title: str
    phone: str
    email: str
    is_active: bool
    roles: list[str]
    role_labels: list[str]
    last_login: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_unit_name(obj: User) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return [r for r in Role.values if r in obj.role_set]


class PersonFilters(Schema):
    q: str | None = Field(None, description=gettext_lazy("姓名包含，或用户名、手机号开头"))
    unit: int | None = Field(None, description=gettext_lazy("单位ID"))
    role: RoleValue | None = None
    active: bool | None = Field(None, description=gettext_lazy("账号是否启用"))


class PersonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(..., max_length=150)
    full_name: str = Field(..., max_length=40)
    unit: int = Field(..., description=gettext_lazy("所在单位ID"))
    password: str = Field(
        ..., description=gettext_lazy("初始密码；首次登录须修改"), json_schema_extra={"format": "password"}
    )
    phone: str = Field("", max_length=20)
    title: str = Field("", max_length=60)
    email: str = Field("", max_length=254)


class PersonPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(None, max_length=40)
    unit: int | None = Field(None, description=gettext_lazy("调入的单位ID"))
    phone: str | None = Field(None, max_length=20)
    title: str | None = Field(None, max_length=60)
    email: str | None = Field(None, max_length=254)
    is_active: bool | None = Field(None, description=gettext_lazy("false 停用账号，true 重新启用"))
    reason: str | None = Field(None, max_length=200, description=gettext_lazy("停用或启用的原因"))


#: Field names in error messages; lazy so that each request gets its own language.
PERSON_LABELS = {
    "full_name": gettext_lazy("姓名"),
    "unit": gettext_lazy("单位"),
    "phone": gettext_lazy("手机号（可为空字符串）"),
    "title": gettext_lazy("职务（可为空字符串）"),
    "email": gettext_lazy("电子邮箱（可为空字符串）"),
    "is_active": gettext_lazy("启用标志"),
    "reason": gettext_lazy("原因（可为空字符串）"),
}


@router.get("/people", response={200: Page[PersonOut], **READ_ERRORS}, summary=gettext_lazy("人员列表"))
def list_people(request: HttpRequest, filters: Query[PersonFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    qs = person_list_visible_to(user=request.auth, filters=filters.dict(exclude_none=True))
    return paginate(qs, paging)


@router.get("/people/{person_id}", response={200: PersonOut, **READ_ERRORS}, summary=gettext_lazy("人员详情"))
def get_person(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    return person_get_visible(user=request.auth, pk=person_id)


@router.post("/people", response={201: PersonOut, **WRITE_ERRORS}, summary=gettext_lazy("新建人员"))
def create_person(request: HttpRequest, payload: PersonIn):  # type: ignore[no-untyped-def]
    unit = _referenced_unit(request, payload.unit)
    person = user_create(actor=request.auth, unit=unit, **payload.dict(exclude={"unit"}))
    return Status(201, person_get_visible(user=request.auth, pk=person.pk))


@router.patch(
    "/people/{person_id}", response={200: PersonOut, **WRITE_ERRORS}, summary=gettext_lazy("修改人员")
)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch):  # type: ignore[no-untyped-def]
    person = person_get_visible(user=request.auth, pk=person_id)
    data = payload.dict(exclude_unset=True)
    reject_nulls(data, PERSON_LABELS)
    active = data.pop("is_active", None)
    reason = data.pop("reason", "")
    if "unit" in data:
        data["unit"] = _referenced_unit(request, data["unit"])
    # Both changes or neither: a refused deactivation must not leave the edited fields behind.
    with transaction.atomic():
        if data:
            person = user_update(actor=request.auth, person=person, **data)
        if active is not None:
            person = user_set_active(actor=request.auth, person=person, active=active, reason=reason)
    return person_get_visible(user=request.auth, pk=person.pk)
