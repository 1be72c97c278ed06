"""约稿 and 信息需求要点 pages: list, publish, the commission with each unit's completion, answer, close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinbao.accounts.models import Role
from xinbao.common.errors import DomainError, NotFound
from xinbao.followups.forms import AnswerForm, CommissionForm
from xinbao.followups.models import CommissionState
from xinbao.followups.selectors import (
    commission_answers_for,
    commission_get_visible,
    commission_list_visible_to,
    commission_targets_for,
    is_office_editor,
    subordinate_units,
)
from xinbao.followups.services import commission_answer_submit, commission_close, commission_publish
from xinbao.reports.views.items import current_user, form_error, refuse


def _get(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    try:
        return commission_get_visible(user=current_user(request), pk=pk)
    except NotFound as exc:
        refuse(exc)


@login_required
def commission_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    kind = request.GET.get("kind", "")
    qs = commission_list_visible_to(user=user, filters={"kind": kind} if kind else None)
    return render(
        request,
        "followups/commission_list.html",
        {
            "commissions": qs[:100],
            "kind": kind,
            "can_publish": user.unit_id is not None and is_office_editor(user, user.unit_id),
        },
    )


@login_required
def commission_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user.unit is None or not is_office_editor(user, user.unit.pk):
        raise PermissionDenied(_("只有接收单位的编辑可以发布约稿"))
    units = subordinate_units(user.unit)
    form = CommissionForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commission = commission_publish(
                actor=user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                deadline=data["deadline"],
                period=data["period"],
                is_flagship=data["is_flagship"],
                units=list(data["units"]) or None,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已发布。"))
            return redirect("followups:commission", pk=commission.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "followups/commission_form.html", {"form": form}, status=status)


def _detail_context(request: HttpRequest, commission, answer_form=None):  # type: ignore[no-untyped-def]
    user = current_user(request)
    targets = list(commission_targets_for(user=user, commission=commission))
    mine = next((t for t in targets if t.unit_id == user.unit_id), None)
    can_answer = (
        mine is not None
        and commission.state == CommissionState.PUBLISHED
        and user.has_role(Role.INFORMANT, Role.EDITOR)
    )
    return {
        "commission": commission,
        "targets": targets,
        "answers": commission_answers_for(user=user, commission=commission),
        "is_office": is_office_editor(user, commission.office_id),
        "answer_form": answer_form or (AnswerForm() if can_answer else None),
    }


@login_required
def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "followups/commission_detail.html", _detail_context(request, _get(request, pk)))


@login_required
@require_POST
def commission_answer(request: HttpRequest, pk: int) -> HttpResponse:
    commission = _get(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            commission_answer_submit(
                actor=current_user(request),
                commission=commission,
                title=data["title"],
                body=data["body"],
                report_type=data["report_type"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已报送，审签后送达发布单位。"))
            return redirect("followups:commission", pk=commission.pk)
    context = _detail_context(request, commission, answer_form=form)
    return render(request, "followups/commission_detail.html", context, status=400)


@login_required
@require_POST
def commission_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    commission = _get(request, pk)
    try:
        commission_close(actor=current_user(request), commission=commission)
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("约稿已结束。"))
    return redirect("followups:commission", pk=commission.pk)
