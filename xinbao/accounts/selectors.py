"""Reads of people: who may see whom is decided here, on top of the organisation scope in orgs.selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, CharField, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.models import ADMIN_ROLES, BUSINESS_ROLES, ApiToken, Role, RoleAssignment, User
from xinbao.common.errors import NotFound
from xinbao.orgs.models import InformantRecord, Unit, UnitKind
from xinbao.orgs.selectors import (
    can_manage_person,
    has_region_wide_view,
    in_scope,
    informant_list_visible_to,
    scope_root,
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _as_bool(value: Any) -> bool | None:
    """Filters arrive as booleans from code and as strings from query strings; "" means no filter."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


class _JoinedCodes(Aggregate):
    """The values of a column joined by commas: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def request_person_annotations(user_ref: str = "pk") -> dict[str, Any]:
    """What every request asks of the signed-in person besides the row: the role codes (joined) and whether a
    confirmed TOTP device is bound, as annotations on a query whose ``user_ref`` column is the person's id.
    ``User.role_set`` and the security gate read them instead of querying (accounts/backends.py)."""
    roles = (
        RoleAssignment.objects.filter(user=OuterRef(user_ref))
        .order_by()
        .values("user")
        .annotate(codes=_JoinedCodes("role"))
        .values("codes")
    )
    return {
        "role_codes": Subquery(roles),
        "otp_bound": Exists(TOTPDevice.objects.filter(user=OuterRef(user_ref), confirmed=True)),
    }


def person_for_request(*, pk: Any) -> User | None:
    """The signed-in person with unit, role codes and TOTP flag in one query."""
    return User.objects.select_related("unit").annotate(**request_person_annotations()).filter(pk=pk).first()


def person_list_visible_to(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[User]:
    """Filters: q (姓名 contains / 用户名 or 手机 starts with), unit (id), unit_name (contains), role, active."""
    root = scope_root(user)
    if root is None:
        return User.objects.none()
    if has_region_wide_view(user):
        qs = User.objects.filter(unit__path__startswith=root.path)
    else:
        qs = User.objects.filter(unit=user.unit)
    filters = filters or {}
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(full_name__contains=q) | Q(username__istartswith=q) | Q(phone__startswith=q))
    if unit := filters.get("unit"):
        qs = qs.filter(unit_id=unit)
    if unit_name := (filters.get("unit_name") or "").strip():
        qs = qs.filter(Q(unit__name__contains=unit_name) | Q(unit__short_name__contains=unit_name))
    if role := filters.get("role"):
        qs = qs.filter(role_assignments__role=role)
    active = _as_bool(filters.get("active"))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.select_related("unit").prefetch_related("role_assignments").order_by("unit__path", "username")


def person_get_visible(*, user: User, pk: int | str) -> User:
    try:
        return person_list_visible_to(user=user).get(pk=pk)
    except (User.DoesNotExist, ValueError) as exc:
        raise NotFound(_("人员不存在或无权查看")) from exc


def person_informant_records(*, user: User, person: User) -> QuerySet[InformantRecord]:
    """The person's informant registrations (信息员备案) that ``user`` may see, newest first."""
    return informant_list_visible_to(user=user).filter(person=person).order_by("-start_date", "-id")


# --- Permission decisions for writes ----------------------------------------------------------------------------


def can_manage_account(actor: User, person: User) -> bool:
    """May ``actor`` edit, (de)activate or reset the password of ``person``?

    The organisation rule (system admin in scope, unit admin of the person's unit) applies, except that an account
    holding one of the three admin roles is managed only by a system admin: a unit admin must not be able to take
    over or switch off the security or audit admin of his unit (三员分立).
    """
    if person.unit is None or not can_manage_person(actor, person.unit):
        return False
    return not person.admin_roles or actor.has_role(Role.SYSTEM_ADMIN)


def can_create_person(user: User) -> bool:
    return user.has_role(Role.SYSTEM_ADMIN, Role.UNIT_ADMIN) and scope_root(user) is not None


