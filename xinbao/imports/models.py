"""An import job: one uploaded file of units or people, checked row by row and then written in one transaction."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinbao.common.models import TimeStampedModel


class ImportKind(models.TextChoices):
    UNITS = "units", _("单位")
    PEOPLE = "people", _("人员")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("全部正确才导入")
    GOOD_ROWS = "good_rows", _("仅导入正确的行")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    VALIDATING = "validating", _("正在校验")
    INVALID = "invalid", _("校验未通过")
    IMPORTING = "importing", _("正在导入")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


#: A job that has not moved for this long has lost its worker (or none is running); the page says so.
STALL_AFTER = timedelta(minutes=15)
#: States after which the task has nothing left to do (the status page stops polling).
FINISHED = frozenset({ImportStatus.INVALID, ImportStatus.DONE, ImportStatus.FAILED})


class ImportJob(TimeStampedModel):
    kind = models.CharField(_("导入内容"), max_length=16, choices=ImportKind.choices)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    file_format = models.CharField(_("格式"), max_length=8)
    file_size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    file_sha256 = models.CharField(_("文件摘要"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    # The importer's unit at upload time decides which system admins may look at the job (selectors).
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("导入单位"), on_delete=models.PROTECT, related_name="+", null=True
    )
    source_ip = models.CharField(_("来源IP"), max_length=45, blank=True)
    mode = models.CharField(
        _("导入方式"), max_length=16, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING, db_index=True
    )
    # People imports: the initial password is hashed once at upload and the hash reused for every row (argon2
    # per row would take minutes); the plain text is never stored. Cleared when the job has finished.
    initial_password_hash = models.CharField(max_length=256, blank=True)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    created_count = models.PositiveIntegerField(_("新建"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    skipped_count = models.PositiveIntegerField(_("跳过"), default=0)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("total_rows")),
                name="import_progress_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}导入 #{self.pk} {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def is_stalled(self) -> bool:
        return not self.is_finished and self.updated_at < timezone.now() - STALL_AFTER

    @property
    def error_rows(self) -> int:
        return len({e.get("row") for e in self.errors if e.get("row")})

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
