"""Organisation model (PRODUCT 2): units in a tree by level, receiving offices, 直报点, informant registry.

The tree is built of *region* nodes (行政区: 明江省, 江州市, 安平县) under which sit the organisations of that
region: its receiving offices (党委办公室, 政府办公室), departments, directly affiliated units and the sub-regions.
A township (乡镇/街道) is itself a reporting unit and a leaf. Every unit has a materialised ``path`` of ids
("/1/5/23/") so a subtree is one indexed prefix query at province scale.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinbao.common.models import TimeStampedModel


class Level(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县(区)")
    TOWNSHIP = "township", _("乡镇(街道)")


LEVEL_RANK = {Level.CENTRAL: 0, Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3, Level.TOWNSHIP: 4}


class UnitKind(models.TextChoices):
    REGION = "region", _("行政区")
    PARTY_OFFICE = "party_office", _("党委办公室")
    GOV_OFFICE = "gov_office", _("政府办公室")
    SYSTEM_OFFICE = "system_office", _("系统办公室")
    DEPARTMENT = "department", _("部门")
    TOWNSHIP = "township", _("乡镇街道")
    AFFILIATED = "affiliated", _("直属单位")
    OTHER = "other", _("其他")


class Unit(TimeStampedModel):
    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("深度"), default=0, editable=False)
    is_receiving_office = models.BooleanField(_("接收单位"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.IntegerField(_("排序"), default=0)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    direct_targets = models.ManyToManyField(
        "self",
        verbose_name=_("直报目标单位"),
        through="DirectReportingTarget",
        through_fields=("unit", "office"),
        symmetrical=False,
        related_name="direct_reporting_points",
        blank=True,
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "sort_order"]), models.Index(fields=["level", "kind"])]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="unit_code_not_empty"),
            models.CheckConstraint(
                condition=~Q(kind="region") | Q(is_receiving_office=False), name="region_is_not_office"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_region(self) -> bool:
        return self.kind == UnitKind.REGION

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p][:-1]


class DirectReportingTarget(TimeStampedModel):
    """A 信息直报点 may report straight to this higher office; its parent office is always copied (抄送)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="direct_target_links")
    office = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="direct_point_links")
    since = models.DateField(_("设立日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("直报目标")
        verbose_name_plural = _("直报目标")
        ordering = ["unit_id", "office_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "office"], name="unique_direct_target")]


class InformantKind(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")


class InformantRecord(TimeStampedModel):
    """信息员备案: one registration of one person as a unit's informant, from start to (optional) end.

    Rows are never deleted; ending a registration fills end_date/end_reason. Each change is also written to
    InformantChange so the filed history (who filed what, when, why) is kept verbatim.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="informants"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="informant_records",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=InformantKind.choices)
    start_date = models.DateField(_("备案日期"))
    start_reason = models.CharField(_("备案事由"), max_length=200)
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止事由"), max_length=200, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("信息员备案")
        verbose_name_plural = _("信息员备案")
        ordering = ["unit_id", "-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "person"],
                condition=Q(end_date__isnull=True),
                name="one_open_record_per_person",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="informant_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.person} ({self.get_kind_display()})"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class InformantChange(TimeStampedModel):
    class Action(models.TextChoices):
        REGISTER = "register", _("备案")
        CHANGE_KIND = "change_kind", _("变更类型")
        END = "end", _("终止")

    record = models.ForeignKey(InformantRecord, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    effective_date = models.DateField(_("生效日期"))
    reason = models.CharField(_("事由"), max_length=200)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("备案变更")
        verbose_name_plural = _("备案变更")
        ordering = ["-created_at", "-id"]
