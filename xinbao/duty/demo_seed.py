"""Demo duty data (order 175): rosters of the demo county and city party offices for the coming 30 days, with two
deliberate gaps for the coverage check to find, and a few days of duty log and handovers.

Deterministic from the step's rng. The duty officers and leaders of each office (from the people step) stand
duty; invented colleagues of the office fill the rota so nobody is on duty every day."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext

from xinbao.accounts.models import Role, User
from xinbao.common.calendar import days_info
from xinbao.demo.registry import SeedContext, register
from xinbao.duty.models import DutyLogEntry, DutyRole, Handover, RosterEntry
from xinbao.duty.selectors import DEFAULT_SHIFTS, DEFAULT_STRICT_HOLIDAYS
from xinbao.orgs.models import Unit

#: A fictional area code for 江州市 (明江省); offices' duty landlines are 区号-8xxxxxxx.
AREA_CODE = "0796"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = (
    "建国",
    "志强",
    "晓燕",
    "海涛",
    "丽华",
    "文斌",
    "春梅",
    "国平",
    "红霞",
    "振华",
    "秀英",
    "立新",
    "俊杰",
    "雪梅",
    "德明",
    "玉兰",
    "伟东",
    "静怡",
    "长春",
    "慧敏",
)
#: What every demo phone number must look like (the roster services accept the same).
MOBILE_OR_LANDLINE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-\d{7,8})$")
DAYS_BACK = 3
DAYS_AHEAD = 31

LOG_LINES = (
    ("call", "{town}来电：{place}因强降雨出现积水，已组织人员疏导交通，暂无人员伤亡。"),
    ("call", "县应急管理局来电：气象台发布暴雨黄色预警，请各乡镇做好防范。已转告带班领导。"),
    ("document", "收到市委办公室明传电报《关于做好节日期间值班值守工作的通知》，已呈带班领导阅示。"),
    ("handling", "按带班领导要求，电话通知{town}党委书记核实{place}情况，要求30分钟内回复。"),
    ("assignment", "带班领导交办：请县住建局明日上午报送城区在建工地安全检查情况。已电话通知。"),
    ("call", "{town}回电：{place}积水已排除，道路恢复通行。"),
    ("other", "22:00 与市委总值班室核对值班人员及联系方式，通讯畅通。"),
    ("document", "收到县政府办转来《关于加强冬季森林防火工作的紧急通知》，已按程序登记流转。"),
)
PLACES = ("城南大道与建设路交叉口", "东门菜市场", "老街片区", "新区学校门口", "工业园区北门")


def _person_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name


def _mobile(rng: random.Random) -> str:
    return f"{rng.choice(['133', '135', '137', '139', '150', '151', '158', '180', '186', '189'])}{rng.randrange(10**8):08d}"


def _crew(
    rng: random.Random, office: Unit, role: str, extra: int, used: set[str]
) -> list[tuple[str, str, User | None]]:
    people = list(
        User.objects.filter(unit=office, is_active=True, role_assignments__role=role)
        .distinct()
        .order_by("pk")
    )
    crew: list[tuple[str, str, User | None]] = [(u.full_name, u.phone or _mobile(rng), u) for u in people]
    for name in [u.full_name for u in people]:
        used.add(name)
    while len(crew) < extra:
        crew.append((_person_name(rng, used), _mobile(rng), None))
    return crew


def _roster(
    rng: random.Random, office: Unit, today: date, landline: str, gaps: list[tuple[date, str, str]]
) -> int:
    used: set[str] = set()
    leaders = _crew(rng, office, Role.LEADER, 6, used)
    staff = _crew(rng, office, Role.DUTY_OFFICER, 9, used)
    tz = timezone.get_current_timezone()
    info = days_info(today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD))
    rows = []
    for offset in range(-DAYS_BACK, DAYS_AHEAD):
        day = today + timedelta(days=offset)
        strict = info[day].holiday_name in DEFAULT_STRICT_HOLIDAYS
        for index, spec in enumerate(DEFAULT_SHIFTS):
            starts = datetime.combine(day, spec.start, tzinfo=tz)
            ends = datetime.combine(day + timedelta(days=1) if spec.overnight else day, spec.end, tzinfo=tz)
            leader = leaders[(offset + DAYS_BACK) % len(leaders)]
            on_staff = [
                staff[(2 * (offset + DAYS_BACK) + index + k) % len(staff)] for k in range(2 if strict else 1)
            ]
            for role, picks in ((DutyRole.LEADER, [leader]), (DutyRole.STAFF, on_staff)):
                if (day, spec.name, role) in gaps:
                    continue
                for name, mobile, person in picks:
                    # Night staff give the duty room's landline: the phone that rings at 2 a.m. is on the desk.
                    phone = landline if role == DutyRole.STAFF and spec.overnight else mobile
                    rows.append(
                        RosterEntry(
                            office=office,
                            day=day,
                            shift_name=spec.name,
                            starts_at=starts,
                            ends_at=ends,
                            role=role,
                            person=person,
                            name=name,
                            phone=phone,
                        )
                    )
    RosterEntry.objects.bulk_create(rows)
    return len(rows)


def _deliberate_gaps(today: date) -> tuple[list[tuple[date, str, str]], list[tuple[date, str, str]]]:
    """County: the first holiday night ahead (else a Saturday night) has no 带班领导. City: one day shift in three
    weeks has no 值班员."""
    info = days_info(today + timedelta(days=1), today + timedelta(days=DAYS_AHEAD - 2))
    holiday = next((d for d, i in sorted(info.items()) if i.holiday_name), None)
    night = holiday or next(d for d in sorted(info) if d.weekday() == 5 and d > today + timedelta(days=3))
    return [(night, "夜班", DutyRole.LEADER)], [(today + timedelta(days=20), "白班", DutyRole.STAFF)]


def _log(rng: random.Random, office: Unit, now: datetime, town: str) -> tuple[int, int]:
    officers = list(
        User.objects.filter(unit=office, is_active=True, role_assignments__role=Role.DUTY_OFFICER)
        .distinct()
        .order_by("pk")
    )
    if not officers:
        return 0, 0
    entries = []
    for n, (kind, text) in enumerate(LOG_LINES):
        at = now - timedelta(hours=6 * (len(LOG_LINES) - n) + rng.randint(0, 120) / 60)
        content = text.format(town=town, place=rng.choice(PLACES))
        entries.append(
            DutyLogEntry(
                office=office, at=at, kind=kind, content=content, recorded_by=officers[n % len(officers)]
            )
        )
    made = DutyLogEntry.objects.bulk_create(entries)
    DutyLogEntry.objects.create(
        office=office,
        at=made[0].at + timedelta(minutes=40),
        kind="other",
        content="更正：上条来电中积水地点应为" + rng.choice(PLACES) + "。",
        recorded_by=made[0].recorded_by,
        corrects=made[0],
    )
    handovers = 0
    if len(officers) >= 2:
        for d in range(DAYS_BACK, 0, -1):
            day = timezone.localdate(now) - timedelta(days=d)
            for hour, label_from, label_to in ((8, "夜班", "白班"), (18, "白班", "夜班")):
                at = datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())
                out, incoming = officers[handovers % 2], officers[(handovers + 1) % 2]
                Handover.objects.create(
                    office=office,
                    at=at,
                    from_shift=f"{day:%m月%d日}{label_from}",
                    to_shift=f"{day:%m月%d日}{label_to}",
                    handed_by=out,
                    incoming=incoming,
                    outstanding=rng.choice(
                        ["无。", f"{town}积水情况待回复，请接班后跟进。", "市委办明传电报待带班领导阅示。"]
                    ),
                    acknowledged_at=None
                    if d == 1 and hour == 18
                    else at + timedelta(minutes=rng.randint(3, 20)),
                )
                handovers += 1
    return len(made) + 1, handovers


@register(175, "duty")
def seed_duty(rng: random.Random, context: SeedContext) -> None:
    today = timezone.localdate()
    now = timezone.now()
    county_gaps, city_gaps = _deliberate_gaps(today)
    lines = entries = handovers = 0
    for anchor, landline, gaps, town in (
        ("county_office", f"{AREA_CODE}-8{rng.randrange(10**6):06d}1"[:13], county_gaps, "城关镇"),
        ("city_office", f"{AREA_CODE}-8{rng.randrange(10**6):06d}2"[:13], city_gaps, "安平县"),
    ):
        office = context.anchors.get(anchor)
        if office is None:
            continue
        lines += _roster(rng, office, today, landline, gaps)
        e, h = _log(rng, office, now, town)
        entries, handovers = entries + e, handovers + h
    context.count("roster_lines", lines)
    context.count("duty_log_entries", entries)
    context.count("handovers", handovers)
    context.log(
        "  "
        + gettext("排班 %(lines)d 条，值班记录 %(entries)d 条，交接班 %(handovers)d 次")
        % {"lines": lines, "entries": entries, "handovers": handovers}
    )
