"""Attachments of an item: photos, video and documents (issue 3 item 1).

A file is accepted only when its extension AND its first bytes agree on one of the allowed types: a renamed
executable ("通知.pdf") is refused, so what an office downloads is what the name says. Files go through Django
storage (local disk or S3-compatible), under a generated name; the person's file name is kept for download.
"""

from __future__ import annotations

import os
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.reports.models import Attachment, Report, ReportState
from xinbao.reports.selectors import can_edit_as_author
from xinbao.search.services import attachment_text_soon, search_index_soon

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from xinbao.accounts.models import User

MAX_PER_REPORT = 30


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str


KINDS = {
    "jpg": Kind("image/jpeg", "JPG"),
    "jpeg": Kind("image/jpeg", "JPG"),
    "png": Kind("image/png", "PNG"),
    "gif": Kind("image/gif", "GIF"),
    "webp": Kind("image/webp", "WEBP"),
    "mp4": Kind("video/mp4", "MP4"),
    "pdf": Kind("application/pdf", "PDF"),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
}
ALLOWED_LABEL = "JPG、PNG、GIF、WEBP、MP4、PDF、DOCX、XLSX"
ACCEPT = ",".join(f".{ext}" for ext in KINDS)


def _zip_has(stream: IO[bytes], member: str) -> bool:
    # An Office file is a zip whose parts name what it is; a zip of anything else renamed .docx is refused.
    try:
        with zipfile.ZipFile(stream) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _signature_matches(ext: str, stream: IO[bytes]) -> bool:
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if ext in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext == "gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if ext == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if ext == "mp4":
        return head[4:8] == b"ftyp"
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext in ("docx", "xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        found = _zip_has(stream, "word/document.xml" if ext == "docx" else "xl/workbook.xml")
        stream.seek(0)
        return found
    return False


def _size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}MB" if size >= 1024 * 1024 else f"{size // 1024}KB"


def attachment_validate(upload: UploadedFile) -> Kind:
    """Check one uploaded file (extension, content signature, size); raises ValidationFailed in Chinese."""
    name = os.path.basename(upload.name or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = KINDS.get(ext)
    if kind is None:
        raise ValidationFailed(
            _("附件“%(name)s”的类型不允许，只能上传%(types)s文件") % {"name": name, "types": ALLOWED_LABEL},
            field="attachments",
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationFailed(_("附件“%(name)s”是空文件") % {"name": name}, field="attachments")
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationFailed(
            _("附件“%(name)s”大小为%(size)s，超过%(limit)s的上限")
            % {"name": name, "size": _size_label(size), "limit": _size_label(limit)},
            field="attachments",
        )
    if upload.file is None or not _signature_matches(ext, upload.file):
        raise ValidationFailed(
            _("附件“%(name)s”的内容与扩展名不符（不是真正的%(label)s文件），已拒绝上传")
            % {"name": name, "label": kind.label},
            field="attachments",
        )
    return kind


@transaction.atomic
def attachment_add(*, actor: User, report: Report, upload: UploadedFile) -> Attachment:
    """Attach a file while the item is its author's to edit (draft, refused at sign-off, returned)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not can_edit_as_author(actor, report):
        raise NotPermitted(_("当前状态下您不能为这条信息添加附件"))
    if report.attachments.count() >= MAX_PER_REPORT:
        raise ValidationFailed(_("每条信息最多%(n)d个附件") % {"n": MAX_PER_REPORT}, field="attachments")
    kind = attachment_validate(upload)
    original = os.path.basename(upload.name or "")[:200]
    ext = original.rsplit(".", 1)[-1].lower()
    attachment = Attachment(
        report=report,
        original_name=original,
        content_type=kind.content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    # A generated name: people's file names may hold characters storage backends mangle, and must not collide.
    attachment.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    try:
        attachment.save()
        audit_record(
            event_type=EventType.STATE_CHANGE,
            actor=actor,
            obj=report,
            detail={"attachment_add": original, "size": attachment.size, "stored": attachment.file.name},
        )
    except Exception:
        attachment.file.delete(save=False)  # the row is rolled back; do not leave the stored file behind
        raise
    attachment_text_soon(attachment.pk)  # its text becomes searchable (issue 7)
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    """Remove a file from a draft that never left the unit; once sent, what the office received stays."""
    report = Report.objects.select_for_update().get(pk=attachment.report_id)
    if not can_edit_as_author(actor, report):
        raise NotPermitted(_("当前状态下您不能删除这条信息的附件"))
    # A draft withdrawn after it was sent keeps its submissions (withdrawn): an office has seen those files.
    if report.state != ReportState.DRAFT or report.submissions.exists():
        raise ValidationFailed(_("信息已报送过，附件不能删除"))
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    name, stored = attachment.original_name, attachment.file.name
    attachment.delete()
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=report,
        detail={"attachment_remove": name, "stored": stored},
    )
    search_index_soon(report.pk)
    storage = attachment.file.storage
    # Delete the file only when the row's removal is committed, so a rollback keeps both.
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
