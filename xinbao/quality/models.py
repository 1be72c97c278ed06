"""Quality gate data (PRODUCT 3.6): the reuse index and reference corpus, secrecy keywords and clearances, wording
rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinbao.common.models import TimeStampedModel


class ReferenceDocument(TimeStampedModel):
    """Outside material an item may have been copied from: web articles, other offices' bulletins."""

    title = models.CharField(_("标题"), max_length=200)
    source = models.CharField(_("来源"), max_length=300, blank=True)
    text = models.TextField(_("正文"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("参考资料")
        verbose_name_plural = _("参考资料")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReuseDocument(TimeStampedModel):
    """One indexed text: an item or a reference document (exactly one of the two)."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, null=True, blank=True, related_name="reuse_document"
    )
    reference = models.OneToOneField(
        ReferenceDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="reuse_document"
    )
    #: sha256 of the indexed text: a save that does not change the text does not re-index.
    text_hash = models.CharField(max_length=64)
    length = models.PositiveIntegerField(_("规范化字数"), default=0)

    class Meta:
        verbose_name = _("查重索引文档")
        verbose_name_plural = _("查重索引文档")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(report__isnull=False) & Q(reference__isnull=True))
                | (Q(report__isnull=True) & Q(reference__isnull=False)),
                name="reuse_document_one_source",
            )
        ]

    def __str__(self) -> str:
        return f"reuse:{self.report_id or ''}/{self.reference_id or ''}"


class ReuseFingerprint(models.Model):
    """(fingerprint, document) postings. The composite primary key is the lookup index itself, so a query is a
    handful of index-only probes and the table carries no surrogate id (1,000,000 items ≈ 35,000,000 rows)."""

    pk = models.CompositePrimaryKey("hash", "doc")
    hash = models.IntegerField()
    doc = models.ForeignKey(ReuseDocument, on_delete=models.CASCADE, db_index=False, related_name="+")

    class Meta:
        verbose_name = _("查重指纹")
        verbose_name_plural = _("查重指纹")
        indexes = [models.Index(fields=["doc"], name="quality_fp_doc")]

    def __str__(self) -> str:
        return f"{self.hash}:{self.doc_id}"


class CommonFingerprint(models.Model):
    """Fingerprints in so many documents that they are stock phrases, not evidence of copying (set by
    rebuild_reuse_index); they are neither stored nor looked up."""

    hash = models.IntegerField(primary_key=True)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("常见指纹")
        verbose_name_plural = _("常见指纹")
        ordering = ["hash"]

    def __str__(self) -> str:
        return str(self.hash)


class SecrecyKeyword(TimeStampedModel):
    word = models.CharField(_("关键词"), max_length=50, unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("保密审查关键词")
        verbose_name_plural = _("保密审查关键词")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class SecrecyClearance(TimeStampedModel):
    """The unit's signer confirmed that the keyword hits in this exact text are not secret (保密审查确认).
    Tied to the text's hash: any later change to title or body needs a new confirmation."""

    report = models.ForeignKey(
        "reports.Report", verbose_name=_("信息"), on_delete=models.CASCADE, related_name="secrecy_clearances"
    )
    text_hash = models.CharField(max_length=64, db_index=True)
    keywords = models.JSONField(_("命中关键词"), default=list)
    reason = models.CharField(_("确认理由"), max_length=500)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("保密审查确认")
        verbose_name_plural = _("保密审查确认")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.text_hash[:8]}"


class WordingKind(models.TextChoices):
    MISWRITING = "miswriting", _("常见错别字")
    SENSITIVE = "sensitive", _("敏感或不规范表述")


class WordingRule(TimeStampedModel):
    kind = models.CharField(_("类别"), max_length=12, choices=WordingKind.choices)
    wrong = models.CharField(_("错误写法"), max_length=50)
    correct = models.CharField(_("建议写法"), max_length=50, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("用语规则")
        verbose_name_plural = _("用语规则")
        ordering = ["kind", "wrong"]
        constraints = [models.UniqueConstraint(fields=["kind", "wrong"], name="unique_wording_rule")]

    def __str__(self) -> str:
        return f"{self.wrong} → {self.correct}"
