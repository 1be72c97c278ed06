"""Duty (值班, PRODUCT 3.4): per-office shifts and coverage policy, the roster (排班), the duty log (值班记录) and
handovers (交接班).

A roster line keeps its own start and end: changing an office's shift pattern later never rewrites past rosters.
The duty log is append-only in spirit: a correction is a new entry that names the entry it corrects.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xinbao.common.models import TimeStampedModel

NAME_MAX = 40
PHONE_MAX = 30
CONTENT_MAX = 2000


class DutyRole(models.TextChoices):
    LEADER = "leader", _("带班领导")
    STAFF = "staff", _("值班员")


class DutyShift(TimeStampedModel):
    """One shift of an office's daily pattern (e.g. 白班 08:00–18:00, 夜班 18:00–次日08:00, or 全天 08:00–次日08:00).
    An end at or before the start means the shift ends the next day."""

    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("接收单位"), on_delete=models.CASCADE, related_name="duty_shifts"
    )
    name = models.CharField(_("班次"), max_length=20)
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("值班班次")
        verbose_name_plural = _("值班班次")
        ordering = ["office_id", "sort_order", "start"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="duty_shift_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"


class DutyPolicy(TimeStampedModel):
    """How many people each hour needs. Default (总值班室 practice): one 值班员 and one 带班领导 around the clock,
    two 值班员 on 春节 and 国庆节 days."""

    office = models.OneToOneField(
        "orgs.Unit", verbose_name=_("接收单位"), on_delete=models.CASCADE, related_name="duty_policy"
    )
    min_staff = models.PositiveSmallIntegerField(_("每小时最少值班员"), default=1)
    min_leaders = models.PositiveSmallIntegerField(_("每小时最少带班领导"), default=1)
    strict_holidays = models.JSONField(_("从严节日"), default=list, blank=True)
    strict_min_staff = models.PositiveSmallIntegerField(_("从严节日最少值班员"), default=2)
    strict_min_leaders = models.PositiveSmallIntegerField(_("从严节日最少带班领导"), default=1)

    class Meta:
        verbose_name = _("值班规则")
        verbose_name_plural = _("值班规则")
        ordering = ["office_id"]
        constraints = [
            models.CheckConstraint(condition=Q(min_staff__gte=1), name="duty_policy_min_staff"),
            models.CheckConstraint(condition=Q(min_leaders__gte=1), name="duty_policy_min_leaders"),
        ]

    def __str__(self) -> str:
        return str(self.office)


class RosterEntry(TimeStampedModel):
    """One person on one shift of one duty day. ``day`` is the day the shift starts (a 夜班 of 1 October runs
    into 2 October and stays on the roster of 1 October, as printed rosters show it)."""

    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="roster_entries"
    )
    day = models.DateField(_("值班日期"), db_index=True)
    shift_name = models.CharField(_("班次"), max_length=20)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    role = models.CharField(_("岗位"), max_length=10, choices=DutyRole.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roster_entries",
    )
    name = models.CharField(_("姓名"), max_length=NAME_MAX)
    phone = models.CharField(_("值班电话"), max_length=PHONE_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        ordering = ["office_id", "starts_at", "role", "id"]
        indexes = [models.Index(fields=["office", "starts_at"]), models.Index(fields=["office", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="roster_entry_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["office", "day", "shift_name", "role", "name"], name="roster_entry_unique_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.shift_name} {self.get_role_display()} {self.name}"


class LogKind(models.TextChoices):
    CALL = "call", _("来电")
    DOCUMENT = "document", _("来文")
    HANDLING = "handling", _("处置")
    ASSIGNMENT = "assignment", _("交办")
    OTHER = "other", _("其他")


class DutyLogEntry(TimeStampedModel):
    """值班记录: what came in and what was done. Never edited or deleted; ``corrects`` links a correction to the
    entry it corrects."""

    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="duty_log"
    )
    at = models.DateTimeField(_("时间"), db_index=True)
    kind = models.CharField(_("类别"), max_length=12, choices=LogKind.choices)
    content = models.TextField(_("内容"), max_length=CONTENT_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    # Where the matter lives in xinbao when another capability wrote the entry (a phone report's incident), so the
    # duty log links to it without the duty app depending on that capability's models.
    link = models.CharField(_("相关链接"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("值班记录")
        verbose_name_plural = _("值班记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class Handover(TimeStampedModel):
    """交接班: the outgoing officer lists outstanding matters; the incoming officer acknowledges (接班确认)."""

    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="handovers"
    )
    at = models.DateTimeField(_("交班时间"))
    from_shift = models.CharField(_("交班班次"), max_length=40)
    to_shift = models.CharField(_("接班班次"), max_length=40)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("交班人"), on_delete=models.PROTECT, related_name="+"
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接班人"), on_delete=models.PROTECT, related_name="+"
    )
    outstanding = models.TextField(_("待办事项"), max_length=CONTENT_MAX)
    acknowledged_at = models.DateTimeField(_("接班确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("交接班")
        verbose_name_plural = _("交接班")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(handed_by=F("incoming")), name="handover_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.from_shift} → {self.to_shift}"
