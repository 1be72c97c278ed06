"""The duty log (值班记录) and handovers (交接班) pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinbao.common.errors import DomainError, NotFound
from xinbao.duty.forms import HandoverForm, LogEntryForm
from xinbao.duty.models import LogKind
from xinbao.duty.selectors import (
    duty_colleagues,
    handover_get_visible,
    handover_list_visible_to,
    log_entry_get_visible,
    log_entry_list_visible_to,
    may_edit_duty,
    on_duty_at,
)
from xinbao.duty.services import handover_acknowledge, handover_create, log_entry_record
from xinbao.duty.views.access import office_for_editor, office_for_reader


def _now_initial() -> dict:
    return {"at": timezone.localtime().replace(second=0, microsecond=0)}


@login_required
def duty_log(request: HttpRequest) -> HttpResponse:
    office = office_for_reader(request)
    corrects = None
    if request.GET.get("corrects") or request.POST.get("corrects"):
        try:
            corrects = log_entry_get_visible(
                user=request.user, pk=int(request.POST.get("corrects") or request.GET.get("corrects") or 0)
            )
        except (NotFound, ValueError) as exc:
            raise Http404(_("被更正的记录不存在")) from exc
    form = LogEntryForm(request.POST if request.method == "POST" else None, initial=_now_initial())
    if request.method == "POST":
        office = office_for_editor(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                log_entry_record(
                    actor=request.user,
                    office=office,
                    at=data["at"],
                    kind=data["kind"],
                    content=data["content"],
                    corrects=corrects,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("值班记录已保存"))
                return redirect("duty:log")
    kind = request.GET.get("kind") if request.GET.get("kind") in LogKind.values else None
    page = Paginator(log_entry_list_visible_to(user=request.user, kind=kind), 30).get_page(
        request.GET.get("page")
    )
    context = {
        "office": office,
        "form": form,
        "page": page,
        "kind": kind,
        "kinds": LogKind.choices,
        "corrects": corrects,
        "editable": may_edit_duty(request.user, office),
        "on_duty": on_duty_at(office=office, at=timezone.now()),
    }
    return render(request, "duty/log.html", context)


@login_required
def handovers(request: HttpRequest) -> HttpResponse:
    office = office_for_reader(request)
    colleagues = duty_colleagues(office).exclude(pk=request.user.pk)
    form = HandoverForm(request.POST if request.method == "POST" else None, colleagues=colleagues)
    if request.method == "POST":
        office = office_for_editor(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                handover_create(
                    actor=request.user,
                    office=office,
                    from_shift=data["from_shift"],
                    to_shift=data["to_shift"],
                    incoming=data["incoming"],
                    outstanding=data["outstanding"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("交班记录已保存，已通知接班人确认"))
                return redirect("duty:handovers")
    page = Paginator(handover_list_visible_to(user=request.user), 20).get_page(request.GET.get("page"))
    context = {"office": office, "form": form, "page": page, "editable": may_edit_duty(request.user, office)}
    return render(request, "duty/handovers.html", context)


@login_required
@require_POST
def handover_ack(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        handover = handover_get_visible(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        handover_acknowledge(actor=request.user, handover=handover)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认接班"))
    return redirect("duty:handovers")
