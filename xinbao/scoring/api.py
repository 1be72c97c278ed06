"""/api/v1/scoring endpoints: rule sets, ledger rebuilds and entries, rankings and quotas (issue 6 item 8).

An office the caller may not look at answers 404 exactly as a missing one; a unit's own people reach only their
unit's ledger."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status

from xinbao.api.pagination import Page, PageParams, paginate
from xinbao.api.schemas import READ_ERRORS, WRITE_ERRORS
from xinbao.common.errors import NotFound
from xinbao.orgs.models import Unit
from xinbao.scoring.circulars import circular_rows, circular_title, commendation_proposals
from xinbao.scoring.completion import inactive_informants, informant_completion, unit_quotas
from xinbao.scoring.dashboards import dashboard_data
from xinbao.scoring.periods import Period, current_quarter, parse_period
from xinbao.scoring.rankings import check_order, informant_ranking, unit_ranking
from xinbao.scoring.rules import DEFAULT_RULES
from xinbao.scoring.schemas import (
    BuildOut,
    CircularOut,
    CommendationsOut,
    EntryOut,
    PeriodQuery,
    PersonRankOut,
    QuotasOut,
    RebuildIn,
    RuleSetIn,
    RuleSetOut,
    UnitRankOut,
)
from xinbao.scoring.selectors import (
    can_view_office,
    ledger_for_unit,
    office_get_visible,
    office_scope,
    ruleset_current,
    ruleset_versions,
)
from xinbao.scoring.services import ledger_ensure, ledger_rebuild, ruleset_save

router = Router(tags=[gettext_lazy("计分考核")])


def _office(request: HttpRequest, office_id: int) -> Unit:
    office = office_get_visible(user=request.auth, pk=office_id)
    if not can_view_office(request.auth, office):
        raise NotFound(gettext_lazy("考核单位不存在或无权查看"))
    return office


def _period(text: str) -> Period:
    return parse_period(text) if text else current_quarter(timezone.localdate())


@router.get(
    "/scoring/offices/{office_id}/rule-sets",
    response={200: list[RuleSetOut], **READ_ERRORS},
    summary=gettext_lazy("计分规则各版本（最新在前）"),
)
def list_rule_sets(request: HttpRequest, office_id: int, year: int | None = None):  # type: ignore[no-untyped-def]
    office = office_get_visible(user=request.auth, pk=office_id)
    return list(ruleset_versions(user=request.auth, office=office, year=year or timezone.localdate().year))


@router.post(
    "/scoring/offices/{office_id}/rule-sets",
    response={201: RuleSetOut, **WRITE_ERRORS},
    summary=gettext_lazy("保存计分规则（生成新版本；无效时返回 400 并指明字段，不作任何修改）"),
)
def save_rule_set(request: HttpRequest, office_id: int, payload: RuleSetIn):  # type: ignore[no-untyped-def]
    office = _office(request, office_id)
    rule_set = ruleset_save(
        actor=request.auth,
        office=office,
        year=payload.year,
        rules=payload.rules,
        name=payload.name,
        note=payload.note,
        base_version=payload.base_version,
    )
    return Status(201, rule_set)


@router.post(
    "/scoring/offices/{office_id}/rebuild",
    response={200: BuildOut, **WRITE_ERRORS},
    summary=gettext_lazy("按最新规则重新计算年度考核账本"),
)
def rebuild(request: HttpRequest, office_id: int, payload: RebuildIn):  # type: ignore[no-untyped-def]
    office = _office(request, office_id)
    return ledger_rebuild(actor=request.auth, office=office, year=payload.year)


@router.get(
    "/scoring/offices/{office_id}/rankings",
    response={200: list[UnitRankOut], **READ_ERRORS},
    summary=gettext_lazy("单位排名（含逐级汇总）"),
)
def rankings(request: HttpRequest, office_id: int, q: Query[PeriodQuery]):  # type: ignore[no-untyped-def]
    office = _office(request, office_id)
    period = _period(q.period)
    check_order(q.order)
    ledger_ensure(office=office, years=period.years)
    return [
        {**r.as_dict(), "unit_id": r.unit_id}
        for r in unit_ranking(office=office, period=period, level=q.level, kind=q.kind, order=q.order)
    ]


@router.get(
    "/scoring/offices/{office_id}/informant-rankings",
    response={200: list[PersonRankOut], **READ_ERRORS},
    summary=gettext_lazy("信息员排名"),
)
def informant_rankings(request: HttpRequest, office_id: int, period: str = ""):  # type: ignore[no-untyped-def]
    office = _office(request, office_id)
    p = _period(period)
    ledger_ensure(office=office, years=p.years)
    return [{**asdict(r), "total": float(r.total)} for r in informant_ranking(office=office, period=p)]


@router.get(
    "/scoring/offices/{office_id}/units/{unit_id}/ledger",
    response={200: Page[EntryOut], **READ_ERRORS},
    summary=gettext_lazy("单位计分明细（subtree=true 含下级单位）"),
)
def unit_ledger(
    request: HttpRequest,
    office_id: int,
    unit_id: int,
    paging: Query[PageParams],  # type: ignore[no-untyped-def]
    period: str = "",
    subtree: bool = False,
):
    office = office_get_visible(user=request.auth, pk=office_id)
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(gettext_lazy("单位不存在或无权查看"))
    qs = ledger_for_unit(user=request.auth, office=office, unit=unit, period=_period(period), subtree=subtree)
    return paginate(qs, paging)


def _rate(value):  # type: ignore[no-untyped-def]
    return float(value) if value is not None else None


@router.get(
    "/scoring/offices/{office_id}/quotas",
    response={200: QuotasOut, **READ_ERRORS},
    summary=gettext_lazy("任务完成情况：信息员、单位、重点督查名单、长期未报送信息员"),
)
def quotas(request: HttpRequest, office_id: int, period: str = ""):  # type: ignore[no-untyped-def]
    office = _office(request, office_id)
    p = _period(period)
    today = timezone.localdate()
    rule_set = ruleset_current(office=office, year=p.start.year)
    quota = (rule_set.rules if rule_set else DEFAULT_RULES)["quota"]
    scope = office_scope(office)
    completion = informant_completion(scope=scope, period=p, quota=quota, today=today)
    units = unit_quotas(scope=scope, period=p, quota=quota, today=today)
    year_units = unit_quotas(scope=scope, period=parse_period(str(p.start.year)), quota=quota, today=today)
    return {
        "period": p.code,
        "expected": completion.expected,
        "submitted": completion.submitted,
        "rate": _rate(completion.rate),
        "informants": [{**asdict(r), "rate": _rate(r.rate)} for r in completion.rows],
        "units": [{**asdict(u), "rate": _rate(u.rate)} for u in units],
        "supervision": [{**asdict(u), "rate": _rate(u.rate)} for u in year_units if u.supervise],
        "inactive": [
            {**asdict(r), "rate": None}
            for r in inactive_informants(scope=scope, today=today, days=int(quota["inactive_days"]))
        ],
    }


@router.get(
    "/scoring/offices/{office_id}/circular",
    response={200: CircularOut, **READ_ERRORS},
    summary=gettext_lazy("通报表格：名次、单位、报送、各级采用、批示、得分、千分制综合得分、完成率"),
)
def circular(request: HttpRequest, office_id: int, period: str = ""):  # type: ignore[no-untyped-def]
    office = _office(request, office_id)
    p = _period(period)
    ledger_ensure(office=office, years=p.years)
    rows = circular_rows(office=office, period=p, today=timezone.localdate())
    return {
        "title": circular_title(office, p),
        "period": p.code,
        "rows": [
            {
                **asdict(r),
                "score": float(r.score),
                "composite": float(r.composite),
                "completion": _rate(r.completion),
            }
            for r in rows
        ],
    }


@router.get(
    "/scoring/offices/{office_id}/commendations",
    response={200: CommendationsOut, **READ_ERRORS},
    summary=gettext_lazy("年度表彰推荐：先进单位、优秀信息员（姓氏笔画排序）、好信息"),
)
def commendations(request: HttpRequest, office_id: int, year: int | None = None):  # type: ignore[no-untyped-def]
    office = _office(request, office_id)
    year = year or timezone.localdate().year
    ledger_ensure(office=office, years=[year])
    p = commendation_proposals(office=office, year=year)
    return {
        "year": year,
        "units": [{**u.as_dict(), "unit_id": u.unit_id} for u in p.units],
        "informants": [{**asdict(x), "total": float(x.total)} for x in p.informants],
        "items": [
            {"report_id": pk, "title": t, "unit_name": u, "points": float(s)} for pk, t, u, s in p.items
        ],
    }


@router.get(
    "/scoring/offices/{office_id}/dashboard",
    response={200: dict, **READ_ERRORS},
    summary=gettext_lazy("考核图表"),
)
def dashboard(request: HttpRequest, office_id: int, period: str = ""):  # type: ignore[no-untyped-def]
    """The dashboard's figures (PRODUCT 3.5 item 7), the same JSON as the page's chart endpoint."""
    office = _office(request, office_id)
    p = _period(period)
    ledger_ensure(office=office, years=p.years)
    return dashboard_data(office=office, period=p)
