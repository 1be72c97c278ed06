"""A unit's score page: its own and rolled-up score for the period, its composite 千分制 score taken apart by
category (weight, its points, the best unit's points, the share: "why 566.67"), and every ledger entry behind it,
each linked to its source item (PRODUCT 3.5: "every point traceable")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinbao.common.errors import NotFound
from xinbao.common.xlsx import Column
from xinbao.orgs.models import Unit
from xinbao.scoring.rankings import unit_scores_explained
from xinbao.scoring.rule_labels import rule_key_label
from xinbao.scoring.selectors import can_view_office, ledger_for_unit, source_links
from xinbao.scoring.services import ledger_ensure
from xinbao.scoring.views.common import current_user, office_or_404, period_of
from xinbao.scoring.views.exports import export_xlsx


def _load(request: HttpRequest, office_pk: int, unit_pk: int):  # type: ignore[no-untyped-def]
    user = current_user(request)
    office = office_or_404(request, office_pk)
    unit = Unit.objects.filter(pk=unit_pk).first()
    if unit is None:
        raise Http404
    period, _error = period_of(request)
    subtree = request.GET.get("subtree") == "1"
    try:
        entries = ledger_for_unit(user=user, office=office, unit=unit, period=period, subtree=subtree)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return user, office, unit, period, subtree, entries


@login_required
@require_GET
def unit_score(request: HttpRequest, office_pk: int, unit_pk: int) -> HttpResponse:
    user, office, unit, period, subtree, entries = _load(request, office_pk, unit_pk)
    if can_view_office(user, office):
        ledger_ensure(office=office, years=period.years)
    scores, explained = unit_scores_explained(office=office, period=period)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    links = source_links(rows)
    for entry in rows:
        entry.source_url = links.get(entry.pk, "")  # type: ignore[attr-defined]
        entry.rule_label = rule_key_label(entry.rule_key)  # type: ignore[attr-defined]
    return render(
        request,
        "scoring/unit.html",
        {
            "office": office,
            "unit": unit,
            "period": period,
            "score": scores.get(unit.pk),
            "composite": explained.get(unit.pk),
            "page": page,
            "rows": rows,
            "subtree": subtree,
            "can_view_office": can_view_office(user, office),
        },
    )


@login_required
@require_GET
def unit_score_export(request: HttpRequest, office_pk: int, unit_pk: int) -> HttpResponse:
    _user, office, unit, period, subtree, entries = _load(request, office_pk, unit_pk)
    columns = [
        Column(_("日期"), 12),
        Column(_("单位"), 24),
        Column(_("人员"), 12),
        Column(_("事项"), 12),
        Column(_("计分规则项"), 28),
        Column(_("规则版本"), 8),
        Column(_("分值"), 10),
        Column(_("来源"), 24),
        Column(_("说明"), 30),
    ]
    rows = (
        [
            e.event_date,
            e.unit.display_name,
            e.person.full_name if e.person else "",
            e.kind,
            f"{rule_key_label(e.rule_key)}（{e.rule_key}）",
            e.rule_version,
            float(e.points),
            f"{e.source_type}#{e.source_id}",
            e.note,
        ]
        for e in entries.iterator()
    )
    return export_xlsx(
        request,
        office=office,
        what="unit_ledger",
        period=period,
        title=_("计分明细"),
        columns=columns,
        rows=rows,
        filename=f"{unit.display_name}_{_('计分明细')}",
        unit=unit,
        subtree=subtree,
    )
