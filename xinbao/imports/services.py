"""Writes of the import: accept an upload, run it (check every row, then write all or the good rows), retry with
the good rows only. One audit row per run (EventType.IMPORT) instead of one per unit or person; the stored file,
its SHA-256 in that row and the job's error list tell exactly what came in.

A run is: claim the job (pending → validating, so a task delivered twice runs once), read and check every row
with progress written as it goes, then one transaction that writes the rows, the job's result and the audit row
together — a crash half-way leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.accounts.passwords import policy_messages
from xinbao.audit.context import current_ip
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.imports.columns import COLUMNS_BY_KIND
from xinbao.imports.models import ImportJob, ImportKind, ImportMode, ImportStatus
from xinbao.imports.parsing import check_name_and_size, read_table
from xinbao.imports.people import validate_people, write_people
from xinbao.imports.selectors import may_import
from xinbao.imports.units import validate_units
from xinbao.imports.units_write import write_units

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from xinbao.accounts.models import User

logger = logging.getLogger(__name__)

FAILED_MESSAGE = gettext_lazy(
    "导入过程中发生系统错误，未导入任何数据。请稍后重试，或联系系统管理员查看日志。"
)
RACE_MESSAGE = gettext_lazy(
    "导入期间有人修改了相关数据（如单位编码或用户名刚被占用），未导入任何数据，请重新上传导入。"
)


@transaction.atomic
def import_job_create(
    *, actor: User, kind: str, upload: UploadedFile, mode: str, initial_password: str = ""
) -> ImportJob:
    """Check the file's size, format and header at once (the person is still on the page), store it and queue the
    row checks. The rows themselves are checked by the task: a 10 MB file takes longer than a request should."""
    if kind not in ImportKind.values:
        raise ValidationFailed(_("请选择导入内容（单位或人员）"), field="kind")
    if not may_import(actor, kind):
        raise NotPermitted(
            _("只有系统管理员可以批量导入单位")
            if kind == ImportKind.UNITS
            else _("只有单位管理员或系统管理员可以批量导入人员")
        )
    if mode not in ImportMode.values:
        raise ValidationFailed(_("请选择导入方式"), field="mode")
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    fmt = check_name_and_size(name, upload.size or 0)
    upload.seek(0)
    data = upload.read()
    read_table(data, fmt=fmt, columns=COLUMNS_BY_KIND[kind], first_row_only=True)
    password_hash = ""
    if kind == ImportKind.PEOPLE:
        if not initial_password:
            raise ValidationFailed(_("请设置导入人员的初始密码"), field="initial_password")
        try:
            validate_password(initial_password)
        except ValidationError as exc:
            raise ValidationFailed("".join(policy_messages(exc)), field="initial_password") from exc
        # Hashed once here and reused for every row: argon2 per row would take minutes for a county's staff.
        password_hash = make_password(initial_password)
    job = ImportJob(
        kind=kind,
        original_name=name,
        file_format=fmt,
        file_size=len(data),
        file_sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor,
        unit=actor.unit,
        source_ip=current_ip.get(),
        mode=mode,
        initial_password_hash=password_hash,
    )
    # A generated storage name: the person's file name (Chinese, spaces, any length) is kept for display only.
    job.file.save(f"{kind}-{uuid.uuid4().hex}.{fmt}", ContentFile(data), save=False)
    job.save()
    _enqueue(job)
    return job


@transaction.atomic
def import_job_import_good_rows(*, actor: User, job: ImportJob) -> ImportJob:
    """After a check found bad rows, the uploader may import the good ones and skip the rest."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise NotPermitted(_("只有上传该文件的人可以继续导入"))
    if not may_import(actor, job.kind):
        raise NotPermitted(_("您已没有批量导入的权限"))
    if job.status != ImportStatus.INVALID:
        raise ValidationFailed(_("该导入任务不是“校验未通过”状态，不能再导入"))
    if not job.errors or any(not e.get("row") for e in job.errors):
        raise ValidationFailed(_("文件本身有错误（格式或表头），请修改后重新上传"))
    if job.error_rows >= job.total_rows:
        raise ValidationFailed(_("所有行都有错误，没有可以导入的行"))
    job.mode = ImportMode.GOOD_ROWS
    job.status = ImportStatus.PENDING
    job.processed_rows = 0
    job.errors = []
    job.message = ""
    job.save(update_fields=["mode", "status", "processed_rows", "errors", "message", "updated_at"])
    _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    from xinbao.imports.tasks import run_import

    job_id = job.pk
    transaction.on_commit(lambda: run_import.enqueue(job_id))


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Check and import one job. Safe to run twice: only a pending job is claimed."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.VALIDATING,
        started_at=timezone.now(),
        processed_rows=0,
        updated_at=timezone.now(),
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by", "created_by__unit").get(pk=job_id)
    try:
        _run(job)
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        _finish_failed(job, str(RACE_MESSAGE if isinstance(exc, IntegrityError) else FAILED_MESSAGE))
    job.refresh_from_db()
    return job


