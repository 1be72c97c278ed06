"""Series pages: the office's series (list, create, edit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinbao.bulletins.forms import NewIssueForm, SeriesForm
from xinbao.bulletins.models import RecipientKind, Series
from xinbao.bulletins.selectors import is_office_editor, series_get_for_editor, series_list_for
from xinbao.bulletins.services import series_create, series_update
from xinbao.bulletins.views.common import current_user, form_error
from xinbao.common.errors import DomainError, NotFound


@login_required
def series_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    series = list(series_list_for(user=user))
    for s in series:
        s.can_edit = is_office_editor(user, s.office_id)  # type: ignore[attr-defined]
    can_create = bool(user.unit and user.unit.is_receiving_office and is_office_editor(user, user.unit.pk))
    return render(
        request,
        "bulletins/series_list.html",
        {"series_list": series, "can_create": can_create, "new_issue_form": NewIssueForm()},
    )


def _initial(series: Series) -> dict:
    initial = {
        f: getattr(series, f)
        for f in (
            "name",
            "code",
            "kind",
            "classification",
            "copies",
            "total_start",
            "show_total_number",
            "publisher_name",
            "is_active",
        )
    }
    names = {
        RecipientKind.REPORT: "report_units",
        RecipientKind.SEND: "send_units",
        RecipientKind.ISSUE: "issue_units",
    }
    for r in series.recipients.all():
        initial.setdefault(names[RecipientKind(r.kind)], []).append(r.unit_id)
    return initial


@login_required
def series_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = current_user(request)
    series: Series | None = None
    if pk is not None:
        try:
            series = series_get_for_editor(user=user, pk=pk)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        if not is_office_editor(user, series.office_id):
            raise PermissionDenied(_("只有编印单位的编辑可以修改刊物"))
        office = series.office
    else:
        if not (user.unit and user.unit.is_receiving_office and is_office_editor(user, user.unit.pk)):
            raise PermissionDenied(_("只有接收单位的编辑可以创建刊物"))
        office = user.unit
    form = SeriesForm(request.POST or None, initial=_initial(series) if series else None)
    form.set_office(office)
    if request.method == "POST" and form.is_valid():
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("report_units", "send_units", "issue_units")
        }
        try:
            if series is None:
                data.pop("is_active")
                series = series_create(actor=user, recipients=form.recipients(), **data)
                messages.success(request, _("已创建刊物《%(name)s》。") % {"name": series.name})
            else:
                series = series_update(actor=user, series=series, recipients=form.recipients(), **data)
                messages.success(request, _("已保存。"))
        except DomainError as exc:
            form_error(form, exc)
        else:
            return redirect("bulletins:series_list")
    return render(request, "bulletins/series_form.html", {"form": form, "series": series})
