"""Writes of the quality capability: secrecy confirmation, the secrecy keyword list, reference documents; the wording
lists in ``services/wording.py`` (re-exported here)."""

from __future__ import annotations

import io
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.accounts.models import Role
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.common.xlsx import Column, write_table
from xinbao.notifications.services import notify
from xinbao.quality.checks import secrecy_cleared
from xinbao.quality.models import ReferenceDocument, SecrecyClearance, SecrecyKeyword
from xinbao.quality.reuse.index import index_reference, report_text, text_hash
from xinbao.quality.secrecy import hit_words
from xinbao.quality.services.wording import (
    ImportResult,
    RowsRefused,
    audit_list_export,
    wording_rule_save,
    wording_rule_set_active,
    wording_rules_export,
    wording_rules_import,
)
from xinbao.reports.models import Report
from xinbao.reports.selectors import can_edit_as_author, can_sign, unit_signers

if TYPE_CHECKING:
    from xinbao.accounts.models import User

__all__ = [
    "ImportResult",
    "RowsRefused",
    "wording_rule_save",
    "wording_rule_set_active",
    "wording_rules_export",
    "wording_rules_import",
]

REASON_MIN = 4
KEYWORD_MAX = 50
REFERENCE_MAX = 200_000
KEYWORD_COLUMNS = [Column(gettext_lazy("关键词"), 24), Column(gettext_lazy("说明"), 40)]


@transaction.atomic
def secrecy_confirm(*, actor: User, report: Report, reason: str) -> SecrecyClearance:
    """The unit's signer confirms that the keyword hits in the item's current text are not secret, with a reason
    (PRODUCT 3.6). Only a signer of the item's own unit, and not its drafter (reports.selectors.can_sign: someone
    else must read what he wrote). The confirmation covers this exact text; publishing to the public portal stays
    blocked (``public_release_allowed``)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not can_sign(actor, report):
        raise NotPermitted(_("只有本单位审签人（非起草人）可以确认保密审查"))
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationFailed(_("请填写确认理由（至少%(n)d个字）") % {"n": REASON_MIN}, field="reason")
    if len(reason) > 500:
        raise ValidationFailed(_("确认理由不能超过500个字"), field="reason")
    words = hit_words(report.title, report.body)
    if not words:
        raise ValidationFailed(_("这条信息没有保密审查命中，无需确认"), field="reason")
    digest = text_hash(report_text(report.title, report.body))
    clearance = SecrecyClearance.objects.create(
        report=report, text_hash=digest, keywords=words, reason=reason, confirmed_by=actor
    )
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=report,
        detail={"secrecy_confirmed": words, "reason": reason, "version": report.version},
    )
    notify(
        recipients=[report.created_by, *report.authors.all()],
        kind="secrecy_confirmed",
        title=_("保密审查已确认，可以报送：%(title)s") % {"title": report.title},
        url=reverse("reports:detail", args=[report.pk]),
    )
    return clearance


@transaction.atomic
def secrecy_request(*, actor: User, report: Report) -> None:
    """The drafter asks the unit's signers to review the keyword hits that hold the item back (the blocked
    submission itself writes nothing, so it cannot be the notice)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not can_edit_as_author(actor, report):
        raise NotPermitted(_("只有信息的作者可以提请保密审查确认"))
    words = hit_words(report.title, report.body)
    if not words:
        raise ValidationFailed(_("这条信息没有保密审查命中，无需确认"))
    if secrecy_cleared(title=report.title, body=report.body, report=report):
        raise ValidationFailed(_("当前文本已经审签人确认，可以直接报送"))
    signers = unit_signers(report).exclude(pk=actor.pk)
    if not signers.exists():
        raise ValidationFailed(_("本单位没有其他审签人，请联系单位管理员"))
    notify(
        recipients=signers,
        kind="secrecy_review",
        title=_("请确认保密审查：%(title)s（命中“%(words)s”）")
        % {"title": report.title, "words": "、".join(words)},
        url=reverse("quality:secrecy_confirm", args=[report.pk]),
    )


def _require(actor: User, *roles: str) -> None:
    if not actor.has_role(*roles):
        raise NotPermitted(_("您没有维护此清单的权限"))


def _clean_word(word: str, field: str) -> str:
    word = (word or "").strip()
    if not word:
        raise ValidationFailed(_("关键词不能为空"), field=field)
    if len(word) > KEYWORD_MAX:
        raise ValidationFailed(
            _("关键词“%(w)s”超过%(n)d个字") % {"w": word[:10], "n": KEYWORD_MAX}, field=field
        )
    return word


