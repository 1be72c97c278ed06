"""信息员备案 pages: the registry with its gaps, register, change kind, end, and a unit's filed history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from xinbao.common.errors import DomainError, NotFound
from xinbao.common.forms import Form
from xinbao.orgs.forms import (
    InformantChangeKindForm,
    InformantEndForm,
    InformantFilterForm,
    InformantRegisterForm,
)
from xinbao.orgs.models import InformantKind, InformantRecord, Unit, UnitKind
from xinbao.orgs.selectors import (
    can_manage_informants,
    can_view_registry,
    has_region_wide_view,
    informant_candidates,
    informant_changes_for_unit,
    informant_gaps,
    informant_get_visible,
    informant_list_visible_to,
    unit_breadcrumb,
    unit_get_visible,
    unit_list_without_informant,
)
from xinbao.orgs.services import informant_change_kind, informant_end, informant_register
from xinbao.orgs.views.common import current_user, form_error, visible_unit_or_404

PAGE_SIZE = 50
REGISTRY_REFUSED = gettext_lazy("只有单位管理员、系统管理员和接收单位的工作人员可以查看信息员备案")
MANAGE_REFUSED = gettext_lazy("只有本单位管理员或本辖区系统管理员可以办理信息员备案")


@login_required
@require_GET
def registry(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not can_view_registry(user):
        raise PermissionDenied(str(REGISTRY_REFUSED))
    filter_form = InformantFilterForm(request.GET or None)
    filters: dict = {"current": True}
    filter_unit = None
    if filter_form.is_valid():
        filters |= {k: v for k, v in filter_form.cleaned_data.items() if v not in (None, "")}
        if filters.get("unit"):
            try:
                filter_unit = unit_get_visible(user=user, pk=filters["unit"])
            except NotFound:
                filters.pop("unit")
    records = Paginator(informant_list_visible_to(user=user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    gap_units = unit_list_without_informant(user=user)
    if filter_unit is not None:
        gap_units = gap_units.filter(pk=filter_unit.pk)
    gap_page = Paginator(gap_units, PAGE_SIZE).get_page(request.GET.get("gap_page"))
    # Only the page shown is explained (never/lapsed), so a province with thousands of gaps stays one page fast.
    gaps = informant_gaps(list(gap_page.object_list))
    manageable = {r.unit_id for r in records if can_manage_informants(user, r.unit)}
    manageable |= {g.unit.pk for g in gaps if can_manage_informants(user, g.unit)}
    query = request.GET.copy()
    for key in ("page", "gap_page"):
        query.pop(key, None)
    return render(
        request,
        "orgs/informants.html",
        {
            "filter_form": filter_form,
            "filter_unit": filter_unit,
            "records": records,
            "gaps": gaps,
            "gap_page": gap_page,
            "manageable": manageable,
            "region_wide": has_region_wide_view(user),
            "query": query.urlencode(),
        },
    )


def _manageable_unit(request: HttpRequest, pk: int) -> Unit:
    unit = visible_unit_or_404(request, pk)
    if not can_manage_informants(current_user(request), unit):
        raise PermissionDenied(str(MANAGE_REFUSED))
    return unit


def _manageable_record(request: HttpRequest, pk: int) -> InformantRecord:
    try:
        record = informant_get_visible(user=current_user(request), pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not can_manage_informants(current_user(request), record.unit):
        raise PermissionDenied(str(MANAGE_REFUSED))
    return record


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _manageable_unit(request, pk)
    if unit.kind == UnitKind.REGION:
        messages.error(request, _("行政区节点不设信息员，请选择具体单位。"))
        return redirect("orgs:unit_detail", pk=unit.pk)
    form = InformantRegisterForm(request.POST or None, candidates=informant_candidates(unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = informant_register(
                actor=current_user(request),
                unit=unit,
                person=data["person"],
                kind=data["kind"],
                start_date=data["start_date"],
                reason=data["reason"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("已将%(person)s备案为%(unit)s%(kind)s信息员。")
                % {"person": record.person.full_name, "unit": unit.name, "kind": record.get_kind_display()},
            )
            return redirect("orgs:informant_history", pk=unit.pk)
    return _form_page(request, form, unit, title=_("信息员备案"), submit=_("备案"))


@login_required
def change_kind(request: HttpRequest, pk: int) -> HttpResponse:
    record = _manageable_record(request, pk)
    if not record.is_current:
        messages.error(request, _("该备案已终止，不能变更。"))
        return redirect("orgs:informant_history", pk=record.unit_id)
    other = InformantKind.PART_TIME if record.kind == InformantKind.FULL_TIME else InformantKind.FULL_TIME
    form = InformantChangeKindForm(request.POST or None, initial={"kind": other})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            informant_change_kind(
                actor=current_user(request),
                record=record,
                kind=data["kind"],
                effective_date=data["effective_date"],
                reason=data["reason"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("已变更%(person)s的信息员类型。") % {"person": record.person.full_name}
            )
            return redirect("orgs:informant_history", pk=record.unit_id)
    return _form_page(request, form, record.unit, title=_("变更信息员类型"), submit=_("变更"), record=record)


@login_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    record = _manageable_record(request, pk)
    if not record.is_current:
        messages.error(request, _("该备案已终止。"))
        return redirect("orgs:informant_history", pk=record.unit_id)
    form = InformantEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            informant_end(
                actor=current_user(request), record=record, end_date=data["end_date"], reason=data["reason"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("已终止%(person)s的信息员备案。") % {"person": record.person.full_name}
            )
            return redirect("orgs:informant_history", pk=record.unit_id)
    return _form_page(
        request, form, record.unit, title=_("终止信息员备案"), submit=_("终止备案"), record=record
    )


def _form_page(
    request: HttpRequest,
    form: Form,
    unit: Unit,
    *,
    title: str,
    submit: str,
    record: InformantRecord | None = None,
) -> HttpResponse:
    return render(
        request,
        "orgs/informant_form.html",
        {
            "form": form,
            "unit": unit,
            "breadcrumb": unit_breadcrumb(unit),
            "record": record,
            "title": title,
            "submit": submit,
        },
    )


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    unit = visible_unit_or_404(request, pk)
    if not can_view_registry(user, unit):
        raise PermissionDenied(str(REGISTRY_REFUSED))
    changes = Paginator(informant_changes_for_unit(user=user, unit=unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "orgs/informant_history.html",
        {
            "unit": unit,
            "breadcrumb": unit_breadcrumb(unit),
            "changes": changes,
            "current": informant_list_visible_to(user=user, filters={"unit": unit.pk, "current": True}),
            "can_manage": unit.kind != UnitKind.REGION and can_manage_informants(user, unit),
        },
    )
