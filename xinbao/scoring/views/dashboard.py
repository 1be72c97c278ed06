"""The dashboard page, its JSON data and the .xlsx export of each of its tables (PRODUCT 3.5 item 7): whoever sees
the office's rankings (``can_view_office``); anyone else gets 404. Every export is recorded in the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinbao.common.xlsx import Column
from xinbao.scoring.dashboards import dashboard_data
from xinbao.scoring.forms import RankingFilter
from xinbao.scoring.selectors import can_view_office, offices_visible_to
from xinbao.scoring.services import ledger_ensure
from xinbao.scoring.views.common import current_user, office_or_404, period_of
from xinbao.scoring.views.exports import export_xlsx

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.orgs.models import Unit
    from xinbao.scoring.periods import Period


def _overseen(request: HttpRequest) -> tuple[User, Unit, Period, str | None]:
    """The office whose figures are asked for, when the user oversees it (a unit's own people see their own score
    page, not the office-wide figures), and the period with its ledger built; a bad period comes back as its
    message beside the default period."""
    user = current_user(request)
    office = office_or_404(request)
    if not can_view_office(user, office):
        raise Http404
    period, error = period_of(request)
    ledger_ensure(office=office, years=period.years)
    return user, office, period, error


@login_required
@require_GET
def dashboard_json(request: HttpRequest) -> JsonResponse:
    _user, office, period, error = _overseen(request)
    if error:
        return JsonResponse({"detail": error}, status=400)
    return JsonResponse(dashboard_data(office=office, period=period))


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user, office, period, error = _overseen(request)
    if error:
        messages.error(request, error)
    form = RankingFilter(request.GET or None, initial={"period": period.code})
    ctx = {
        "office": office,
        "offices": offices_visible_to(user=user),
        "period": period,
        "form": form,
        "data": dashboard_data(office=office, period=period),
    }
    return render(request, "scoring/dashboard.html", ctx)


def _rate(value: str | None) -> float | None:
    return float(value) if value is not None else None


def _table(data: dict[str, Any], table: str) -> tuple[str, list[Column], list[list[Any]]]:
    """One of the page's tables: its title, columns and rows (the same figures as the JSON)."""
    if table == "completion":
        columns = [
            Column(_("单位"), 28),
            Column(_("报送"), 10),
            Column(_("应报"), 10),
            Column(_("完成率%"), 10),
            Column(_("未完成任务"), 12),
        ]
        rows = [
            [u["name"], u["submitted"], u["expected"], _rate(u["rate"]), u["under"]]
            for u in data["completion"]
        ]
        return _("各单位报送任务完成率"), columns, rows
    if table == "types":
        columns = [Column(_("信息类型"), 28), Column(_("报送"), 10), Column(_("采用"), 10)]
        rows = [[t["label"], t["submitted"], t["adopted"]] for t in data["by_type"]]
        return _("按信息类型报送采用情况"), columns, rows
    if table == "levels":
        columns = [Column(_("采用层级"), 16), Column(_("采用条数"), 10), Column(_("采用次数"), 10)]
        rows = [[lv["label"], lv["items"], lv["adoptions"]] for lv in data["by_level"]]
        return _("按采用层级采用情况"), columns, rows
    if table == "units":
        columns = [Column(_("单位"), 28), Column(_("得分"), 12), Column(_("条目数"), 10)]
        rows = [[u["name"], float(u["points"]), u["entries"]] for u in data["by_unit"]]
        return _("各单位得分"), columns, rows
    raise Http404


@login_required
@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """One of the page's tables as .xlsx (``table``: units — the default —, completion, types or levels)."""
    _user, office, period, _error = _overseen(request)
    table = request.GET.get("table") or "units"
    title, columns, rows = _table(dashboard_data(office=office, period=period), table)
    return export_xlsx(
        request,
        office=office,
        what=f"dashboard_{table}",
        period=period,
        title=title,
        columns=columns,
        rows=rows,
    )
