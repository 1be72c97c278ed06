"""Rule sets, ledger builds and ledger entries of the scoring capability (PRODUCT 3.5).

A ``RuleSet`` row is one *version* of an office's rules for one year: editing the rules adds a row with the next
version number and never changes an old one, so every ledger entry can say which rules produced it. A
``LedgerBuild`` is one deterministic computation of an office's ledger for a year from the scoring events and one
rule-set version; its ``LedgerEntry`` rows are never updated. Rebuilding writes a new build and retires the old one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinbao.common.models import TimeStampedModel


class RuleSet(TimeStampedModel):
    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("考核单位"), on_delete=models.PROTECT, related_name="scoring_rule_sets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=100)
    rules = models.JSONField(_("计分规则"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("计分规则")
        verbose_name_plural = _("计分规则")
        ordering = ["office_id", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "version"], name="unique_rule_set_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class LedgerSlot(TimeStampedModel):
    """One row per office and year: rebuilds lock it so two rebuilds of the same ledger never interleave."""

    office = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))

    class Meta:
        ordering = ["office_id", "year"]
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="unique_ledger_slot")]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}"


class LedgerBuild(TimeStampedModel):
    office = models.ForeignKey(
        "orgs.Unit", verbose_name=_("考核单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("计分规则"), on_delete=models.PROTECT, related_name="builds"
    )
    is_current = models.BooleanField(_("当前"), default=False)
    entry_count = models.PositiveIntegerField(_("条目数"), default=0)
    #: SHA-256 of the canonical dump of the entries: two builds from the same events and rules carry the same digest.
    digest = models.CharField(_("摘要"), max_length=64, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("账本生成记录")
        verbose_name_plural = _("账本生成记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year"], condition=Q(is_current=True), name="one_current_ledger_build"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year} #{self.pk}"


class LedgerEntry(models.Model):
    """One scoring event's points for one unit (and one person's share of them). Never updated."""

    build = models.ForeignKey(LedgerBuild, on_delete=models.CASCADE, related_name="entries")
    seq = models.PositiveIntegerField(_("序号"))
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    points = models.DecimalField(_("分值"), max_digits=10, decimal_places=2)
    kind = models.CharField(_("事项"), max_length=32)
    rule_key = models.CharField(_("计分规则项"), max_length=60)
    rule_version = models.PositiveIntegerField(_("规则版本"))
    source_type = models.CharField(_("来源类型"), max_length=40)
    source_id = models.BigIntegerField(_("来源编号"))
    event_date = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("计分明细")
        verbose_name_plural = _("计分明细")
        ordering = ["build_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["build", "seq"], name="unique_entry_seq")]
        indexes = [
            models.Index(fields=["build", "event_date", "unit"], name="scoring_entry_period"),
            models.Index(fields=["build", "unit", "event_date"], name="scoring_entry_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.points} {self.rule_key}"
