"""Import pages: upload, job status (polled by htmx while it runs), good-rows retry, template and error downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinbao.common.errors import DomainError, NotFound
from xinbao.imports.forms import ImportStartForm
from xinbao.imports.models import ImportJob, ImportKind, ImportStatus
from xinbao.imports.selectors import import_job_get_visible, import_job_list_visible_to, may_import
from xinbao.imports.services import import_job_create, import_job_import_good_rows
from xinbao.imports.workbooks import XLSX_TYPE, errors_xlsx, template_bytes

#: More errors than this are offered as a download instead of one very long page.
ERRORS_ON_PAGE = 500


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    try:
        return import_job_get_visible(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_import(user):
        raise PermissionDenied(_("只有单位管理员或系统管理员可以批量导入"))
    kinds = [k for k in ImportKind.values if may_import(user, k)]
    form = ImportStartForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                actor=user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                mode=form.cleaned_data["mode"],
                initial_password=form.cleaned_data.get("initial_password") or "",
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("文件已上传，正在校验。"))
            return redirect("imports:status", pk=job.pk)
    jobs = import_job_list_visible_to(user=user)[:20]
    return render(request, "imports/start.html", {"form": form, "jobs": jobs, "kinds": kinds})


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    context = {
        "job": job,
        "errors": job.errors[:ERRORS_ON_PAGE],
        "errors_truncated": len(job.errors) > ERRORS_ON_PAGE,
        "file_errors": [e for e in job.errors if not e.get("row")],
        "may_retry": (
            job.status == ImportStatus.INVALID
            and job.created_by_id == request.user.pk
            and job.errors
            and all(e.get("row") for e in job.errors)
            and job.error_rows < job.total_rows
        ),
        "unchanged": max(0, job.total_rows - job.created_count - job.updated_count - job.skipped_count),
    }
    template = "imports/_job.html" if request.htmx else "imports/status.html"
    return render(request, template, context)


@login_required
@require_POST
def import_good_rows(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    try:
        import_job_import_good_rows(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("正在导入正确的行，有错误的行将被跳过。"))
    return redirect("imports:status", pk=job.pk)


@login_required
def errors_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    response = HttpResponse(errors_xlsx(job.errors), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.xlsx"'
    return response


@login_required
def template_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in ImportKind.values or fmt not in ("xlsx", "csv"):
        raise Http404(_("没有这种模板"))
    if not may_import(request.user, kind):
        raise PermissionDenied(_("您没有导入该类数据的权限"))
    content, content_type, name = template_bytes(kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
