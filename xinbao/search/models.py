"""What the search index knows about an item, beside the item itself.

``SearchDocument`` marks an item as indexed (and when); the tokens live in the database's own index structure:
an FTS5 table ``search_fts`` on SQLite, a ``vector tsvector`` column of this table with a GIN index on PostgreSQL
(migration 0002). ``AttachmentText`` keeps the text extracted from an attachment once, so re-indexing an edited item
does not re-read its files."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinbao.common.models import TimeStampedModel


class SearchDocument(models.Model):
    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    indexed_at = models.DateTimeField(_("索引时间"))

    class Meta:
        verbose_name = _("检索索引")
        verbose_name_plural = _("检索索引")
        ordering = ["report_id"]

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.indexed_at:%Y-%m-%d %H:%M}"


class AttachmentText(TimeStampedModel):
    attachment = models.OneToOneField(
        "reports.Attachment", on_delete=models.CASCADE, primary_key=True, related_name="extracted_text"
    )
    text = models.TextField(_("提取的文字"), blank=True)
    #: Why nothing was extracted (unsupported type, unreadable file); empty when text was found.
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("附件文字")
        verbose_name_plural = _("附件文字")
        ordering = ["attachment_id"]

    def __str__(self) -> str:
        return f"{self.attachment_id}: {len(self.text)}"