def _run(job: ImportJob) -> None:
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        table = read_table(data, fmt=job.file_format, columns=COLUMNS_BY_KIND[job.kind])
    except ValidationFailed as exc:
        _finish_invalid(job, [{"row": None, "column": "", "message": exc.message}], total=0)
        return
    job.total_rows = len(table.rows)
    job.save(update_fields=["total_rows", "updated_at"])
    actor = job.created_by

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=min(done, job.total_rows), updated_at=timezone.now()
        )

    plan: Any = (
        validate_units(actor=actor, table=table, progress=progress)
        if job.kind == ImportKind.UNITS
        else validate_people(actor=actor, table=table, progress=progress)
    )
    errors = plan.errors.sorted()
    good = plan.good
    if errors and (job.mode == ImportMode.ALL_OR_NOTHING or not good):
        _finish_invalid(job, errors, total=job.total_rows)
        return
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.IMPORTING, processed_rows=job.total_rows, errors=errors, updated_at=timezone.now()
    )
    _write(job, plan, errors)


@transaction.atomic
def _write(job: ImportJob, plan: Any, errors: list[dict[str, Any]]) -> None:
    actor = job.created_by
    note = _("批量导入（任务#%(id)d）") % {"id": job.pk}
    detail: dict[str, Any] = {}
    if job.kind == ImportKind.UNITS:
        units = write_units(plan=plan, note=note)
        job.created_count, job.updated_count = units.created, units.updated
        detail = {"unchanged": units.unchanged, "moved": units.moved, "direct_targets_set": units.targets_set}
    else:
        people = write_people(plan=plan, actor=actor, password_hash=job.initial_password_hash, reason=note)
        job.created_count = people.created
        detail = {"roles": people.roles, "informants_registered": people.informants}
    job.skipped_count = len(plan.errors.bad)
    job.status = ImportStatus.DONE
    job.processed_rows = job.total_rows
    job.errors = errors
    job.initial_password_hash = ""
    job.finished_at = timezone.now()
    job.save()
    _audit(job, success=True, extra=detail)


def _finish_invalid(job: ImportJob, errors: list[dict[str, Any]], *, total: int) -> None:
    with transaction.atomic():
        job.status = ImportStatus.INVALID
        job.total_rows = total
        job.processed_rows = total
        job.errors = errors
        job.finished_at = timezone.now()
        job.save()
        _audit(job, success=False)


def _finish_failed(job: ImportJob, message: str) -> None:
    with transaction.atomic():
        job.refresh_from_db()
        job.status = ImportStatus.FAILED
        job.message = message
        job.initial_password_hash = ""
        job.processed_rows = min(job.processed_rows, job.total_rows)
        job.finished_at = timezone.now()
        job.save()
        _audit(job, success=False)


def _audit(job: ImportJob, *, success: bool, extra: dict[str, Any] | None = None) -> None:
    audit_record(
        event_type=EventType.IMPORT,
        actor=job.created_by,
        obj=job,
        ip=job.source_ip,
        success=success,
        detail={
            "kind": job.kind,
            "file": job.original_name,
            "sha256": job.file_sha256,
            "mode": job.mode,
            "status": job.status,
            "rows": job.total_rows,
            "created": job.created_count,
            "updated": job.updated_count,
            "skipped": job.skipped_count,
            "error_rows": job.error_rows,
            **(extra or {}),
        },
    )
