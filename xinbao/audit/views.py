"""The audit administrator's pages: the log with filters and paging, .xlsx export, verification on demand."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinbao.audit.exports import detail_text
from xinbao.audit.forms import AuditFilterForm
from xinbao.audit.models import EventType
from xinbao.audit.selectors import audit_events_visible_to
from xinbao.audit.services import audit_export, audit_record, audit_verify_run
from xinbao.common.errors import DomainError
from xinbao.orgs.selectors import can_read_audit

PAGE_SIZE = 50


def _require_auditor(request: HttpRequest) -> None:
    """三员分立: the system and security administrators are refused like everyone else, and the attempt is logged."""
    if can_read_audit(request.user):
        return
    audit_record(
        event_type=EventType.PERMISSION_DENIED,
        actor=request.user,
        object_type="audit.auditevent",
        object_repr=request.path[:200],
        success=False,
    )
    raise PermissionDenied(_("只有审计管理员可以查看审计日志（三员分立）。"))


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict[str, Any] | None]:
    form = AuditFilterForm(request.GET or None)
    if not request.GET:
        return form, {}
    if form.is_valid():
        return form, form.cleaned_data
    return form, None


@login_required
@require_GET
def log_view(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form, filters = _filters(request)
    page = None
    if filters is not None:
        paginator = Paginator(audit_events_visible_to(user=request.user, filters=filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        for event in page.object_list:
            event.detail_text = detail_text(event.detail)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_GET
def export_view(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    _form, filters = _filters(request)
    back = reverse("audit:log") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if filters is None:
        messages.error(request, _("筛选条件有误，请更正后再导出。"))
        return redirect(back)
    try:
        export = audit_export(actor=request.user, filters=filters)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    name = _("审计日志_%(stamp)s.xlsx") % {"stamp": f"{timezone.localtime():%Y%m%d_%H%M%S}"}
    return FileResponse(
        export.file,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_POST
def verify_view(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    result = audit_verify_run(actor=request.user)
    if request.htmx:
        return render(request, "audit/_verify_result.html", {"result": result})
    if result.ok:
        messages.success(request, _("审计日志完整：共校验%(n)d条记录。") % {"n": result.checked})
    else:
        messages.error(
            request,
            _("审计日志不完整：第一处断链在记录 #%(id)s：%(reason)s")
            % {"id": result.broken_id or "—", "reason": result.reason},
        )
    return redirect("audit:log")
