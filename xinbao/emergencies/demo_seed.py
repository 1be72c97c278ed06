"""Demo emergencies in the demo county (安平县): a few incidents over the past months — reported on time, late, one
missed (learned from the media) and one concealed — and one still open with its next 续报 due.

Everything goes through the services. The services stamp "now", so a replayed past event gets its real time
written back afterwards (``_backdate``), and its clocks are then re-evaluated against those times with the same
rules (``_settle``); notices the replay would send are captured and dropped (a three-month-old alert in today's
inbox is noise). The open incident is registered at its real past times and keeps its live timers.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from xinbao.accounts.models import Role, User
from xinbao.demo.registry import SeedContext, register
from xinbao.emergencies import clock
from xinbao.emergencies.models import (
    Deadline,
    DeadlineKind,
    DeadlineState,
    Incident,
    IncidentReport,
    PhoneReport,
)
from xinbao.emergencies.selectors import incident_rule
from xinbao.emergencies.services import (
    Casualties,
    PhoneCall,
    incident_register,
    incident_report_submit,
    reporting_issue_answer,
    reporting_issue_record,
)
from xinbao.notifications.services import notifications_captured
from xinbao.reports.models import Report, Submission

if TYPE_CHECKING:
    from xinbao.orgs.models import Unit


@dataclass(frozen=True)
class Story:
    anchor: str
    days_ago: int
    hour: int
    title: str
    category: str
    grade: str
    place: str
    summary: str
    casualties: Casualties
    learned_after: int  # minutes
    phone_after: int | None  # minutes after learning, None = no call
    written: tuple[tuple[str, int, str], ...]  # (kind, minutes after learning, body)
    issue: tuple[str, str, str] | None = None  # (kind, source, evidence)
    answer: str = ""


STORIES = [
    Story(
        "township",
        84,
        7,
        "G205国道城关段三车相撞交通事故",
        "accident",
        "large",
        "G205国道城关镇桂花村路段",
        "一辆重型半挂车与两辆小型客车相撞，造成3人受伤，道路双向通行中断。",
        Casualties(injured=3, direct_loss=45),
        5,
        10,
        (
            (
                "first",
                28,
                "今日7时05分许，G205国道城关镇桂花村路段发生一起三车相撞交通事故，造成3人受伤，"
                "已送县人民医院救治，暂无生命危险。县交警大队、镇党委政府主要负责同志已赶赴现场处置，道路实行交通管制。",
            ),
            (
                "follow_up",
                540,
                "截至16时，3名伤员病情稳定，其中1人骨折需住院治疗。事故车辆已拖离，道路于10时30分恢复通行。",
            ),
            (
                "final",
                1450,
                "事故原因初步查明为半挂车驾驶员疲劳驾驶，交警部门依法处理。3名伤员中2人已出院。现场处置工作结束。",
            ),
        ),
    ),
    Story(
        "township2",
        57,
        21,
        "白沙镇暴雨引发山体滑坡",
        "natural",
        "ordinary",
        "白沙镇石门村五组",
        "持续强降雨引发山体滑坡，冲毁民房1栋，已提前转移群众12户37人。",
        Casualties(direct_loss=30),
        20,
        None,
        (
            (
                "first",
                100,
                "受持续强降雨影响，今晚21时许白沙镇石门村五组发生山体滑坡，约800立方米土石方冲毁民房1栋。"
                "镇村干部已于18时提前转移受威胁群众12户37人，无人员伤亡。",
            ),
            (
                "final",
                1300,
                "滑坡体已初步清理，受损民房户已投亲靠友安置，地质灾害监测点已加密巡查，处置工作结束。",
            ),
        ),
        issue=(
            "concealed",
            "inspection",
            "首报称无人员伤亡，经县应急管理局核实，转移过程中1名村民被落石砸伤住院，单位未如实报告。",
        ),
        answer="转移时村民受伤情况当晚未掌握全面，已在终报中补报，并对相关人员进行了批评教育。",
    ),
    Story(
        "county_department",
        33,
        11,
        "县城一小学部分学生出现疑似食物中毒症状",
        "public_health",
        "large",
        "安平县实验小学",
        "午餐后部分学生出现呕吐、腹痛症状，已送医观察。",
        Casualties(injured=17, direct_loss=2),
        10,
        45,
        (
            (
                "first",
                95,
                "今日12时30分许，安平县实验小学部分学生午餐后出现呕吐、腹痛等症状，已有17名学生送县人民医院观察治疗，"
                "病情均较轻。县市场监管局已封存留样食品，县疾控中心正在开展流行病学调查。",
            ),
            (
                "follow_up",
                400,
                "截至17时，17名学生中15人已返家，2人留院观察。疾控中心初步判断为细菌性食物中毒，已对配餐企业停业整顿。",
            ),
            (
                "final",
                1700,
                "检测结果确认为沙门氏菌污染，配餐企业已立案调查。留院学生均已康复出院，处置工作结束。",
            ),
        ),
    ),
    Story(
        "township",
        19,
        16,
        "城关镇河道一名儿童溺水",
        "accident",
        "ordinary",
        "城关镇清水河沙洲段",
        "一名10岁儿童在河边玩耍时落水，经打捞送医抢救无效死亡。",
        Casualties(deaths=1),
        30,
        None,
        (
            (
                "first",
                420,
                "今日16时许，城关镇清水河沙洲段一名10岁儿童在河边玩耍时不慎落水，经群众和救援人员打捞送医，"
                "抢救无效死亡。镇党委政府已做好家属安抚工作，并在沿河危险水域增设警示标志。",
            ),
            ("final", 1440, "善后工作已妥善完成。全镇已开展防溺水安全隐患排查，新增警示牌32块、救生圈15个。"),
        ),
        issue=(
            "missed",
            "media",
            "江州晚报微信公众号当晚19时发布《清水河一儿童溺亡》报道，县委总值班室从网络获悉后核实，"
            "城关镇未按规定时限报告。",
        ),
        answer="当日值班人员误认为已由公安部门上报，未及时报告，已对值班人员进行约谈。",
    ),
]

OPEN_STORY = Story(
    "township2",
    0,
    0,
    "白沙镇一化工企业仓库火灾",
    "accident",
    "large",
    "白沙镇工业园区安达化工有限公司",
    "企业原料仓库起火，周边企业员工已疏散，无人员伤亡。",
    Casualties(direct_loss=120),
    8,
    12,
    (
        (
            "first",
            35,
            "今日化工园区安达化工有限公司原料仓库起火，县消防救援大队出动6车30人处置，明火已得到控制。"
            "周边3家企业员工200余人已疏散，无人员伤亡，环保部门正在开展大气监测。",
        ),
    ),
)


def _person(unit: Unit, role: str) -> User | None:
    return User.objects.filter(unit=unit, is_active=True, role_assignments__role=role).order_by("pk").first()


def _backdate(written: IncidentReport, at: datetime) -> None:
    IncidentReport.objects.filter(pk=written.pk).update(submitted_at=at)
    Report.objects.filter(pk=written.report_id).update(submitted_at=at, created_at=at, updated_at=at)
    Submission.objects.filter(report_id=written.report_id).update(submitted_at=at, created_at=at)


def _settle(incident: Incident, now: datetime) -> None:
    """Re-evaluate a replayed incident's clocks against the real times of its reports (same rules as live)."""
    Deadline.objects.filter(incident=incident).delete()
    rule = incident_rule(incident)
    phone = PhoneReport.objects.filter(incident=incident).order_by("received_at").first()
    written = list(IncidentReport.objects.filter(incident=incident).order_by("submitted_at"))
    first = next((w for w in written if w.kind == "first"), None)
    rows: list[Deadline] = []

    def add(kind: str, opens: datetime, due: datetime, met: datetime | None) -> None:
        state = DeadlineState.OPEN
        if met is not None:
            state = DeadlineState.MET if met <= due else DeadlineState.LATE
        rows.append(
            Deadline(
                incident=incident,
                kind=kind,
                opens_at=opens,
                due_at=due,
                met_at=met,
                state=state,
                grace_minutes=rule.grace_minutes,
                alerted_at=due if state != DeadlineState.MET else None,
            )
        )

    due = clock.phone_due(rule, occurred_at=incident.occurred_at, learned_at=incident.learned_at)
    if due is not None:
        candidates = [
            t for t in (phone.received_at if phone else None, first.submitted_at if first else None) if t
        ]
        add(DeadlineKind.PHONE, incident.learned_at, due, min(candidates) if candidates else None)
    due = clock.written_due(rule, occurred_at=incident.occurred_at, learned_at=incident.learned_at)
    add(DeadlineKind.FIRST, incident.learned_at, due, first.submitted_at if first else None)
    later = [w for w in written if w.kind != "first"]
    window = clock.first_follow_up(rule, first.submitted_at) if first else None
    while window is not None and window[1] < now + timedelta(days=1):
        met = next((w for w in later if window[0] < w.submitted_at), None)
        closed = incident.closed_at is not None and (met is None or met.kind == "final")
        if closed and (met is None or met.submitted_at > window[1]) and incident.closed_at <= window[1]:
            break
        add(DeadlineKind.FOLLOW_UP, window[0], window[1], met.submitted_at if met else None)
        if met is None or met.kind == "final":
            break
        later.remove(met)
        window = clock.following_follow_up(rule, window[1], met.submitted_at)
    Deadline.objects.bulk_create(rows)


