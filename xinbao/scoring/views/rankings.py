"""The office's ranking page (units and informants), the quotas page and their .xlsx exports (PRODUCT 3.5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinbao.common.errors import DomainError
from xinbao.common.xlsx import Column
from xinbao.scoring.completion import inactive_informants, informant_completion, unit_quotas
from xinbao.scoring.forms import RankingFilter
from xinbao.scoring.models import LedgerBuild
from xinbao.scoring.periods import parse_period
from xinbao.scoring.rankings import informant_ranking, unit_ranking
from xinbao.scoring.rules import DEFAULT_RULES
from xinbao.scoring.selectors import (
    can_edit_rules,
    can_view_office,
    office_scope,
    offices_visible_to,
    ruleset_current,
)
from xinbao.scoring.services import ledger_ensure, ledger_rebuild
from xinbao.scoring.views.common import current_user, office_or_404, period_of
from xinbao.scoring.views.exports import export_xlsx


def _context(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = current_user(request)
    office = office_or_404(request)
    if not can_view_office(user, office):
        # A unit's own people see only their own unit's score.
        if user.unit is None:
            raise Http404
        return None, office
    period, error = period_of(request)
    form = RankingFilter(request.GET or None, initial={"period": period.code})
    if error:
        messages.error(request, error)
    ledger_ensure(office=office, years=period.years)
    valid = form.is_bound and form.is_valid()
    level = request.GET.get("level", "") if valid else ""
    kind = request.GET.get("kind", "") if valid else ""
    order = (request.GET.get("order") or "total") if valid else "total"
    return {
        "office": office,
        "offices": offices_visible_to(user=user),
        "period": period,
        "form": form,
        "level": level,
        "kind": kind,
        "order": order,
        "builds": LedgerBuild.objects.filter(
            office=office, year__in=period.years, is_current=True
        ).select_related("rule_set"),
        "can_edit": can_edit_rules(user, office),
    }, office


def _units(office, ctx):  # type: ignore[no-untyped-def]
    return unit_ranking(
        office=office, period=ctx["period"], level=ctx["level"], kind=ctx["kind"], order=ctx["order"]
    )


@login_required
@require_GET
def rankings(request: HttpRequest) -> HttpResponse:
    ctx, office = _context(request)
    if ctx is None:
        user = current_user(request)
        return redirect(
            f"{reverse('scoring:unit', args=[office.pk, user.unit_id])}?{request.GET.urlencode()}"
        )
    tab = request.GET.get("tab", "units")
    if tab == "informants":
        ctx["people"] = informant_ranking(office=office, period=ctx["period"])
    else:
        ctx["rows"] = _units(office, ctx)
    ctx["tab"] = tab
    ctx["scope"] = office_scope(office)
    return render(request, "scoring/rankings.html", ctx)


@login_required
@require_GET
def rankings_export(request: HttpRequest) -> HttpResponse:
    ctx, office = _context(request)
    if ctx is None:
        raise Http404
    if request.GET.get("tab") == "informants":
        people = informant_ranking(office=office, period=ctx["period"])
        columns = [Column(_("名次"), 8), Column(_("姓名"), 14), Column(_("单位"), 24), Column(_("得分"), 12)]
        data = ([p.rank, p.name, p.unit_name, float(p.total)] for p in people)
        return export_xlsx(
            request,
            office=office,
            what="informant_ranking",
            period=ctx["period"],
            title=_("信息员排名"),
            columns=columns,
            rows=data,
        )
    rows = _units(office, ctx)
    columns = [
        Column(_("名次"), 8),
        Column(_("单位编码"), 14),
        Column(_("单位"), 28),
        Column(_("层级"), 10),
        Column(_("本级得分"), 12),
        Column(_("总分"), 12),
        Column(_("千分制综合得分"), 14),
        Column(_("汇总的下级单位"), 40),
    ]
    data = (
        [
            r.rank,
            r.code,
            r.name,
            r.level,
            float(r.own),
            float(r.total),
            float(r.composite),
            "、".join(r.children),
        ]
        for r in rows
    )
    return export_xlsx(
        request,
        office=office,
        what="unit_ranking",
        period=ctx["period"],
        title=_("单位排名"),
        columns=columns,
        rows=data,
    )


@login_required
@require_POST
def rebuild(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    office = office_or_404(request, request.POST.get("office"))
    try:
        year = int(request.POST.get("year", ""))
        build = ledger_rebuild(actor=user, office=office, year=year)
        messages.success(
            request,
            _("已重新计算%(year)d年度考核账本，共%(n)d条明细。") % {"year": year, "n": build.entry_count},
        )
    except ValueError:
        messages.error(request, _("年度无效"))
    except DomainError as exc:
        if exc.status == 403:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    return redirect(
        f"{reverse('scoring:rankings')}?office={office.pk}&period={request.POST.get('period', '')}"
    )


def _quota_context(request: HttpRequest):  # type: ignore[no-untyped-def]
    ctx, office = _context(request)
    if ctx is None:
        raise Http404
    today = timezone.localdate()
    rule_set = ruleset_current(office=office, year=ctx["period"].start.year)
    quota = (rule_set.rules if rule_set else DEFAULT_RULES)["quota"]
    scope = office_scope(office)
    year = parse_period(str(ctx["period"].start.year))
    ctx.update(
        quota=quota,
        completion=informant_completion(scope=scope, period=ctx["period"], quota=quota, today=today),
        units=unit_quotas(scope=scope, period=ctx["period"], quota=quota, today=today),
        supervision=[
            u for u in unit_quotas(scope=scope, period=year, quota=quota, today=today) if u.supervise
        ],
        inactive=inactive_informants(scope=scope, today=today, days=int(quota["inactive_days"])),
    )
    return ctx


@login_required
@require_GET
def quotas(request: HttpRequest) -> HttpResponse:
    return render(request, "scoring/quotas.html", _quota_context(request))


@login_required
@require_GET
def quotas_export(request: HttpRequest) -> HttpResponse:
    ctx = _quota_context(request)
    table = request.GET.get("table", "informants")
    office, period = ctx["office"], ctx["period"]
    if table == "units":
        columns = [
            Column(_("单位"), 28),
            Column(_("报送"), 10),
            Column(_("应报"), 10),
            Column(_("达标月数"), 10),
            Column(_("采用"), 10),
            Column(_("年度采用任务"), 12),
            Column(_("完成率%"), 10),
            Column(_("重点督查"), 10),
        ]
        rows = (
            [
                u.name,
                u.submitted,
                u.expected,
                u.months_met,
                u.adopted,
                u.adopted_target,
                float(u.rate) if u.rate is not None else None,
                u.supervise,
            ]
            for u in ctx["units"]
        )
        return export_xlsx(
            request,
            office=office,
            what="quota_units",
            period=period,
            title=_("单位任务完成情况"),
            columns=columns,
            rows=rows,
        )
    if table == "supervision":
        columns = [Column(_("单位"), 28), Column(_("年度采用"), 12), Column(_("督查线"), 10)]
        floor = ctx["quota"]["supervision_floor"]
        rows = ([u.name, u.adopted, floor] for u in ctx["supervision"])
        return export_xlsx(
            request,
            office=office,
            what="quota_supervision",
            period=parse_period(str(period.start.year)),  # the list is the year's
            title=_("重点督查名单"),
            columns=columns,
            rows=rows,
        )
    if table == "inactive":
        columns = [Column(_("姓名"), 14), Column(_("单位"), 28), Column(_("最近报送"), 20)]
        rows = ([r.name, r.unit_name, r.last_submitted] for r in ctx["inactive"])
        return export_xlsx(
            request,
            office=office,
            what="quota_inactive",
            period=period,
            title=_("长期未报送信息员"),
            columns=columns,
            rows=rows,
        )
    columns = [
        Column(_("姓名"), 14),
        Column(_("单位"), 28),
        Column(_("月数"), 8),
        Column(_("应报"), 10),
        Column(_("报送"), 10),
        Column(_("综合分析"), 10),
        Column(_("达标月数"), 10),
        Column(_("完成率%"), 10),
    ]
    rows = (
        [
            r.name,
            r.unit_name,
            r.months,
            r.expected,
            r.submitted,
            r.analysis,
            r.months_met,
            float(r.rate) if r.rate is not None else None,
        ]
        for r in ctx["completion"].rows
    )
    return export_xlsx(
        request,
        office=office,
        what="quota_informants",
        period=period,
        title=_("信息员任务完成情况"),
        columns=columns,
        rows=rows,
    )