def units_for_person_management(*, user: User) -> QuerySet[Unit]:
    """Units in which ``user`` may create people or into which he may move them (a system admin: every active
    non-region unit of his region; a unit admin: his own unit)."""
    root = scope_root(user)
    if root is None:
        return Unit.objects.none()
    qs = Unit.objects.filter(is_active=True).exclude(kind=UnitKind.REGION)
    if user.has_role(Role.SYSTEM_ADMIN):
        return qs.filter(path__startswith=root.path).order_by("path")
    if user.has_role(Role.UNIT_ADMIN) and user.unit_id:
        return qs.filter(pk=user.unit_id)
    return Unit.objects.none()


def role_grant_allowed(actor: User, target: User, role: str) -> str | None:
    """None when ``actor`` may grant (or revoke) ``role`` for ``target``; otherwise the Chinese reason for refusing.

    - Nobody grants a role to himself (the system admin included: PRODUCT 4).
    - The security admin grants every role within his region, except the security admin role itself, which the
      system admin grants: each of the two watches the other.
    - A unit admin grants business roles (not unit admin) to people of his own unit.
    """
    if role not in Role.values:
        return _("角色“%(role)s”无效") % {"role": role}
    if target.pk == actor.pk:
        return _("不能给自己授予或撤销角色")
    if target.unit is None or not in_scope(actor, target.unit):
        return _("该人员不在您的管辖范围内")
    if role == Role.SECURITY_ADMIN:
        return None if actor.has_role(Role.SYSTEM_ADMIN) else _("安全管理员角色只能由系统管理员授予")
    if actor.has_role(Role.SECURITY_ADMIN):
        return None
    same_unit_admin = actor.has_role(Role.UNIT_ADMIN) and actor.unit_id == target.unit_id
    if same_unit_admin and role in BUSINESS_ROLES - {Role.UNIT_ADMIN}:
        return None
    if same_unit_admin:
        return _("单位管理员只能授予本单位人员业务角色（单位管理员及三员角色由安全管理员授予）")
    if actor.has_role(Role.SYSTEM_ADMIN):
        return _("三员分立：系统管理员只能授予安全管理员角色，其他角色由安全管理员授予")
    return _("您没有授予该角色的权限")


def three_admin_conflict(target: User, role: str, held: set[str] | frozenset[str]) -> str | None:
    """三员分立: the reason ``target`` may not take ``role`` on top of the roles he ``held``, or None."""
    if role in ADMIN_ROLES and held & ADMIN_ROLES:
        names = pgettext("list separator", "、").join(str(Role(r).label) for r in sorted(held & ADMIN_ROLES))
        return _("三员分立：%(name)s已是%(roles)s，不能再兼任%(role)s") % {
            "name": target.full_name,
            "roles": names,
            "role": Role(role).label,
        }
    return None


@dataclass(frozen=True)
class RoleOption:
    role: str
    label: str
    held: bool
    #: None when the actor may grant (not held) or revoke (held) this role for the person; else the reason.
    refusal: str | None

    @property
    def allowed(self) -> bool:
        return self.refusal is None


def role_options_for(*, actor: User, person: User) -> list[RoleOption]:
    """Every role with what ``actor`` may do about it for ``person`` and, where he may not, why (in Chinese)."""
    held = set(person.role_set)
    options = []
    for value, label in Role.choices:
        refusal = role_grant_allowed(actor, person, value)
        if refusal is None and value not in held:
            refusal = three_admin_conflict(person, value, held)
        options.append(RoleOption(value, str(label), value in held, refusal))
    return options


def can_see_role_page(*, actor: User, person: User) -> bool:
    return any(option.allowed for option in role_options_for(actor=actor, person=person))


def can_reset_otp(actor: User, person: User) -> bool:
    return (
        actor.pk != person.pk
        and actor.has_role(Role.SECURITY_ADMIN)
        and person.unit is not None
        and in_scope(actor, person.unit)
    )


def token_list_for(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def token_get_own(*, user: User, pk: int | str) -> ApiToken:
    try:
        return token_list_for(user=user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError) as exc:
        raise NotFound(_("令牌不存在")) from exc
