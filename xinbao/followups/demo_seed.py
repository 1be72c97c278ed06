"""Demo seed step "followups" (order 160, after the reports and bulletins): 批示 on adopted items at county and
city level, their assignments (open, overdue, answered, 补充, closed on time and late), a 约稿, a 集中攻关 topic and this
month's 信息需求要点 with answers, and 精品稿件 targets.

Every row is written by the services at the seed's "now" and then dated back to when it happened (like the reports
seed's clock), so deadlines are real working-day deadlines counted from the back-dated assignment day.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from xinbao.accounts.models import Role, User
from xinbao.common.calendar import add_workdays
from xinbao.demo.registry import SeedContext, register
from xinbao.followups.models import (
    Assignment,
    AssignmentTarget,
    CommissionKind,
    CommissionTarget,
    Feedback,
    Instruction,
    LeaderRank,
    TargetState,
)
from xinbao.followups.selectors import assignable_units, subordinate_units
from xinbao.followups.services import (
    assignment_create,
    commission_answer_link,
    commission_publish,
    feedback_accept,
    feedback_request_more,
    feedback_submit,
    flagship_target_set,
    instruction_record,
)
from xinbao.followups.services.reminders import schedule_assignment_reminders
from xinbao.reports.models import Report, ReportState, Submission, SubmissionState
from xinbao.reports.services import report_signoff

if TYPE_CHECKING:
    from xinbao.orgs.models import Unit

COUNTY_LEADERS = [
    ("李明华", "县委书记", LeaderRank.COUNTY),
    ("王建平", "县委副书记、县长", LeaderRank.COUNTY),
    ("赵德胜", "县委常委、常务副县长", LeaderRank.COUNTY),
    ("陈晓燕", "县委常委、县委办公室主任", LeaderRank.COUNTY_OFFICES),
]
CITY_LEADERS = [
    ("周国强", "市委书记", LeaderRank.CITY),
    ("吴敏", "市委常委、市委秘书长", LeaderRank.CITY_OFFICES),
]
INSTRUCTION_TEXTS = [
    "此件反映的问题值得重视。请{unit}认真核实，举一反三，抓好整改落实，结果及时报县委办。",
    "经验做法很好，请{unit}进一步总结提炼，形成可复制可推广的做法。",
    "请{unit}高度重视，立即组织力量排查，确保不发生安全事故，整改情况按时反馈。",
    "群众反映的问题要件件有回音。请{unit}主要负责同志亲自过问，限期解决。",
    "请{unit}会同有关部门研究提出具体措施，落实情况报县委督查室。",
]
FEEDBACK_TEXTS = [
    "接到领导批示后，{unit}立即召开专题会议传达学习，成立由主要负责同志任组长的工作专班，"
    "逐项对照问题清单开展核查整改。目前已完成整改{n}项，建立长效巡查机制，群众反映良好。",
    "{unit}对批示指出的问题高度重视，组织人员深入一线走访核实，制定整改方案，明确责任人和完成时限，"
    "已落实整改措施{n}条，下一步将持续跟踪，防止问题反弹。",
]
REQUIREMENTS = ["请于期限内报送落实情况，附整改台账。", "请主要负责同志签字后报送。", ""]

#: Assignment scenarios for the demo: (how many working days ago it was assigned, workdays, outcome). The most
#: telling come first: a small province (the test scale) may give the county office only three items to write on.
SCENARIOS = [
    (30, 10, "closed_on_time"),
    (20, 10, "more_requested"),
    (12, 5, "overdue"),
    (2, 5, "answered"),
    (25, 5, "closed_late"),
    (3, 10, "open"),
    (8, 5, "overdue"),
    (1, 10, "open"),
]
#: The city office's 批示: one closed after its deadline, one answered and waiting for the office.
CITY_SCENARIOS = [(15, 5, "closed_late"), (2, 5, "answered")]


def _person(unit_id: int, role: str) -> User | None:
    return (
        User.objects.filter(unit_id=unit_id, is_active=True, role_assignments__role=role)
        .order_by("username")
        .first()
    )


def _workdays_before(day: date, n: int) -> date:
    from xinbao.common.calendar import is_workday

    while n > 0:
        day -= timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _adopted(office: Unit, limit: int) -> list[Report]:
    """Items the office adopted, newest first; where it adopted too few, other items it received (a leader may
    write on anything that reached the office)."""
    received = (
        Submission.objects.filter(office=office, report__state=ReportState.SENT)
        .exclude(state=SubmissionState.WITHDRAWN)
        .select_related("report", "report__unit")
    )
    seen: dict[int, Report] = {}
    for subs in (
        received.filter(state=SubmissionState.ADOPTED).order_by("-decided_at", "-pk")[: limit * 3],
        received.order_by("-submitted_at", "-pk")[: limit * 3],
    ):
        for sub in subs:
            seen.setdefault(sub.report_id, sub.report)
    return list(seen.values())[:limit]


def _instructions(
    rng: random.Random, editor: User, office: Unit, leaders: list, limit: int, today: date
) -> list:
    made = []
    for report in _adopted(office, limit):
        name, title, rank = rng.choice(leaders)
        text = rng.choice(INSTRUCTION_TEXTS).format(unit=report.unit.short_name or report.unit.name)
        made.append(
            instruction_record(
                actor=editor,
                report=report,
                leader_name=name,
                leader_title=title,
                rank=rank,
                text=text,
                instructed_on=today,
            )
        )
    return made


def _play(rng: random.Random, editor: User, instruction: Instruction, scenario: tuple, today: date) -> str:
    ago, workdays, outcome = scenario
    unit = instruction.report.unit
    if not assignable_units(instruction.office).filter(pk=unit.pk).exists():
        return ""
    assigned_on = _workdays_before(today, ago)
    Instruction.objects.filter(pk=instruction.pk).update(instructed_on=_workdays_before(assigned_on, 1))
    assignment = assignment_create(
        actor=editor,
        instruction=instruction,
        units=[unit],
        workdays=workdays,
        requirement=rng.choice(REQUIREMENTS),
    )
    due = add_workdays(assigned_on, workdays)
    Assignment.objects.filter(pk=assignment.pk).update(
        assigned_on=assigned_on, created_at=_at(assigned_on, 10)
    )
    target = assignment.targets.get()
    AssignmentTarget.objects.filter(pk=target.pk).update(due_on=due, first_due_on=due)
    target.refresh_from_db()
    # The reminders queued at assignment were for the undated deadline (they will do nothing): queue the real ones.
    schedule_assignment_reminders(target)
    if outcome in ("open", "overdue"):
        return outcome
    informant, signer = _person(unit.pk, Role.INFORMANT), _person(unit.pk, Role.SIGNER)
    if informant is None or signer is None:
        return "open"
    # Answered a working day before the deadline (never later than today), or two working days after it.
    if outcome == "closed_late":
        sent_on = add_workdays(due, 2)
    else:
        sent_on = min(add_workdays(assigned_on, workdays - 1), today)
    body = rng.choice(FEEDBACK_TEXTS).format(unit=unit.short_name or unit.name, n=rng.randint(3, 12))
    feedback = feedback_submit(
        actor=informant,
        target=target,
        title=f"{unit.short_name or unit.name}落实领导批示情况的报告",
        body=body,
    )
    report_signoff(actor=signer, report=feedback.report, approve=True)
    Report.objects.filter(pk=feedback.report_id).update(submitted_at=_at(sent_on, 16))
    Feedback.objects.filter(pk=feedback.pk).update(created_at=_at(sent_on, 16))
    if outcome == "answered":
        return outcome
    feedback.refresh_from_db()
    if outcome == "more_requested":
        feedback_request_more(
            actor=editor, feedback=feedback, comment="请补充整改台账和群众回访情况。", workdays=5
        )
        AssignmentTarget.objects.filter(pk=target.pk).update(due_on=add_workdays(sent_on, 5))
        return outcome
    feedback_accept(actor=editor, feedback=feedback, comment="落实到位，同意办结。")
    AssignmentTarget.objects.filter(pk=target.pk).update(
        closed_at=_at(add_workdays(sent_on, 1), 11), closed_on_time=sent_on <= due
    )
    return outcome


def _commissions(rng: random.Random, editor: User, office: Unit, today: date) -> int:
    answers = 0
    month = today.replace(day=1)
    plans = [
        (
            CommissionKind.TOPIC,
            "关于报送冬季安全生产和森林防火工作情况的约稿",
            "请各单位围绕冬季安全生产责任落实、隐患排查整治、森林防火宣传教育等方面，"
            "报送一篇经验做法或问题分析类信息，要求情况具体、数据准确。",
            False,
            None,
        ),
        (
            CommissionKind.TOPIC,
            "“乡村振兴典型经验”集中攻关",
            "围绕产业振兴、人才振兴、文化振兴、生态振兴、组织振兴，各单位集中力量打磨精品稿件，"
            "力争被市委办、省委办刊物采用。",
            True,
            None,
        ),
        (
            CommissionKind.NEEDS_LIST,
            f"{month.year}年{month.month}月信息需求要点",
            "一、冬季取暖保供和群众生活保障情况；\n二、重点项目建设和年度目标任务完成情况；\n"
            "三、信访维稳和安全生产方面的苗头性、倾向性问题；\n四、基层在改革创新中的好经验好做法。",
            False,
            month,
        ),
    ]
    units = list(subordinate_units(office)[:12])
    for kind, title, body, flagship, period in plans:
        commission = commission_publish(
            actor=editor,
            kind=kind,
            title=title,
            body=body,
            deadline=today + timedelta(days=rng.randint(5, 20)),
            units=units,
            period=period,
            is_flagship=flagship,
        )
        for target in CommissionTarget.objects.filter(commission=commission).select_related("unit"):
            if rng.random() < 0.4:
                continue
            informant = _person(target.unit_id, Role.INFORMANT)
            report = (
                Report.objects.filter(unit_id=target.unit_id, state=ReportState.SENT)
                .filter(Q(report_type__in=["experience", "analysis", "dynamic"]))
                .order_by("-submitted_at", "-pk")
                .first()
            )
            if informant is None or report is None:
                continue
            commission_answer_link(actor=informant, commission=commission, report=report)
            answers += 1
    for unit in units[:6]:
        flagship_target_set(actor=editor, unit=unit, year=today.year, pieces=rng.choice([3, 4, 5]))
    return answers


@register(160, "followups")
def seed_followups(rng: random.Random, context: SeedContext) -> None:
    editor = context.users.get("ap_bj")
    city_editor = context.users.get("jz_bj")
    county_office = context.anchors.get("county_office")
    city_office = context.anchors.get("city_office")
    if editor is None or county_office is None:
        return
    today = timezone.localdate()
    county = _instructions(rng, editor, county_office, COUNTY_LEADERS, len(SCENARIOS), today)
    outcomes = [_play(rng, editor, i, s, today) for i, s in zip(county, SCENARIOS, strict=False)]
    city = []
    if city_editor is not None and city_office is not None:
        city = _instructions(rng, city_editor, city_office, CITY_LEADERS, 2, today)
        for instruction, scenario in zip(city, CITY_SCENARIOS, strict=False):
            outcomes.append(_play(rng, city_editor, instruction, scenario, today))
    answers = _commissions(rng, editor, county_office, today)
    context.count("instructions", len(county) + len(city))
    context.count("assignments", sum(1 for o in outcomes if o))
    context.count("commission_answers", answers)
    context.extra["assignment_outcomes"] = [o for o in outcomes if o]
    context.extra["overdue_assignments"] = AssignmentTarget.objects.filter(
        state__in=[TargetState.OPEN, TargetState.MORE_REQUESTED], due_on__lt=today
    ).count()
    context.log(
        "  "
        + gettext("批示 %(instructions)d 条，交办 %(assignments)d 件，约稿回复 %(answers)d 篇")
        % {
            "instructions": len(county) + len(city),
            "assignments": sum(1 for o in outcomes if o),
            "answers": answers,
        }
    )
