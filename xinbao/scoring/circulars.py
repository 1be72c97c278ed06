"""通报 and commendation proposals (PRODUCT 3.5): the tables an office circulates for a period — rank, unit,
submitted, adopted by level, 批示, score, the composite 千分制 score, completion — as .docx (公文 layout shared with bulletins) and .xlsx; and
the yearly proposals of 先进单位, 优秀信息员 (names in 姓氏笔画 order) and 单条好信息.

Counts are of each ranked unit's whole subtree (a county row counts its townships); completion is the subtree's
originals submitted against ``quota.unit_monthly`` × months × its reporting units.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.common.gongwen import GongwenDocument
from xinbao.orgs.models import Unit, UnitKind
from xinbao.reports.models import AdoptionCredit, Report, ReportOrigin
from xinbao.scoring.completion import months_in, rate
from xinbao.scoring.periods import Period
from xinbao.scoring.rankings import informant_ranking, unit_ranking
from xinbao.scoring.rules import DEFAULT_RULES, validate_rules
from xinbao.scoring.selectors import ledger_entries, office_scope, ruleset_current

LEVEL_COLUMNS = (
    ("city", gettext_lazy("市级")),
    ("province", gettext_lazy("省级")),
    ("central", gettext_lazy("中央")),
)


@dataclass
class CircularRow:
    rank: int
    code: str
    name: str
    submitted: int
    adopted: dict[str, int]
    instructions: int
    score: Decimal
    composite: Decimal  # the 千分制 score among the ranked units
    completion: Decimal | None


def office_rules(office: Unit, year: int) -> dict[str, Any]:
    rule_set = ruleset_current(office=office, year=year)
    return validate_rules(rule_set.rules) if rule_set else validate_rules(DEFAULT_RULES)


def circular_rows(*, office: Unit, period: Period, today: date) -> list[CircularRow]:
    scope = office_scope(office)
    ranked = unit_ranking(office=office, period=period)
    units = list(
        Unit.objects.filter(path__startswith=scope.path).values("id", "path", "kind", "is_receiving_office")
    )
    path_of = {u["id"]: u["path"] for u in units}
    start, end = period.start, period.end
    submitted = dict(
        Report.objects.filter(
            unit__path__startswith=scope.path,
            origin=ReportOrigin.ORIGINAL,
            submitted_at__date__gte=start,
            submitted_at__date__lte=end,
        )
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    adopted: dict[tuple[int, str], int] = {}
    for row in (
        AdoptionCredit.objects.filter(
            unit__path__startswith=scope.path, adoption__adopted_on__gte=start, adoption__adopted_on__lte=end
        )
        .values("unit_id", "adoption__level")
        .annotate(n=Count("origin_id", distinct=True))
    ):
        adopted[(row["unit_id"], row["adoption__level"])] = row["n"]
    instructions = dict(
        ledger_entries(office=office, period=period)
        .filter(kind="instruction")
        .values("unit_id")
        .annotate(n=Count("source_id", distinct=True))
        .values_list("unit_id", "n")
    )
    quota = office_rules(office, period.start.year)["quota"]
    months = len(months_in(period, today))
    rows = []
    for r in ranked:
        prefix = path_of[r.unit_id]
        inside = [u for u in units if u["path"].startswith(prefix)]
        reporting = (
            sum(1 for u in inside if u["kind"] != UnitKind.REGION and not u["is_receiving_office"]) or 1
        )
        ids = [u["id"] for u in inside]
        n = sum(submitted.get(i, 0) for i in ids)
        rows.append(
            CircularRow(
                r.rank,
                r.code,
                r.name,
                n,
                {lvl: sum(adopted.get((i, lvl), 0) for i in ids) for lvl, _label in LEVEL_COLUMNS},
                sum(instructions.get(i, 0) for i in ids),
                r.total,
                r.composite,
                rate(n, int(quota["unit_monthly"]) * months * reporting),
            )
        )
    return rows


def circular_title(office: Unit, period: Period) -> str:
    return _("关于%(period)s信息工作情况的通报") % {"period": period.label}


def circular_headers() -> list[str]:
    return [
        _("名次"),
        _("单位"),
        _("报送"),
        *[_("%(level)s采用") % {"level": label} for _k, label in LEVEL_COLUMNS],
        _("批示"),
        _("得分"),
        _("千分制综合得分"),
        _("完成率"),
    ]


def circular_table(rows: list[CircularRow]) -> list[list[Any]]:
    return [
        [
            r.rank,
            r.name,
            r.submitted,
            *[r.adopted[k] for k, _label in LEVEL_COLUMNS],
            r.instructions,
            float(r.score),
            float(r.composite),
            f"{r.completion}%" if r.completion is not None else "—",
        ]
        for r in rows
    ]


def _text(value: Any) -> str:
    """A table cell of the .docx: scores with their two decimals ("500.00", not Python's "500.0")."""
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def circular_docx(
    *, office: Unit, period: Period, today: date, rows: list[CircularRow] | None = None
) -> bytes:
    """The 通报 as a 公文; ``rows`` when the caller has them already (``circular_rows`` of the same period)."""
    if rows is None:
        rows = circular_rows(office=office, period=period, today=today)
    doc = GongwenDocument()
    doc.issuer_header(_("%(office)s文件") % {"office": office.name})
    doc.title(circular_title(office, period))
    total_submitted = sum(r.submitted for r in rows)
    total_adopted = {k: sum(r.adopted[k] for r in rows) for k, _label in LEVEL_COLUMNS}
    summary = _(
        "%(period)s，各单位共报送信息%(n)d条，被市级采用%(city)d条、省级采用%(province)d条、中央采用%(central)d条。"
        "现将各单位信息工作得分及排名情况通报如下。"
    ) % {"period": period.label, "n": total_submitted, **total_adopted}
    doc.body(summary)
    doc.table(
        [[str(c) for c in circular_headers()], *[[_text(c) for c in row] for row in circular_table(rows)]]
    )
    low = [r.name for r in rows if r.completion is not None and r.completion < 70]
    if low:
        doc.body(
            _("报送任务完成率不到百分之七十的单位：%(units)s。请上述单位认真分析原因，切实加大信息报送力度。")
            % {"units": "、".join(low)}
        )
    doc.signature(office.name, today)
    return doc.to_bytes()


# --- Commendations --------------------------------------------------------------------------------------------


@dataclass
class Proposals:
    units: list[Any]
    informants: list[Any]
    items: list[tuple[int, str, str, Decimal]]  # report id, title, unit name, points


def commendation_proposals(*, office: Unit, year: int) -> Proposals:
    from xinbao.scoring.periods import parse_period
    from xinbao.scoring.strokes import stroke_key

    period = parse_period(str(year))
    thresholds = office_rules(office, year)["commendation"]
    units = [u for u in unit_ranking(office=office, period=period) if u.total > 0][: int(thresholds["units"])]
    people = [p for p in informant_ranking(office=office, period=period) if p.total > 0][
        : int(thresholds["informants"])
    ]
    people.sort(key=lambda p: stroke_key(p.name))
    credit_points = (
        ledger_entries(office=office, period=period)
        .filter(source_type="reports.adoptioncredit")
        .values("source_id")
        .annotate(s=Sum("points"))
    )
    per_credit = {r["source_id"]: r["s"] for r in credit_points}
    per_item: dict[int, Decimal] = {}
    for credit_id, origin_id in AdoptionCredit.objects.filter(pk__in=list(per_credit)).values_list(
        "pk", "origin_id"
    ):
        per_item[origin_id] = per_item.get(origin_id, Decimal(0)) + per_credit[credit_id]
    floor = Decimal(str(thresholds["item_min_points"]))
    good = {pk: pts for pk, pts in per_item.items() if pts >= floor and pts > 0}
    items = [
        (r.pk, r.title, r.unit.display_name, good[r.pk])
        for r in Report.objects.filter(pk__in=list(good)).select_related("unit")
    ]
    items.sort(key=lambda t: (-t[3], t[0]))
    return Proposals(units, people, items)


def proposals_docx(*, office: Unit, year: int, today: date, proposals: Proposals | None = None) -> bytes:
    p = proposals or commendation_proposals(office=office, year=year)
    doc = GongwenDocument()
    doc.title(_("%(year)d年度信息工作先进单位、优秀信息员和好信息推荐名单") % {"year": year})
    doc.body(_("一、先进单位（按得分排列）"))
    doc.body("、".join(u.name for u in p.units) or _("无"))
    doc.body(_("二、优秀信息员（按姓氏笔画排列）"))
    doc.body("、".join(f"{x.name}（{x.unit_name}）" for x in p.informants) or _("无"))
    doc.body(_("三、好信息"))
    doc.table([[_("标题"), _("单位"), _("得分")], *[[t, u, str(s)] for _pk, t, u, s in p.items]])
    doc.signature(office.name, today)
    return doc.to_bytes()


def as_file(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
