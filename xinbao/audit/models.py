"""Append-only, tamper-evident audit log (PRODUCT 4, 等保2.0 第三级 安全审计).

Each row stores the SM3 digest of its own canonical content together with the digest of the previous row, so
rewriting, deleting or inserting a row anywhere breaks the chain at that row; ``audit_verify`` names it. Rows are
written by ``services.audit_record`` in the same transaction as the change they record. The model refuses updates
and deletes through the ORM; database triggers (migration 0002) refuse them in SQL as well.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    LOGIN = "login", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出登录")
    LOCKOUT = "lockout", _("账号锁定")
    IDLE_LOGOUT = "idle_logout", _("超时退出")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    OTP_SETUP = "otp_setup", _("绑定双因素认证")
    OTP_FAILED = "otp_failed", _("双因素认证失败")
    ROLE_GRANT = "role_grant", _("授予角色")
    ROLE_REVOKE = "role_revoke", _("撤销角色")
    USER_CREATE = "user_create", _("新建人员")
    USER_UPDATE = "user_update", _("修改人员")
    USER_DEACTIVATE = "user_deactivate", _("停用人员")
    TOKEN_ISSUE = "token_issue", _("签发接口令牌")
    TOKEN_REVOKE = "token_revoke", _("吊销接口令牌")
    UNIT_CREATE = "unit_create", _("新建单位")
    UNIT_UPDATE = "unit_update", _("修改单位")
    INFORMANT_REGISTER = "informant_register", _("信息员备案")
    INFORMANT_CHANGE = "informant_change", _("信息员备案变更")
    INFORMANT_END = "informant_end", _("信息员备案终止")
    IMPORT = "import", _("批量导入")
    CONFIG_CHANGE = "config_change", _("配置变更")
    STATE_CHANGE = "state_change", _("状态变更")
    RESTRICTED_READ = "restricted_read", _("查阅内参信息")
    AUDIT_EXPORT = "audit_export", _("导出审计日志")
    AUDIT_VERIFY = "audit_verify", _("校验审计日志")
    PERMISSION_DENIED = "permission_denied", _("越权访问")
    DATA_EXPORT = "data_export", _("导出数据")


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True)
    actor_name = models.CharField(_("姓名"), max_length=40, blank=True)
    unit_id_snapshot = models.BigIntegerField(_("单位ID"), null=True, blank=True)
    unit_name = models.CharField(_("单位"), max_length=100, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    # No ``choices`` on the column: each capability adds event types, and the label is looked up in EventType, so
    # adding one needs no migration (the log is append-only; old rows keep their stored code either way).
    event_type = models.CharField(_("事件类型"), max_length=32, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    source_ip = models.CharField(_("来源IP"), max_length=45, blank=True)
    success = models.BooleanField(_("结果"), default=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-id"]
        indexes = [models.Index(fields=["event_type", "at"]), models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M:%S} {self.get_event_type_display()}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not kwargs.pop("_allow_insert_with_pk", False):
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("审计日志只能追加，不能删除")

    def get_event_type_display(self) -> str:
        try:
            return str(EventType(self.event_type).label)
        except ValueError:
            return self.event_type


class AuditChainHead(models.Model):
    """One row that serialises appends: writers update it first, which takes the row (PG) or write (SQLite) lock,
    so two transactions can never chain onto the same previous row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"head #{self.last_id} ({self.count})"
