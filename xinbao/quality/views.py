"""Pages of the quality gate: the live check (htmx), the signer's secrecy confirmation, the reference corpus and
the secrecy keyword list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinbao.accounts.models import Role
from xinbao.common.errors import DomainError, NotFound, ValidationFailed
from xinbao.quality import services
from xinbao.quality.checks import secrecy_cleared
from xinbao.quality.forms import CheckForm, ConfirmForm, KeywordImportForm, ReferenceForm
from xinbao.quality.models import SecrecyKeyword
from xinbao.quality.selectors import quality_check, reference_list, report_for_secrecy, secrecy_findings
from xinbao.reports.selectors import can_edit_as_author, can_sign
from xinbao.reports.views.items import current_user, form_error, refuse, visible_or_404

UPLOAD_MAX = 5 * 1024 * 1024


@login_required
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """Findings for the posted title and body: hx-post from the edit and review pages (as the user types)."""
    form = CheckForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("输入有误"))
    user = current_user(request)
    report_id = form.cleaned_data["report"]
    if report_id:
        visible_or_404(user, report_id)
    result = quality_check(
        user=user, title=form.cleaned_data["title"], body=form.cleaned_data["body"], report_id=report_id
    )
    return render(request, "quality/_findings.html", {"findings": result})


@login_required
@require_GET
def report_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """Findings for an item as it is stored (htmx, loaded by the review and detail pages): the signer and the
    office editor see what the informant saw, reuse matches included."""
    user = current_user(request)
    report = visible_or_404(user, pk)
    result = quality_check(user=user, title=report.title, body=report.body, report_id=report.pk)
    return render(request, "quality/_findings.html", {"findings": result})


@login_required
@require_http_methods(["GET", "POST"])
def secrecy_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    try:
        report = report_for_secrecy(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if request.method == "POST" and request.POST.get("action") == "request":
        try:
            services.secrecy_request(actor=user, report=report)
        except DomainError as exc:
            refuse(exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已提请本单位审签人确认。"))
        return redirect("quality:secrecy_confirm", pk=pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.secrecy_confirm(actor=user, report=report, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已确认保密审查，该信息可以报送。"))
            return redirect("reports:detail", pk=pk)
    elif request.method == "POST" and not can_sign(user, report):
        raise PermissionDenied(_("只有本单位审签人（非起草人）可以确认保密审查"))
    hits = secrecy_findings(report.title, report.body)
    return render(
        request,
        "quality/secrecy_confirm.html",
        {
            "report": report,
            "hits": hits,
            "form": form,
            "may_confirm": can_sign(user, report),
            "may_request": can_edit_as_author(user, report),
            "cleared": secrecy_cleared(title=report.title, body=report.body, report=report),
            "clearances": report.secrecy_clearances.select_related("confirmed_by"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def references(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    may_upload = user.has_role(Role.EDITOR, Role.SIGNER, Role.SYSTEM_ADMIN)
    form = ReferenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied(_("您没有上传参考资料的权限"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                text = data["text"]
                upload = data.get("file")
                if upload is not None:
                    if upload.size > UPLOAD_MAX:
                        raise ValidationFailed(_("文件不能超过5MB"), field="file")
                    text = services.reference_text_from_upload(name=upload.name, content=upload.read())
                services.reference_create(actor=user, title=data["title"], source=data["source"], text=text)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("参考资料已加入查重库。"))
                return redirect("quality:references")
    docs = reference_list()[:200]
    return render(request, "quality/references.html", {"form": form, "docs": docs, "may_upload": may_upload})


@login_required
@require_http_methods(["GET", "POST"])
def keywords(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied(_("只有安全管理员可以维护保密审查关键词"))
    form = KeywordImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > UPLOAD_MAX:
                raise ValidationFailed(_("文件不能超过5MB"), field="file")
            rows = services.parse_word_list(name=upload.name, content=upload.read())
            added = services.secrecy_keywords_import(actor=user, rows=rows)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已导入，新增%(n)d个关键词。") % {"n": added})
            return redirect("quality:keywords")
    words = SecrecyKeyword.objects.all()
    return render(request, "quality/keywords.html", {"form": form, "words": words})


@login_required
def keywords_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = current_user(request)
    if not user.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied(_("只有安全管理员可以导出保密审查关键词"))
    if fmt == "xlsx":
        response = HttpResponse(
            services.secrecy_keywords_export_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            services.secrecy_keywords_export_txt(), content_type="text/plain; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="secrecy-keywords.{fmt}"'
    return response