def parse_word_list(*, name: str, content: bytes) -> list[tuple[str, str]]:
    """(word, note) rows from a .txt (one per line, optional tab and note) or .xlsx (columns A and B)."""
    lower = name.lower()
    rows: list[tuple[str, str]] = []
    if lower.endswith(".txt"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(_("文本文件须为UTF-8编码"), field="file") from exc
        for line in text.splitlines():
            if line.strip():
                word, _sep, note = line.partition("\t")
                rows.append((word.strip(), note.strip()))
    elif lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True)
        except Exception as exc:
            raise ValidationFailed(_("无法读取该Excel文件"), field="file") from exc
        for row in book.active.iter_rows(values_only=True):
            if row and row[0] is not None and str(row[0]).strip():
                note = row[1] if len(row) > 1 and row[1] is not None else ""
                rows.append((str(row[0]).strip(), str(note).strip()))
        if rows and rows[0][0] in ("关键词", "word"):
            rows = rows[1:]
    else:
        raise ValidationFailed(_("请上传.txt或.xlsx文件"), field="file")
    if not rows:
        raise ValidationFailed(_("文件中没有关键词"), field="file")
    if len(rows) > 20000:
        raise ValidationFailed(_("一次最多导入20000个关键词"), field="file")
    return rows


@transaction.atomic
def secrecy_keywords_import(*, actor: User, rows: list[tuple[str, str]]) -> int:
    """Add or re-activate keywords (the security administrator keeps the 保密 list, 三员分立)."""
    _require(actor, Role.SECURITY_ADMIN)
    clean = [(_clean_word(w, "file"), (n or "")[:200]) for w, n in rows]
    added = 0
    for word, note in dict(clean).items():
        obj, created = SecrecyKeyword.objects.get_or_create(word=word, defaults={"note": note})
        if not created and (not obj.is_active or (note and obj.note != note)):
            obj.is_active, obj.note = True, note or obj.note
            obj.save()
        added += created
    audit_record(
        event_type=EventType.CONFIG_CHANGE, actor=actor, detail={"secrecy_keywords_import": len(clean)}
    )
    return added


@transaction.atomic
def secrecy_keyword_set_active(*, actor: User, keyword: SecrecyKeyword, active: bool) -> SecrecyKeyword:
    _require(actor, Role.SECURITY_ADMIN)
    keyword.is_active = active
    keyword.save()
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        detail={"secrecy_keyword": keyword.word, "active": active},
    )
    return keyword


def secrecy_keywords_export_txt(*, actor: User) -> bytes:
    _require(actor, Role.SECURITY_ADMIN)
    rows = list(SecrecyKeyword.objects.filter(is_active=True).values_list("word", "note"))
    audit_list_export(actor, "secrecy_keywords", "txt", len(rows))
    return "\n".join(f"{w}\t{n}" if n else w for w, n in rows).encode("utf-8")


def secrecy_keywords_export_xlsx(*, actor: User) -> IO[bytes]:
    """Through common.xlsx: a keyword is written as a text cell, so "=..." stays text in Excel/WPS."""
    _require(actor, Role.SECURITY_ADMIN)
    rows = list(SecrecyKeyword.objects.filter(is_active=True).values_list("word", "note"))
    audit_list_export(actor, "secrecy_keywords", "xlsx", len(rows))
    return write_table(_("保密审查关键词"), KEYWORD_COLUMNS, rows)


def reference_text_from_upload(*, name: str, content: bytes) -> str:
    lower = name.lower()
    if lower.endswith(".txt"):
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(_("文本文件须为UTF-8编码"), field="file") from exc
    if lower.endswith(".docx"):
        from docx import Document

        try:
            document = Document(io.BytesIO(content))
        except Exception as exc:
            raise ValidationFailed(_("无法读取该Word文件"), field="file") from exc
        return "\n".join(p.text for p in document.paragraphs)
    raise ValidationFailed(_("请上传.txt或.docx文件"), field="file")


@transaction.atomic
def reference_create(*, actor: User, title: str, source: str, text: str) -> ReferenceDocument:
    """Add outside material to the reuse corpus (editors and signers: they meet copied material first)."""
    _require(actor, Role.EDITOR, Role.SIGNER, Role.SYSTEM_ADMIN)
    title = (title or "").strip()
    text = (text or "").strip()
    if not title:
        raise ValidationFailed(_("标题不能为空"), field="title")
    if len(title) > 200:
        raise ValidationFailed(_("标题不能超过200个字"), field="title")
    if len((source or "").strip()) > 300:
        raise ValidationFailed(_("来源不能超过300个字"), field="source")
    if len(text) < 20:
        raise ValidationFailed(_("正文不能少于20个字"), field="text")
    if len(text) > REFERENCE_MAX:
        raise ValidationFailed(_("正文不能超过%(n)d个字") % {"n": REFERENCE_MAX}, field="text")
    doc = ReferenceDocument.objects.create(
        title=title, source=(source or "").strip(), text=text, uploaded_by=actor
    )
    index_reference(doc)
    audit_record(event_type=EventType.CONFIG_CHANGE, actor=actor, obj=doc, detail={"reference": title})
    return doc
