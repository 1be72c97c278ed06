"""Writes to accounts: people, roles (三员分立), passwords and API tokens."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.models import ApiToken, Role, RoleAssignment, User
from xinbao.accounts.passwords import policy_messages
from xinbao.accounts.selectors import can_manage_account, role_grant_allowed, three_admin_conflict
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.orgs.models import Unit, UnitKind
from xinbao.orgs.selectors import can_manage_person, in_scope

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,150}$")
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def _validate_person_fields(
    *,
    username: str | None,
    full_name: str,
    phone: str,
    unit: Unit | None,
    title: str = "",
    email: str = "",
    check_unit: bool = True,
) -> None:
    if username is not None and not USERNAME_RE.match(username or ""):
        raise ValidationFailed(_("用户名须为3至150位字母、数字或 _ . @ -"), field="username")
    if not (full_name or "").strip():
        raise ValidationFailed(_("姓名不能为空"), field="full_name")
    if len(full_name.strip()) > 40:
        raise ValidationFailed(_("姓名不能超过40个字符"), field="full_name")
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed(_("手机号或电话号码格式不正确"), field="phone")
    if len(title or "") > 60:
        raise ValidationFailed(_("职务不能超过60个字符"), field="title")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationFailed(_("电子邮箱格式不正确"), field="email") from exc
    if unit is None:
        raise ValidationFailed(_("请选择所在单位"), field="unit")
    if not check_unit:
        return
    if unit.kind == UnitKind.REGION:
        raise ValidationFailed(_("人员不能直接挂在行政区节点下，请选择具体单位"), field="unit")
    if not unit.is_active:
        raise ValidationFailed(_("%(unit)s已停用") % {"unit": unit.name}, field="unit")


def _password_errors(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationFailed("".join(policy_messages(exc)), field="password") from exc


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
        raise NotPermitted(_("只有本单位管理员或本辖区系统管理员可以新建人员"))
    username = (username or "").strip()
    phone, title, email = (phone or "").strip(), (title or "").strip(), (email or "").strip()
    _validate_person_fields(
        username=username, full_name=full_name, phone=phone, unit=unit, title=title, email=email
    )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(_("用户名“%(username)s”已被使用") % {"username": username}, field="username")
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
    if not can_manage_account(actor, person) or new_unit is None or not can_manage_person(actor, new_unit):
        raise NotPermitted(_("无权修改该人员"))
    allowed = {"full_name", "phone", "title", "email", "unit"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(
            _("不能修改字段：%(fields)s") % {"fields": pgettext("list separator", "、").join(sorted(unknown))}
        )
    merged = {f: fields.get(f, getattr(person, f)) for f in allowed}
    for f in ("full_name", "phone", "title", "email"):
        merged[f] = (merged[f] or "").strip()
    _validate_person_fields(
        username=None,
        full_name=merged["full_name"],
        phone=merged["phone"],
        unit=new_unit,
        title=merged["title"],
        email=merged["email"],
        # A person may stay in a unit that was deactivated since; only a move is checked against the unit rules.
        check_unit=new_unit.pk != person.unit_id,
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
    if not can_manage_account(actor, person):
        raise NotPermitted(_("无权停用或启用该人员"))
    if person.pk == actor.pk:
        raise ValidationFailed(_("不能停用自己的账号"))
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationFailed(_("原因不能超过200个字符"), field="reason")
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


def _refuse(*, event_type: str, actor: User, target: User, role: str, refusal: str) -> NotPermitted:
    # Written in its own transaction before the refusal is raised, so the attempt stays in the audit log even
    # though the caller's change is rolled back (PRODUCT 4: every permission change, success and failure).
    audit_record(
        event_type=event_type,
        actor=actor,
        obj=target,
        success=False,
        detail={"role": role, "refused": refusal},
    )
    return NotPermitted(refusal, field="role")


def role_grant(*, actor: User | None, target: User, role: str) -> RoleAssignment:
    if actor is not None:
        refusal = role_grant_allowed(actor, target, role)
        if refusal:
            raise _refuse(
                event_type=EventType.ROLE_GRANT, actor=actor, target=target, role=role, refusal=refusal
            )
    elif role not in Role.values:
        raise ValidationFailed(_("角色“%(role)s”无效") % {"role": role}, field="role")
    return _role_grant_locked(actor=actor, target=target, role=role)


@transaction.atomic
def _role_grant_locked(*, actor: User | None, target: User, role: str) -> RoleAssignment:
    # The row lock on the person serialises concurrent grants, so two admins cannot each add one of the three
    # admin roles to the same person at the same moment.
    target = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=target.pk)
    if actor is not None and (refusal := role_grant_allowed(actor, target, role)):
        raise NotPermitted(refusal, field="role")
    current = set(RoleAssignment.objects.filter(user=target).values_list("role", flat=True))
    if role in current:
        raise ValidationFailed(
            _("%(name)s已有“%(role)s”角色") % {"name": target.full_name, "role": Role(role).label},
            field="role",
        )
    if conflict := three_admin_conflict(target, role, current):
        raise ValidationFailed(conflict, field="role")
    assignment = RoleAssignment.objects.create(user=target, role=role, granted_by=actor)
    target.forget_roles()
    audit_record(event_type=EventType.ROLE_GRANT, actor=actor, obj=target, detail={"role": role})
    return assignment


def role_revoke(*, actor: User | None, target: User, role: str) -> None:
    if actor is not None:
        refusal = role_grant_allowed(actor, target, role)
        if refusal:
            raise _refuse(
                event_type=EventType.ROLE_REVOKE, actor=actor, target=target, role=role, refusal=refusal
            )
    _role_revoke_locked(actor=actor, target=target, role=role)


@transaction.atomic
def _role_revoke_locked(*, actor: User | None, target: User, role: str) -> None:
    target = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=target.pk)
    if actor is not None and (refusal := role_grant_allowed(actor, target, role)):
        raise NotPermitted(refusal, field="role")
    deleted, _per_model = RoleAssignment.objects.filter(user=target, role=role).delete()
    if not deleted:
        raise ValidationFailed(_("%(name)s没有该角色") % {"name": target.full_name}, field="role")
    target.forget_roles()
    audit_record(event_type=EventType.ROLE_REVOKE, actor=actor, obj=target, detail={"role": role})


# --- Passwords -------------------------------------------------------------------------------------------------


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        # Recorded outside the change's transaction: a wrong old password is a security event worth keeping.
        audit_record(
            event_type=EventType.PASSWORD_CHANGE,
            actor=user,
            obj=user,
            success=False,
            detail={"reason": "原密码错误"},
        )
        raise ValidationFailed(_("原密码不正确"), field="old_password")
    return _password_set_own(user=user, old_password=old_password, new_password=new_password)


@transaction.atomic
def _password_set_own(*, user: User, old_password: str, new_password: str) -> User:
    if old_password == new_password:
        raise ValidationFailed(_("新密码不能与原密码相同"), field="new_password")
    try:
        _password_errors(new_password, user)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="new_password") from exc
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at", "updated_at"])
    audit_record(event_type=EventType.PASSWORD_CHANGE, actor=user, obj=user)
    return user


@transaction.atomic
def password_reset_by_admin(*, actor: User, person: User, new_password: str) -> User:
    """An administrator sets a temporary password; the person must change it at next login."""
    person = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=person.pk)
    if person.pk == actor.pk:
        raise NotPermitted(_("不能重置自己的密码，请使用“修改密码”"))
    if not can_manage_account(actor, person):
        raise NotPermitted(_("无权重置该人员的密码"))
    _password_errors(new_password, person)
    person.set_password(new_password)
    person.must_change_password = True
    person.password_changed_at = timezone.now()
    person.save(update_fields=["password", "must_change_password", "password_changed_at", "updated_at"])
    audit_record(
        event_type=EventType.PASSWORD_CHANGE, actor=actor, obj=person, detail={"reset_by_admin": True}
    )
    return person


# --- Second factor (TOTP) ----------------------------------------------------------------------------------------


@transaction.atomic
def otp_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a person is binding; the same secret is shown until it is confirmed."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationFailed(_("已绑定身份验证器"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=False)
    return device


@transaction.atomic
def otp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirms the device with one valid code. A wrong code is audited and returns False (nothing raised, so the
    audit row commits)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if device.confirmed:
        raise ValidationFailed(_("该验证器已绑定"))
    if not device.verify_token(token):
        audit_record(
            event_type=EventType.OTP_FAILED, actor=user, obj=user, success=False, detail={"stage": "setup"}
        )
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(event_type=EventType.OTP_SETUP, actor=user, obj=user)
    return True


@transaction.atomic
def otp_check(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts ``token`` at login, or None (audited as a failed second factor)."""
    for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk"):
        if device.verify_token(token):
            return device
    audit_record(
        event_type=EventType.OTP_FAILED, actor=user, obj=user, success=False, detail={"stage": "login"}
    )
    return None


