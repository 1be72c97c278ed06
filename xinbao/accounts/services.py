"""Writes to accounts: people, roles (三员分立), passwords and API tokens."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xinbao.accounts.models import ADMIN_ROLES, BUSINESS_ROLES, ApiToken, Role, RoleAssignment, User
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.orgs.models import Unit, UnitKind
from xinbao.orgs.selectors import can_manage_person, in_scope

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,150}$")
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def _validate_person_fields(*, username: str | None, full_name: str, phone: str, unit: Unit | None) -> None:
    if username is not None and not USERNAME_RE.match(username or ""):
        raise ValidationFailed("用户名须为3至150位字母、数字或 _ . @ -", field="username")
    if not (full_name or "").strip():
        raise ValidationFailed("姓名不能为空", field="full_name")
    if len(full_name) > 40:
        raise ValidationFailed("姓名不能超过40个字符", field="full_name")
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed("手机号或电话号码格式不正确", field="phone")
    if unit is None:
        raise ValidationFailed("请选择所在单位", field="unit")
    if unit.kind == UnitKind.REGION:
        raise ValidationFailed("人员不能直接挂在行政区节点下，请选择具体单位", field="unit")
    if not unit.is_active:
        raise ValidationFailed(f"{unit.name}已停用", field="unit")


def _password_errors(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationFailed("；".join(str(m) for m in exc.messages), field="password") from exc


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    unit: Unit,
    password: str,
    phone: str = "",
    title: str = "",
    email: str = "",
    must_change_password: bool = True,
) -> User:
    """A new account; the person must change the initial password at first login (PRODUCT 4)."""
    if actor is not None and not can_manage_person(actor, unit):
        raise NotPermitted("只有本单位管理员或本辖区系统管理员可以新建人员")
    username = (username or "").strip()
    _validate_person_fields(username=username, full_name=full_name, phone=phone, unit=unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(f"用户名“{username}”已被使用", field="username")
    candidate = User(username=username, full_name=full_name.strip(), unit=unit, phone=phone, email=email)
    _password_errors(password, candidate)
    candidate.title = title
    candidate.must_change_password = must_change_password
    candidate.password_changed_at = timezone.now()
    candidate.set_password(password)
    candidate.save()
    audit_record(event_type=EventType.USER_CREATE, actor=actor, obj=candidate, detail={"unit": unit.code})
    return candidate


@transaction.atomic
def user_update(*, actor: User, person: User, **fields: Any) -> User:
    person = User.objects.select_for_update().get(pk=person.pk)
    new_unit = fields.get("unit", person.unit)
    if not can_manage_person(actor, person.unit) or not can_manage_person(actor, new_unit):
        raise NotPermitted("无权修改该人员")
    allowed = {"full_name", "phone", "title", "email", "unit"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(f"不能修改字段：{'、'.join(sorted(unknown))}")
    merged = {f: fields.get(f, getattr(person, f)) for f in allowed}
    _validate_person_fields(
        username=None, full_name=merged["full_name"], phone=merged["phone"], unit=new_unit
    )
    changes = {
        f: [str(getattr(person, f)), str(merged[f])] for f in allowed if getattr(person, f) != merged[f]
    }
    for f, v in merged.items():
        setattr(person, f, v)
    person.save()
    if changes:
        audit_record(event_type=EventType.USER_UPDATE, actor=actor, obj=person, detail={"changes": changes})
    return person


@transaction.atomic
def user_set_active(*, actor: User, person: User, active: bool, reason: str = "") -> User:
    person = User.objects.select_for_update().get(pk=person.pk)
    if not can_manage_person(actor, person.unit):
        raise NotPermitted("无权停用或启用该人员")
    if person.pk == actor.pk:
        raise ValidationFailed("不能停用自己的账号")
    if person.is_active == active:
        return person
    person.is_active = active
    person.save(update_fields=["is_active", "updated_at"])
    audit_record(
        event_type=EventType.USER_DEACTIVATE if not active else EventType.USER_UPDATE,
        actor=actor,
        obj=person,
        detail={"active": active, "reason": reason},
    )
    return person


# --- Roles and 三员分立 ------------------------------------------------------------------------------------------


def role_grant_allowed(actor: User, target: User, role: str) -> str | None:
    """None when ``actor`` may grant ``role`` to ``target``; otherwise the Chinese reason for refusing.

    - Nobody grants a role to himself (the system admin included: PRODUCT 4).
    - The security admin grants every role within his region, except the security admin role itself, which the
      system admin grants: each of the two watches the other.
    - A unit admin grants business roles (not unit admin) to people of his own unit.
    """
    if role not in Role.values:
        return f"角色“{role}”无效"
    if target.pk == actor.pk:
        return "不能给自己授予或撤销角色"
    if target.unit is None or not in_scope(actor, target.unit):
        return "该人员不在您的管辖范围内"
    if role == Role.SECURITY_ADMIN:
        return None if actor.has_role(Role.SYSTEM_ADMIN) else "安全管理员角色只能由系统管理员授予"
    if actor.has_role(Role.SECURITY_ADMIN):
        return None
    if (
        actor.has_role(Role.UNIT_ADMIN)
        and actor.unit_id == target.unit_id
        and role in BUSINESS_ROLES - {Role.UNIT_ADMIN}
    ):
        return None
    return "您没有授予该角色的权限"


@transaction.atomic
def role_grant(*, actor: User | None, target: User, role: str) -> RoleAssignment:
    target = User.objects.select_for_update().get(pk=target.pk)
    if actor is not None:
        refusal = role_grant_allowed(actor, target, role)
        if refusal:
            audit_record(
                event_type=EventType.ROLE_GRANT,
                actor=actor,
                obj=target,
                success=False,
                detail={"role": role, "refused": refusal},
            )
            raise NotPermitted(refusal)
    elif role not in Role.values:
        raise ValidationFailed(f"角色“{role}”无效", field="role")
    current = set(RoleAssignment.objects.filter(user=target).values_list("role", flat=True))
    if role in current:
        raise ValidationFailed(f"{target.full_name}已有“{Role(role).label}”角色", field="role")
    if role in ADMIN_ROLES and current & ADMIN_ROLES:
        held = "、".join(str(Role(r).label) for r in sorted(current & ADMIN_ROLES))
        raise ValidationFailed(
            f"三员分立：{target.full_name}已是{held}，不能再兼任{Role(role).label}", field="role"
        )
    assignment = RoleAssignment.objects.create(user=target, role=role, granted_by=actor)
    target.forget_roles()
    audit_record(event_type=EventType.ROLE_GRANT, actor=actor, obj=target, detail={"role": role})
    return assignment


@transaction.atomic
def role_revoke(*, actor: User | None, target: User, role: str) -> None:
    target = User.objects.select_for_update().get(pk=target.pk)
    if actor is not None:
        refusal = role_grant_allowed(actor, target, role)
        if refusal:
            audit_record(
                event_type=EventType.ROLE_REVOKE,
                actor=actor,
                obj=target,
                success=False,
                detail={"role": role, "refused": refusal},
            )
            raise NotPermitted(refusal)
    deleted, _ = RoleAssignment.objects.filter(user=target, role=role).delete()
    if not deleted:
        raise ValidationFailed(f"{target.full_name}没有该角色", field="role")
    target.forget_roles()
    audit_record(event_type=EventType.ROLE_REVOKE, actor=actor, obj=target, detail={"role": role})


# --- Passwords -------------------------------------------------------------------------------------------------


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        audit_record(
            event_type=EventType.PASSWORD_CHANGE,
            actor=user,
            obj=user,
            success=False,
            detail={"reason": "原密码错误"},
        )
        raise ValidationFailed("原密码不正确", field="old_password")
    if old_password == new_password:
        raise ValidationFailed("新密码不能与原密码相同", field="new_password")
    _password_errors(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at", "updated_at"])
    audit_record(event_type=EventType.PASSWORD_CHANGE, actor=user, obj=user)
    return user


@transaction.atomic
def password_reset_by_admin(*, actor: User, person: User, new_password: str) -> User:
    """An administrator sets a temporary password; the person must change it at next login."""
    if not can_manage_person(actor, person.unit) or person.pk == actor.pk:
        raise NotPermitted("无权重置该人员的密码")
    _password_errors(new_password, person)
    person.set_password(new_password)
    person.must_change_password = True
    person.password_changed_at = timezone.now()
    person.save(update_fields=["password", "must_change_password", "password_changed_at", "updated_at"])
    audit_record(
        event_type=EventType.PASSWORD_CHANGE, actor=actor, obj=person, detail={"reset_by_admin": True}
    )
    return person


# --- API tokens --------------------------------------------------------------------------------------------------


@transaction.atomic
def token_issue(*, user: User, name: str = "", actor: User | None = None) -> tuple[ApiToken, str]:
    """Returns the token row and the plain token, which is shown once and never stored."""
    if not user.is_active:
        raise ValidationFailed("账号已停用，不能签发令牌")
    plain = "xb_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=(name or "")[:60], prefix=plain[:10], digest=ApiToken.digest_of(plain)
    )
    audit_record(
        event_type=EventType.TOKEN_ISSUE,
        actor=actor or user,
        obj=token,
        detail={"user": user.username, "prefix": token.prefix},
    )
    return token, plain


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk and not actor.has_role(Role.SECURITY_ADMIN):
        raise NotPermitted("只能吊销自己的令牌")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            event_type=EventType.TOKEN_REVOKE, actor=actor, obj=token, detail={"prefix": token.prefix}
        )
    return token
