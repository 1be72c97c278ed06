"""The roster page (duty:roster): a week or a month of shifts, edited cell by cell with htmx, and the coverage
gaps of the next 30 days beside it; every edit re-renders the cell and, out of band, the gap list."""

from __future__ import annotations

import zlib
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinbao.common.errors import DomainError, NotFound
from xinbao.duty.forms import CopyWeekForm, RosterEditForm, RosterLineForm
from xinbao.duty.selectors import duty_colleagues, may_edit_duty, roster_entry_get_visible
from xinbao.duty.services import (
    roster_entry_create,
    roster_entry_delete,
    roster_entry_update,
    roster_week_copy,
)
from xinbao.duty.services.roster import week_start
from xinbao.duty.views.access import office_for_editor, office_for_reader
from xinbao.duty.views.grid import build_rows, month_bounds, page_gaps, parse_day


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    office = office_for_reader(request)
    today = timezone.localdate()
    month_view = request.GET.get("view") == "month"
    anchor = parse_day(request.GET.get("day"), today)
    if month_view:
        start, end = month_bounds(anchor)
        prev_day, next_day = start - timedelta(days=1), end + timedelta(days=1)
    else:
        start = week_start(anchor)
        end = start + timedelta(days=6)
        prev_day, next_day = start - timedelta(days=7), start + timedelta(days=7)
    gaps = page_gaps(office)
    editable = may_edit_duty(request.user, office)
    context = {
        "office": office,
        "rows": build_rows(request.user, office, start, end, gaps),
        "gaps": gaps,
        "start": start,
        "end": end,
        "today": today,
        "month_view": month_view,
        "prev_day": prev_day,
        "next_day": next_day,
        "editable": editable,
        "copy_form": CopyWeekForm(initial={"source": start, "target": start + timedelta(days=7)}),
    }
    return render(request, "duty/roster.html", context)


def _cell_response(
    request: HttpRequest, office, day: date, shift_name: str, form=None, edit=None
) -> HttpResponse:  # type: ignore[no-untyped-def]
    gaps = page_gaps(office)
    rows = build_rows(request.user, office, day, day, gaps)
    cell = next((c for c in rows[0].cells if c.shift.name == shift_name), None)
    if cell is None:
        raise Http404(_("没有这个班次"))
    context = {
        "cell": cell,
        "form": form,
        "edit": edit,
        "editable": may_edit_duty(request.user, office),
        "gaps": gaps,
        "oob": True,
        "today": timezone.localdate(),
    }
    return render(request, "duty/_cell_response.html", context)


@login_required
def cell(request: HttpRequest) -> HttpResponse:
    """GET: the cell, with the add form when ``form=1``; POST: add a line and answer with the new cell."""
    office = office_for_reader(request)
    colleagues = duty_colleagues(office)
    if request.method == "POST":
        office = office_for_editor(request)
        form = RosterLineForm(request.POST, colleagues=colleagues, auto_id=_auto_id(request.POST))
        if form.is_valid():
            data = form.cleaned_data
            try:
                roster_entry_create(
                    actor=request.user,
                    office=office,
                    day=data["day"],
                    shift_name=data["shift"],
                    role=data["role"],
                    name=data["name"],
                    phone=data["phone"],
                    person=data["person"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return _cell_response(request, office, data["day"], data["shift"])
        day = form.cleaned_data.get("day") if hasattr(form, "cleaned_data") else None
        if day is None or "shift" not in form.cleaned_data:
            return HttpResponse(" ".join(str(e) for errs in form.errors.values() for e in errs), status=400)
        return _cell_response(request, office, day, form.cleaned_data["shift"], form=form)
    day = parse_day(request.GET.get("day"), date.min)
    if day == date.min:
        raise Http404(_("日期格式不正确"))
    shift_name = request.GET.get("shift", "")
    form = None
    if request.GET.get("form") and may_edit_duty(request.user, office):
        form = RosterLineForm(
            colleagues=colleagues, initial={"day": day, "shift": shift_name}, auto_id=_auto_id(request.GET)
        )
    return _cell_response(request, office, day, shift_name, form=form)


def _auto_id(data) -> str:  # type: ignore[no-untyped-def]
    """Ids unique per cell: two cells may have their add forms open at once."""
    day = "".join(ch for ch in str(data.get("day", "")) if ch.isdigit())
    return f"id_%s_{day}_{zlib.crc32(str(data.get('shift', '')).encode())}"


def _entry(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    try:
        return roster_entry_get_visible(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    office = office_for_editor(request)
    colleagues = duty_colleagues(office)
    if request.method == "POST":
        form = RosterEditForm(request.POST, colleagues=colleagues, auto_id=f"id_%s_e{entry.pk}")
        if form.is_valid():
            try:
                roster_entry_update(
                    actor=request.user,
                    entry=entry,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    person=form.cleaned_data["person"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return _cell_response(request, office, entry.day, entry.shift_name)
    else:
        form = RosterEditForm(
            colleagues=colleagues,
            auto_id=f"id_%s_e{entry.pk}",
            initial={"person": entry.person_id, "name": entry.name, "phone": entry.phone},
        )
    return _cell_response(request, office, entry.day, entry.shift_name, form=form, edit=entry)


@login_required
@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    office = office_for_editor(request)
    day, shift_name = entry.day, entry.shift_name
    try:
        roster_entry_delete(actor=request.user, entry=entry)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status)
    return _cell_response(request, office, day, shift_name)


@login_required
@require_POST
def copy_week(request: HttpRequest) -> HttpResponse:
    office = office_for_editor(request)
    form = CopyWeekForm(request.POST)
    back = reverse("duty:roster")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    try:
        n = roster_week_copy(
            actor=request.user,
            office=office,
            source=data["source"],
            target=data["target"],
            replace=data["replace"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{back}?day={data['source'].isoformat()}")
    messages.success(
        request,
        _("已将%(source)s所在周的%(n)d条排班复制到%(target)s所在周")
        % {"source": data["source"].isoformat(), "n": n, "target": data["target"].isoformat()},
    )
    return redirect(f"{back}?day={data['target'].isoformat()}")
