"""Author and signer actions (POST only): submit, withdraw, escalate, sign off; and the signer's queue.

Each action names the item by id, re-reads it through ``report_get_visible`` and lets the service decide; a refusal
is shown as a message on the page the person came from, and nothing is changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinbao.accounts.models import Role
from xinbao.common.errors import DomainError
from xinbao.reports.forms import EscalateForm, SignOffForm
from xinbao.reports.models import ReportState
from xinbao.reports.services import report_escalate, report_signoff, report_submit, report_withdraw
from xinbao.reports.todos import signoff_queue_for
from xinbao.reports.views.items import current_user, refuse, visible_or_404


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("reports:detail", pk=pk)


def _first_error(form) -> str:  # type: ignore[no-untyped-def]
    return next(iter(e for errors in form.errors.values() for e in errors), _("输入有误"))


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    report = visible_or_404(user, pk)
    try:
        report = report_submit(actor=user, report=report, key=request.POST.get("key", "")[:64])
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        if report.state == ReportState.PENDING_SIGNOFF:
            messages.success(request, _("已提交本单位审签人审签。"))
        else:
            messages.success(request, _("已报送接收单位。"))
    return _back(request, pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    report = visible_or_404(user, pk)
    try:
        report_withdraw(actor=user, report=report)
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回。"))
    return _back(request, pk)


@login_required
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    report = visible_or_404(user, pk)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(request, pk)
    try:
        escalation = report_escalate(actor=user, report=report, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已越级报送接收单位，并附审签等待记录（已等待%(m)d分钟）。") % {"m": escalation.waited_minutes},
        )
    return _back(request, pk)


@login_required
@require_POST
def signoff(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    report = visible_or_404(user, pk)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(request, pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        report_signoff(actor=user, report=report, approve=approve, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        if approve:
            messages.success(request, _("已同意报送：《%(title)s》") % {"title": report.title})
        else:
            messages.warning(
                request,
                _("已不同意报送：《%(title)s》，理由已记录并告知起草人和接收单位。")
                % {"title": report.title},
            )
    return _back(request, pk)


@login_required
@require_GET
def signoff_queue(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.has_role(Role.SIGNER):
        raise PermissionDenied(_("只有审签人可以查看待审签信息"))
    qs = signoff_queue_for(user).select_related("created_by").prefetch_related("authors")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "reports/signoff_queue.html", {"page": page, "form": SignOffForm()})
