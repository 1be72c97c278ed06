"""The monthly 紧急信息报送情况通报 (PRODUCT 3.4): per unit, how many incidents it reported on time, late, missed
(漏报) and concealed (瞒报), with the cases; rendered to .xlsx (openpyxl) and .docx (公文, common.gongwen).

Counting rules (decided here, stated in the document's note):
- an incident counts in the month it occurred, for its responsible unit, among the incidents the reader may see;
- 按时: the phone (if required) and written 首报 deadlines were both met on time;
- 迟报: either was met late, or is still unmet past due; minutes late = the larger of the two;
- 漏报: an editor recorded it (the unit never reported); it is not counted as late as well;
- 瞒报: recorded separately; a concealed case is also counted by its timeliness;
- 续报 late or missing is listed as its own column (续报逾期次数).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.emergencies.models import DeadlineKind, DeadlineState, IssueKind
from xinbao.emergencies.selectors import incident_list_visible_to, month_bounds

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.emergencies.models import Incident


@dataclass
class Case:
    incident: Incident
    outcome: str  # timely / late / missed
    minutes_late: int
    concealed: bool
    follow_up_overdue: int


@dataclass
class UnitLine:
    unit_name: str
    timely: int = 0
    late: int = 0
    missed: int = 0
    concealed: int = 0
    follow_up_overdue: int = 0
    cases: list[Case] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.timely + self.late + self.missed


def _case(incident: Incident) -> Case:
    deadlines = list(incident.deadlines.all())
    issues = {i.kind for i in incident.issues.all()}
    first = [d for d in deadlines if d.kind in (DeadlineKind.PHONE, DeadlineKind.FIRST)]
    late_minutes = max((d.minutes_late for d in first), default=0)
    is_late = any(
        d.state == DeadlineState.LATE or (d.state == DeadlineState.OPEN and d.minutes_late > 0) for d in first
    )
    follow_up = sum(
        1
        for d in deadlines
        if d.kind == DeadlineKind.FOLLOW_UP and (d.state == DeadlineState.LATE or d.minutes_late > 0)
    )
    if IssueKind.MISSED in issues:
        outcome = "missed"
    elif is_late:
        outcome = "late"
    else:
        outcome = "timely"
    return Case(
        incident, outcome, late_minutes if outcome == "late" else 0, IssueKind.CONCEALED in issues, follow_up
    )


def circular_lines(*, user: User, year: int, month: int) -> list[UnitLine]:
    start, end = month_bounds(year, month)
    incidents = (
        incident_list_visible_to(user=user, filters={"since": start, "until": end})
        .prefetch_related("deadlines", "issues")
        .order_by("unit__path", "occurred_at")
    )
    lines: dict[int, UnitLine] = {}
    for incident in incidents:
        line = lines.setdefault(incident.unit_id, UnitLine(incident.unit.name))
        case = _case(incident)
        line.cases.append(case)
        setattr(line, case.outcome, getattr(line, case.outcome) + 1)
        line.concealed += case.concealed
        line.follow_up_overdue += case.follow_up_overdue
    return list(lines.values())


def _outcome_label(case: Case) -> str:
    labels = {"timely": _("按时报送"), "late": _("迟报"), "missed": _("漏报")}
    text = labels[case.outcome]
    if case.outcome == "late":
        text = _("迟报%(minutes)d分钟") % {"minutes": case.minutes_late}
    if case.concealed:
        text += _("，瞒报")
    return text


def _headers() -> list[str]:
    return [_("单位"), _("事件数"), _("按时报送"), _("迟报"), _("漏报"), _("瞒报"), _("续报逾期次数")]


def circular_xlsx(lines: list[UnitLine], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("汇总")
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(_headers())
    for line in lines:
        ws.append(
            [
                line.unit_name,
                line.total,
                line.timely,
                line.late,
                line.missed,
                line.concealed,
                line.follow_up_overdue,
            ]
        )
    ws.column_dimensions["A"].width = 28
    cases = wb.create_sheet(_("明细"))
    cases.append([_("单位"), _("事件"), _("等级"), _("发生时间"), _("获悉时间"), _("报送情况")])
    for line in lines:
        for case in line.cases:
            i = case.incident
            cases.append(
                [
                    line.unit_name,
                    i.title,
                    i.get_grade_display(),
                    timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(i.learned_at).strftime("%Y-%m-%d %H:%M"),
                    _outcome_label(case),
                ]
            )
    cases.column_dimensions["B"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def circular_docx(lines: list[UnitLine], *, title: str, issuer: str, year: int, month: int) -> bytes:
    from xinbao.common.gongwen import GongwenDocument

    doc = GongwenDocument()
    doc.issuer_header(issuer)
    doc.title(title)
    total = sum(line.total for line in lines)
    timely = sum(line.timely for line in lines)
    late = sum(line.late for line in lines)
    missed = sum(line.missed for line in lines)
    concealed = sum(line.concealed for line in lines)
    doc.body(
        _(
            "%(year)d年%(month)d月，各单位共报送突发事件信息%(total)d起，其中按时报送%(timely)d起，"
            "迟报%(late)d起，漏报%(missed)d起，瞒报%(concealed)d起。现将有关情况通报如下。"
        )
        % {
            "year": year,
            "month": month,
            "total": total,
            "timely": timely,
            "late": late,
            "missed": missed,
            "concealed": concealed,
        }
    )
    doc.heading(_("一、各单位报送情况"), 1)
    doc.table(
        [_headers()]
        + [
            [
                line.unit_name,
                str(line.total),
                str(line.timely),
                str(line.late),
                str(line.missed),
                str(line.concealed),
                str(line.follow_up_overdue),
            ]
            for line in lines
        ]
    )
    problems = [(line, c) for line in lines for c in line.cases if c.outcome != "timely" or c.concealed]
    doc.heading(_("二、迟报、漏报、瞒报情况"), 1)
    if problems:
        for n, (line, case) in enumerate(problems, start=1):
            doc.paragraph(
                _("%(n)d. %(unit)s“%(incident)s”（%(time)s）：%(outcome)s。")
                % {
                    "n": n,
                    "unit": line.unit_name,
                    "incident": case.incident.title,
                    "time": timezone.localtime(case.incident.occurred_at).strftime("%m月%d日%H:%M"),
                    "outcome": _outcome_label(case),
                }
            )
    else:
        doc.paragraph(_("本月无迟报、漏报、瞒报情况。"))
    doc.heading(_("三、有关要求"), 1)
    doc.body(
        _(
            "各单位要严格落实突发事件信息报送时限要求，较大以上突发事件电话报告不超过30分钟、书面报告不超过1小时，"
            "最迟不得晚于事发后4小时；对迟报、漏报、瞒报的单位，将纳入信息工作考核。"
        )
    )
    doc.signature(issuer, date.today())
    return doc.to_bytes()
