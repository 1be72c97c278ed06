"""The dashboard page, its JSON data and .xlsx export (PRODUCT 3.5 item 7): whoever sees the office's rankings
(``can_view_office``); anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinbao.common.xlsx import Column, write_table, xlsx_response
from xinbao.scoring.dashboards import dashboard_data
from xinbao.scoring.forms import RankingFilter
from xinbao.scoring.selectors import can_view_office, offices_visible_to
from xinbao.scoring.services import ledger_ensure
from xinbao.scoring.views.common import current_user, office_or_404, period_of


@login_required
@require_GET
def dashboard_json(request: HttpRequest) -> JsonResponse:
    office = office_or_404(request)
    if not can_view_office(current_user(request), office):
        # A unit's own people see their own score page, not the office-wide figures.
        raise Http404
    period, error = period_of(request)
    if error:
        return JsonResponse({"detail": error}, status=400)
    ledger_ensure(office=office, years=period.years)
    return JsonResponse(dashboard_data(office=office, period=period))


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    office = office_or_404(request)
    if not can_view_office(user, office):
        raise Http404
    period, error = period_of(request)
    if error:
        messages.error(request, error)
    ledger_ensure(office=office, years=period.years)
    form = RankingFilter(request.GET or None, initial={"period": period.code})
    ctx = {
        "office": office,
        "offices": offices_visible_to(user=user),
        "period": period,
        "form": form,
        "data": dashboard_data(office=office, period=period),
    }
    return render(request, "scoring/dashboard.html", ctx)


@login_required
@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The page's table of units as .xlsx (the same figures as the JSON)."""
    office = office_or_404(request)
    if not can_view_office(current_user(request), office):
        raise Http404
    period, _error = period_of(request)
    ledger_ensure(office=office, years=period.years)
    data = dashboard_data(office=office, period=period)
    columns = [Column(_("单位"), 28), Column(_("得分"), 12), Column(_("条目数"), 10)]
    rows = ([u["name"], float(u["points"]), u["entries"]] for u in data["by_unit"])
    return xlsx_response(write_table(_("各单位得分"), columns, rows), _("各单位得分"))
