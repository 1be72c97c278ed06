"""Downloads of the period's 通报 (.docx, .xlsx) and the yearly commendation proposals page and downloads
(PRODUCT 3.5); every download is audited (``views.exports``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinbao.common.xlsx import Column
from xinbao.scoring.circulars import (
    circular_docx,
    circular_headers,
    circular_rows,
    circular_table,
    circular_title,
    commendation_proposals,
    proposals_docx,
)
from xinbao.scoring.periods import parse_period
from xinbao.scoring.selectors import can_view_office, offices_visible_to
from xinbao.scoring.services import ledger_ensure
from xinbao.scoring.views.common import current_user, office_or_404, period_of
from xinbao.scoring.views.exports import export_docx, export_xlsx


def _office(request: HttpRequest):  # type: ignore[no-untyped-def]
    office = office_or_404(request)
    if not can_view_office(current_user(request), office):
        raise Http404
    return office


@login_required
@require_GET
def circular(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    period, _error = period_of(request)
    ledger_ensure(office=office, years=period.years)
    today = timezone.localdate()
    title = circular_title(office, period)
    rows = circular_rows(office=office, period=period, today=today)
    if request.GET.get("format") == "xlsx":
        columns = [Column(h, 10 if i != 1 else 28) for i, h in enumerate(circular_headers())]
        return export_xlsx(
            request,
            office=office,
            what="circular",
            period=period,
            title=_("通报"),
            columns=columns,
            rows=circular_table(rows),
            filename=title,
        )
    return export_docx(
        request,
        office=office,
        what="circular",
        period=period,
        data=circular_docx(office=office, period=period, today=today, rows=rows),
        rows=len(rows),
        filename=title,
    )


@login_required
@require_GET
def commendations(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError as exc:
        raise Http404 from exc
    ledger_ensure(office=office, years=[year])
    stem = _("%(year)d年度表彰推荐名单") % {"year": year}
    proposals = commendation_proposals(office=office, year=year)
    count = len(proposals.units) + len(proposals.informants) + len(proposals.items)
    if request.GET.get("format") == "docx":
        return export_docx(
            request,
            office=office,
            what="commendations",
            period=parse_period(str(year)),
            data=proposals_docx(office=office, year=year, today=timezone.localdate(), proposals=proposals),
            rows=count,
            filename=stem,
        )
    if request.GET.get("format") == "xlsx":
        columns = [Column(_("类别"), 12), Column(_("名称"), 36), Column(_("单位"), 24), Column(_("得分"), 10)]
        rows = [
            *[[_("先进单位"), u.name, "", float(u.total)] for u in proposals.units],
            *[[_("优秀信息员"), p.name, p.unit_name, float(p.total)] for p in proposals.informants],
            *[[_("好信息"), t, unit, float(s)] for _pk, t, unit, s in proposals.items],
        ]
        return export_xlsx(
            request,
            office=office,
            what="commendations",
            period=parse_period(str(year)),
            title=_("表彰推荐"),
            columns=columns,
            rows=rows,
            filename=stem,
        )
    return render(
        request,
        "scoring/commendations.html",
        {
            "office": office,
            "offices": offices_visible_to(user=current_user(request)),
            "year": year,
            "p": proposals,
        },
    )
