"""Reads of people: who may see whom is decided here, on top of the organisation scope in orgs.selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from xinbao.accounts.models import ApiToken, User
from xinbao.common.errors import NotFound
from xinbao.orgs.selectors import has_region_wide_view, scope_root


def person_list_visible_to(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[User]:
    root = scope_root(user)
    if root is None:
        return User.objects.none()
    if has_region_wide_view(user):
        qs = User.objects.filter(unit__path__startswith=root.path)
    else:
        qs = User.objects.filter(unit_id=user.unit_id)
    filters = filters or {}
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(full_name__contains=q) | Q(username__startswith=q) | Q(phone__startswith=q))
    if unit := filters.get("unit"):
        qs = qs.filter(unit_id=unit)
    if role := filters.get("role"):
        qs = qs.filter(role_assignments__role=role)
    if filters.get("active") is not None:
        qs = qs.filter(is_active=bool(filters["active"]))
    return qs.select_related("unit").prefetch_related("role_assignments").order_by("unit__path", "username")


def person_get_visible(*, user: User, pk: int | str) -> User:
    try:
        return person_list_visible_to(user=user).get(pk=pk)
    except (User.DoesNotExist, ValueError) as exc:
        raise NotFound("人员不存在或无权查看") from exc


def token_list_for(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