@transaction.atomic
def otp_reset(*, actor: User, person: User) -> int:
    """A person who lost the phone gets a new authenticator bound at next login. Only the security admin of the
    person's region does this (it is a security control, 三员分立), and never for himself."""
    person = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=person.pk)
    if person.pk == actor.pk:
        raise NotPermitted(_("不能重置自己的双因素认证"))
    if not (actor.has_role(Role.SECURITY_ADMIN) and person.unit is not None and in_scope(actor, person.unit)):
        raise NotPermitted(_("只有本辖区的安全管理员可以重置双因素认证"))
    deleted, _per_model = TOTPDevice.objects.filter(user=person).delete()
    audit_record(
        event_type=EventType.OTP_SETUP, actor=actor, obj=person, detail={"reset": True, "devices": deleted}
    )
    return deleted


# --- API tokens --------------------------------------------------------------------------------------------------


@transaction.atomic
def token_issue(*, user: User, name: str = "", actor: User | None = None) -> tuple[ApiToken, str]:
    """Returns the token row and the plain token, which is shown once and never stored."""
    if not user.is_active:
        raise ValidationFailed(_("账号已停用，不能签发令牌"))
    name = (name or "").strip()
    if len(name) > 60:
        raise ValidationFailed(_("令牌名称不能超过60个字符"), field="name")
    plain = "xb_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=plain[:10], digest=ApiToken.digest_of(plain))
    audit_record(
        event_type=EventType.TOKEN_ISSUE,
        actor=actor or user,
        obj=token,
        detail={"user": user.username, "prefix": token.prefix},
    )
    return token, plain


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update(of=("self",)).select_related("user__unit").get(pk=token.pk)
    owner_unit = token.user.unit
    security_admin_in_scope = (
        actor.has_role(Role.SECURITY_ADMIN) and owner_unit is not None and in_scope(actor, owner_unit)
    )
    if token.user_id != actor.pk and not security_admin_in_scope:
        raise NotPermitted(_("只能吊销自己的令牌"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            event_type=EventType.TOKEN_REVOKE, actor=actor, obj=token, detail={"prefix": token.prefix}
        )
    return token
