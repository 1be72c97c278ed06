"""Recording leaders' instructions (领导批示, PRODUCT 3.2 and 3.3).

An editor of an office that received the item (or whose own item it is) records each 批示 separately: leader, rank,
text, date and optionally the scanned 批示件. The scan is accepted only as JPG, PNG or PDF whose first bytes agree
with its extension, at most 10 MB, and is stored through Django storage under a generated name.
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.followups.models import Instruction, LeaderRank
from xinbao.followups.selectors import can_record_instruction
from xinbao.reports.models import Report, ReportState

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from xinbao.accounts.models import User
    from xinbao.bulletins.models import IssueEntry

IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "pdf")
IMAGE_ACCEPT = ",".join(f".{e}" for e in IMAGE_EXTENSIONS)
TEXT_MAX = 2000


def _signature_ok(ext: str, stream: IO[bytes]) -> bool:
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if ext in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    return head.startswith(b"%PDF-")


def validate_scan(upload: UploadedFile) -> str:
    """The lower-case extension of an acceptable scan, or ValidationFailed naming the field."""
    name = upload.name or ""
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    if ext not in IMAGE_EXTENSIONS:
        raise ValidationFailed(_("批示件扫描只能是JPG、PNG或PDF文件"), field="image")
    if not upload.size:
        raise ValidationFailed(_("批示件扫描是空文件"), field="image")
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationFailed(_("批示件扫描不能超过10MB"), field="image")
    if not _signature_ok(ext, upload):
        raise ValidationFailed(
            _("批示件扫描“%(name)s”的内容与扩展名不符") % {"name": os.path.basename(name)}, field="image"
        )
    return ext


def _clean(
    leader_name: str, leader_title: str, rank: str, text: str, instructed_on: date | None
) -> tuple[str, str, str, date]:
    leader_name = (leader_name or "").strip()
    leader_title = (leader_title or "").strip()
    text = (text or "").strip().replace("\r\n", "\n")
    if not leader_name:
        raise ValidationFailed(_("请填写批示领导姓名"), field="leader_name")
    if len(leader_name) > 40:
        raise ValidationFailed(_("批示领导姓名不能超过40个字"), field="leader_name")
    if len(leader_title) > 60:
        raise ValidationFailed(_("领导职务不能超过60个字"), field="leader_title")
    if rank not in LeaderRank.values:
        raise ValidationFailed(_("请选择领导级别"), field="rank")
    if not text:
        raise ValidationFailed(_("请填写批示内容"), field="text")
    if len(text) > TEXT_MAX:
        raise ValidationFailed(_("批示内容不能超过2000个字"), field="text")
    if instructed_on is None:
        raise ValidationFailed(_("请填写批示日期"), field="instructed_on")
    if instructed_on > timezone.localdate():
        raise ValidationFailed(_("批示日期不能晚于今天"), field="instructed_on")
    return leader_name, leader_title, text, instructed_on


@transaction.atomic
def instruction_record(
    *,
    actor: User,
    report: Report,
    leader_name: str,
    rank: str,
    text: str,
    instructed_on: date | None,
    leader_title: str = "",
    image: UploadedFile | None = None,
    issue_entry: IssueEntry | None = None,
) -> Instruction:
    """Record one 批示 on a sent item. Only an editor of an office the item reached may (PRODUCT 1: editors record
    批示); a 批示 on an item still with its author (draft, awaiting sign-off) is refused."""
    if not can_record_instruction(actor, report):
        raise NotPermitted(_("只有收到这条信息的接收单位的编辑可以登记批示"))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.SENT:
        raise ValidationFailed(_("这条信息尚未报送，不能登记批示"))
    leader_name, leader_title, text, day = _clean(leader_name, leader_title, rank, text, instructed_on)
    ext = validate_scan(image) if image is not None else ""
    assert actor.unit is not None  # can_record_instruction checked it
    if issue_entry is not None and (
        issue_entry.report_id != report.pk or issue_entry.issue.series.office_id != actor.unit.pk
    ):
        raise ValidationFailed(_("刊发条目不是本单位刊物中刊发的这条信息"), field="issue_entry")
    if issue_entry is not None and not issue_entry.issue.is_published:
        # A draft was never read by a leader; the 批示 is on the printed issue.
        raise ValidationFailed(_("这期刊物尚未印发，不能在其上登记批示"), field="issue_entry")
    instruction = Instruction(
        report=report,
        issue_entry=issue_entry,
        office=actor.unit,
        leader_name=leader_name,
        leader_title=leader_title,
        rank=rank,
        text=text,
        instructed_on=day,
        recorded_by=actor,
    )
    if image is not None:
        instruction.image_name = os.path.basename(image.name or "")[:200]
        instruction.image.save(f"{uuid.uuid4().hex}.{ext}", image, save=False)
    instruction.save()
    audit_record(
        event_type=EventType.STATE_CHANGE,
        actor=actor,
        obj=instruction,
        detail={"to": "recorded", "report": report.pk, "rank": rank, "leader": leader_name},
    )
    return instruction
