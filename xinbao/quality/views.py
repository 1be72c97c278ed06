"""Pages of the quality gate: the live check (htmx), the signer's secrecy confirmation, the reference corpus, the
secrecy keyword list and the wording lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinbao.accounts.models import Role
from xinbao.common.errors import DomainError, NotFound, ValidationFailed
from xinbao.common.xlsx import xlsx_response
from xinbao.imports.parsing import check_name_and_size
from xinbao.quality import services
from xinbao.quality.checks import secrecy_cleared
from xinbao.quality.forms import (
    CheckForm,
    ConfirmForm,
    KeywordImportForm,
    ReferenceForm,
    WordingFilterForm,
    WordingImportForm,
    WordingRuleForm,
)
from xinbao.quality.models import SecrecyKeyword
from xinbao.quality.selectors import (
    may_keep_wording_rules,
    quality_check,
    reference_list,
    report_for_secrecy,
    secrecy_findings,
    wording_rule_get,
    wording_rule_list,
)
from xinbao.reports.selectors import can_edit_as_author, can_sign
from xinbao.reports.views.items import current_user, form_error, refuse, visible_or_404

if TYPE_CHECKING:
    from xinbao.accounts.models import User

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
@require_GET
def keywords_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    user = current_user(request)
    if not user.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied(_("只有安全管理员可以导出保密审查关键词"))
    if fmt == "xlsx":
        return xlsx_response(services.secrecy_keywords_export_xlsx(actor=user), "secrecy-keywords")
    response = HttpResponse(
        services.secrecy_keywords_export_txt(actor=user), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="secrecy-keywords.txt"'
    return response


# --- wording lists ---------------------------------------------------------------------------------------------------

WORDING_PAGE_SIZE = 50


def _wording_keeper(request: HttpRequest) -> User:
    user = current_user(request)
    if not may_keep_wording_rules(user):
        raise PermissionDenied(_("只有收文单位的编辑和系统管理员可以维护用语规则"))
    return user


@login_required
@require_http_methods(["GET", "POST"])
def wording_rules(request: HttpRequest) -> HttpResponse:
    """The list with its filter, the add form and the import (POST ``action`` = create or import)."""
    user = _wording_keeper(request)
    action = request.POST.get("action") if request.method == "POST" else None
    # Two forms on one page with the same field names: distinct ids keep each label on its own field.
    form = WordingRuleForm(request.POST if action == "create" else None, auto_id="rule_%s")
    import_form = (
        WordingImportForm(request.POST or None, request.FILES or None) if action == "import" else None
    )
    import_errors: list[dict[str, object]] = []
    if action == "create" and form.is_valid():
        try:
            rule = services.wording_rule_save(actor=user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存用语规则“%(w)s”。") % {"w": rule.wrong})
            return redirect("quality:wording_rules")
    elif import_form is not None and import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            check_name_and_size(upload.name, upload.size)  # before reading it into memory
            result = services.wording_rules_import(actor=user, name=upload.name, content=upload.read())
        except services.RowsRefused as exc:
            import_form.add_error("file", exc.headline)
            import_errors = exc.errors
        except DomainError as exc:
            form_error(import_form, exc)
        else:
            messages.success(
                request,
                _("已导入：新增%(a)d条，修改%(c)d条，未变%(u)d条。")
                % {"a": result.added, "c": result.changed, "u": result.unchanged},
            )
            return redirect("quality:wording_rules")
    elif action not in (None, "create", "import"):
        return HttpResponseBadRequest(_("输入有误"))
    filter_form = WordingFilterForm(request.GET or None, auto_id="filter_%s")
    rules = wording_rule_list(user=user, filters=filter_form.filters())
    page = Paginator(rules, WORDING_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quality/wording_rules.html",
        {
            "filter_form": filter_form,
            "form": form,
            "import_form": import_form or WordingImportForm(),
            "import_errors": import_errors,
            "page": page,
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def wording_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _wording_keeper(request)
    try:
        rule = wording_rule_get(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    initial = {"kind": rule.kind, "wrong": rule.wrong, "correct": rule.correct, "note": rule.note}
    form = WordingRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.wording_rule_save(actor=user, rule=rule, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("已保存用语规则“%(w)s”。") % {"w": form.cleaned_data["wrong"].strip()}
            )
            return redirect("quality:wording_rules")
    return render(request, "quality/wording_rule_form.html", {"form": form, "rule": rule})


@login_required
@require_POST
def wording_rule_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _wording_keeper(request)
    try:
        rule = wording_rule_get(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    active = request.POST.get("active")
    if active not in ("0", "1"):
        return HttpResponseBadRequest(_("输入有误"))
    try:
        services.wording_rule_set_active(actor=user, rule=rule, active=active == "1")
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        done = _("已重新启用“%(w)s”。") if active == "1" else _("已停用“%(w)s”，历史记录保留。")
        messages.success(request, done % {"w": rule.wrong})
    # Back to the list as it was filtered; re-encoded, so the field can only ever carry a query string.
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return redirect(reverse("quality:wording_rules") + (f"?{query}" if query else ""))


@login_required
@require_GET
def wording_rules_export(request: HttpRequest) -> HttpResponseBase:
    """The rows the page shows for the same filter, all pages."""
    user = _wording_keeper(request)
    rules = wording_rule_list(user=user, filters=WordingFilterForm(request.GET or None).filters())
    return xlsx_response(services.wording_rules_export(actor=user, rules=rules), "wording-rules")
