"""Accounts: people belong to one unit and hold one or more roles (PRODUCT 1).

三员分立: the system, security and audit administrator roles are mutually exclusive; the rule is enforced in
``services.role_grant`` (under a row lock on the user) and re-checked by ``User.admin_roles``.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from xinbao.common.models import TimeStampedModel


class Role(models.TextChoices):
    INFORMANT = "informant", _("信息员")
    SIGNER = "signer", _("审签人")
    EDITOR = "editor", _("编辑")
    DUTY_OFFICER = "duty_officer", _("值班员")
    LEADER = "leader", _("领导")
    UNIT_ADMIN = "unit_admin", _("单位管理员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


#: 三员: no one may hold two of these.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
#: Roles that act for a receiving office over its region rather than for the person's own unit only.
OFFICE_ROLES = frozenset({Role.EDITOR, Role.DUTY_OFFICER, Role.LEADER})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)

ROLE_BY_LABEL = {str(label): value for value, label in Role.choices}


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=40)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="people", null=True
    )
    title = models.CharField(_("职务"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    must_change_password = models.BooleanField(_("须修改密码"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit_id", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        # The signed-in person arrives with the codes joined in one column (selectors.request_person_annotations);
        # otherwise .all() uses a prefetch when the selector made one, so lists of people cost one query for roles.
        if "role_codes" in self.__dict__:
            codes = self.__dict__["role_codes"]
            return frozenset(codes.split(",")) if codes else frozenset()
        return frozenset(a.role for a in self.role_assignments.all())

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def admin_roles(self) -> frozenset[str]:
        return self.role_set & ADMIN_ROLES

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in Role.values if r in self.role_set]

    @property
    def role_labels_text(self) -> str:
        """The role names as one phrase ("信息员、审签人"), joined the way the active language lists things."""
        return pgettext("list separator", "、").join(self.role_labels)

    @property
    def needs_second_factor(self) -> bool:
        """TOTP is mandatory for the three administrators (PRODUCT 4)."""
        return bool(self.admin_roles)

    def forget_roles(self) -> None:
        self.__dict__.pop("role_set", None)
        self.__dict__.pop("role_codes", None)


class RoleAssignment(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, verbose_name=_("授权人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user_id", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ApiToken(TimeStampedModel):
    """A bearer token for /api/v1. Only a SHA-256 digest is stored; the token is shown once when issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60, blank=True)
    prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.user.is_active

    def mark_used(self) -> None:
        # At most one write a minute per token: an API client's every call would otherwise queue on this row.
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() >= 60:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