def _renamed(story: Story, unit: Unit) -> Story:
    """The stories name the township they happen in; the demo tree's anchor may carry another name (the seed draws
    township names), and an incident "in 白沙镇" reported by 胜利街道 would read wrong."""
    name = unit.short_name or unit.name
    written = story.title[: story.title.find("镇") + 1] if "镇" in story.title[:4] else ""
    if not written or written == name:
        return story

    def swap(text: str) -> str:
        return text.replace(written, name)

    return dataclasses.replace(
        story,
        title=swap(story.title),
        place=swap(story.place),
        summary=swap(story.summary),
        written=tuple((kind, after, swap(body)) for kind, after, body in story.written),
        issue=tuple(swap(part) for part in story.issue) if story.issue else None,  # type: ignore[arg-type]
        answer=swap(story.answer) if story.answer else story.answer,
    )


def _play(rng: random.Random, story: Story, context: SeedContext, now: datetime) -> Incident | None:
    unit = context.anchors.get(story.anchor)
    if unit is None:
        return None
    story = _renamed(story, unit)
    informant = _person(unit, Role.INFORMANT)
    office = context.anchors.get("county_office")
    duty = _person(office, Role.DUTY_OFFICER) if office else None
    editor = _person(office, Role.EDITOR) if office else None
    signer = _person(unit, Role.SIGNER)
    if informant is None or duty is None or editor is None:
        return None
    day = timezone.localtime(now) - timedelta(days=story.days_ago)
    if story.days_ago:
        occurred = day.replace(hour=story.hour, minute=rng.randint(0, 20), second=0, microsecond=0)
    else:
        occurred = (now - timedelta(minutes=50)).replace(second=0, microsecond=0)
    learned = occurred + timedelta(minutes=story.learned_after)
    call = None
    if story.phone_after is not None:
        call = PhoneCall(
            received_at=learned + timedelta(minutes=story.phone_after),
            caller=signer.full_name if signer else informant.full_name,
            caller_phone=(signer or informant).phone or "0731-5520000",
            summary=story.summary,
        )
    # A phone call the duty room took, or the unit's own registration (no call).
    incident = incident_register(
        actor=duty if call is not None or (story.issue and story.issue[0] == "missed") else informant,
        unit=unit,
        title=story.title,
        category=story.category,
        grade=story.grade,
        occurred_at=occurred,
        learned_at=learned,
        place=story.place,
        summary=story.summary,
        casualties=story.casualties,
        phone=call,
    )
    issue = None
    if story.issue and story.issue[0] == "missed":
        issue = reporting_issue_record(
            actor=editor,
            incident=incident,
            kind="missed",
            source=story.issue[1],
            learned_at=learned,
            evidence=story.issue[2],
        )
    for kind, after, body in story.written:
        at = learned + timedelta(minutes=after)
        if at > now:
            break
        written = incident_report_submit(
            actor=informant, incident=incident, kind=kind, body=body, casualties=story.casualties
        )
        if story.days_ago:
            _backdate(written, at)
            if kind == "final":
                Incident.objects.filter(pk=incident.pk).update(closed_at=at)
    if story.issue and story.issue[0] == "concealed":
        issue = reporting_issue_record(
            actor=editor,
            incident=incident,
            kind="concealed",
            source=story.issue[1],
            learned_at=learned + timedelta(days=1),
            evidence=story.issue[2],
        )
    if issue is not None and story.answer and signer is not None:
        reporting_issue_answer(actor=signer, issue=issue, answer=story.answer)
    incident.refresh_from_db()
    if story.days_ago:
        _settle(incident, now)
    return incident


@register(170, "emergencies")
def seed_emergencies(rng: random.Random, context: SeedContext) -> None:
    now = timezone.now()
    made = []
    with notifications_captured():
        for story in STORIES:
            if (incident := _play(rng, story, context, now)) is not None:
                made.append(incident)
    # The open incident's notices are real and current: the duty room should see them.
    if (incident := _play(rng, OPEN_STORY, context, now)) is not None:
        made.append(incident)
    context.count("incidents", len(made))
    context.log(f"  突发事件 {len(made)} 起")
