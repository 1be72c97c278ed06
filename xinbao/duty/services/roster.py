"""Roster writes: one line at a time (the roster page), a whole week copied to another week, and the shift pattern
and coverage policy of an office. Every write is audited in its transaction; a refused write changes nothing."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.calendar import HOLIDAY_NAMES
from xinbao.common.errors import Conflict, NotPermitted, ValidationFailed
from xinbao.duty.models import NAME_MAX, DutyPolicy, DutyRole, DutyShift, RosterEntry
from xinbao.duty.selectors import ShiftSpec, duty_colleagues, may_edit_duty, shifts_for
from xinbao.orgs.models import Unit

if TYPE_CHECKING:
    from xinbao.accounts.models import User

MOBILE = re.compile(r"^1[3-9]\d{9}$")
#: 区号 (3–4 digits from 0) + 7–8 digit number, optional 分机: 0791-86123456, 0791-86123456-801.
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
#: How far ahead a roster may be kept: a year is what any office plans.
MAX_DAYS_AHEAD = 366
MAX_SHIFTS = 6


def require_editor(actor: User, office: Unit) -> None:
    if not may_edit_duty(actor, office):
        raise NotPermitted(_("只有本单位的值班员或单位管理员可以修改排班和值班记录"))


def clean_phone(raw: str, *, field: str = "phone") -> str:
    phone = (raw or "").strip()
    for dash in ("－", "—", "–", "―"):
        phone = phone.replace(dash, "-")
    phone = phone.replace(" ", "")
    if not phone:
        raise ValidationFailed(_("值班电话不能为空"), field=field)
    if not (MOBILE.match(phone) or LANDLINE.match(phone)):
        raise ValidationFailed(
            _(
                "值班电话“%(phone)s”格式不正确：应为11位手机号（如13907912345）或带区号的固定电话（如0791-86123456）"
            )
            % {"phone": raw},
            field=field,
        )
    return phone


def clean_name(raw: str, *, field: str = "name") -> str:
    name = (raw or "").strip()
    if not name:
        raise ValidationFailed(_("姓名不能为空"), field=field)
    if len(name) > NAME_MAX:
        raise ValidationFailed(_("姓名不能超过%(max)d个字") % {"max": NAME_MAX}, field=field)
    return name


def clean_role(role: str) -> str:
    if role not in DutyRole.values:
        raise ValidationFailed(_("岗位“%(role)s”无效，应为带班领导或值班员") % {"role": role}, field="role")
    return role


def check_day(day: date, *, field: str = "day") -> None:
    today = timezone.localdate()
    if day < today:
        raise ValidationFailed(
            _("%(day)s 已经过去，过去的排班是值班的记录，不能再修改") % {"day": day.isoformat()}, field=field
        )
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed(_("只能安排一年以内的值班"), field=field)


def find_shift(office: Unit, shift_name: str, *, field: str = "shift") -> ShiftSpec:
    shifts = shifts_for(office)
    for spec in shifts:
        if spec.name == shift_name:
            return spec
    raise ValidationFailed(
        _("班次“%(name)s”不存在，本单位的班次为：%(names)s")
        % {"name": shift_name, "names": "、".join(s.name for s in shifts)},
        field=field,
    )


def shift_bounds(spec: ShiftSpec, day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    starts = datetime.combine(day, spec.start, tzinfo=tz)
    end_day = day + timedelta(days=1) if spec.overnight else day
    return starts, datetime.combine(end_day, spec.end, tzinfo=tz)


def check_person(office: Unit, person: User | None) -> None:
    if person is not None and not duty_colleagues(office).filter(pk=person.pk).exists():
        raise ValidationFailed(_("所选人员不是本单位在岗人员"), field="person")


def _describe(entry: RosterEntry) -> dict[str, Any]:
    return {
        "day": entry.day.isoformat(),
        "shift": entry.shift_name,
        "role": entry.role,
        "name": entry.name,
        "phone": entry.phone,
        "person": entry.person_id,
    }


@transaction.atomic
def roster_entry_create(
    *,
    actor: User,
    office: Unit,
    day: date,
    shift_name: str,
    role: str,
    name: str = "",
    phone: str = "",
    person: User | None = None,
) -> RosterEntry:
    """Put one person on one shift. A person of the office may be chosen; his name and mobile fill in when the
    line leaves them empty (the duty phone may differ from his own, so it is kept on the line)."""
    require_editor(actor, office)
    check_day(day)
    spec = find_shift(office, shift_name)
    clean_role(role)
    check_person(office, person)
    name = clean_name(name or (person.full_name if person else ""))
    phone = clean_phone(phone or (person.phone if person else ""))
    if RosterEntry.objects.filter(office=office, day=day, shift_name=spec.name, name=name).exists():
        raise ValidationFailed(
            _("%(day)s %(shift)s 已排有“%(name)s”")
            % {"day": day.isoformat(), "shift": spec.name, "name": name},
            field="name",
        )
    starts, ends = shift_bounds(spec, day)
    entry = RosterEntry.objects.create(
        office=office,
        day=day,
        shift_name=spec.name,
        starts_at=starts,
        ends_at=ends,
        role=role,
        person=person,
        name=name,
        phone=phone,
        created_by=actor,
    )
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        obj=entry,
        object_repr=str(entry)[:200],
        detail={"action": "roster_entry_create", **_describe(entry)},
    )
    return entry


@transaction.atomic
def roster_entry_update(
    *, actor: User, entry: RosterEntry, name: str, phone: str, person: User | None = None
) -> RosterEntry:
    """Change who stands a line (or his duty phone); the shift and the post stay."""
    entry = RosterEntry.objects.select_for_update().get(pk=entry.pk)
    require_editor(actor, entry.office)
    check_day(entry.day)
    check_person(entry.office, person)
    name = clean_name(name or (person.full_name if person else ""))
    phone = clean_phone(phone or (person.phone if person else ""))
    clash = RosterEntry.objects.filter(
        office=entry.office, day=entry.day, shift_name=entry.shift_name, name=name
    ).exclude(pk=entry.pk)
    if clash.exists():
        raise ValidationFailed(_("该班次已排有“%(name)s”") % {"name": name}, field="name")
    before = _describe(entry)
    entry.name, entry.phone, entry.person = name, phone, person
    entry.save(update_fields=["name", "phone", "person", "updated_at"])
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        obj=entry,
        object_repr=str(entry)[:200],
        detail={"action": "roster_entry_update", "before": before, "after": _describe(entry)},
    )
    return entry


@transaction.atomic
def roster_entry_delete(*, actor: User, entry: RosterEntry) -> None:
    entry = RosterEntry.objects.select_for_update().get(pk=entry.pk)
    require_editor(actor, entry.office)
    check_day(entry.day)
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        obj=entry,
        object_repr=str(entry)[:200],
        detail={"action": "roster_entry_delete", **_describe(entry)},
    )
    entry.delete()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@transaction.atomic
def roster_week_copy(*, actor: User, office: Unit, source: date, target: date, replace: bool = False) -> int:
    """Copy the roster of the week (Monday–Sunday) containing ``source`` onto the week containing ``target``,
    day by day. A target week that already has lines is refused unless ``replace`` is set, which removes them
    first. Returns how many lines were made."""
    require_editor(actor, office)
    source, target = week_start(source), week_start(target)
    if source == target:
        raise ValidationFailed(_("源周与目标周相同，请选择另一周"), field="target")
    check_day(target, field="target")
    delta = target - source
    # Lock the office's rows of both weeks in one query, ordered, so two people copying at once queue up.
    rows = list(
        RosterEntry.objects.select_for_update()
        .filter(office=office, day__gte=min(source, target), day__lt=max(source, target) + timedelta(days=7))
        .order_by("pk")
    )
    lines = [r for r in rows if source <= r.day < source + timedelta(days=7)]
    existing = [r for r in rows if target <= r.day < target + timedelta(days=7)]
    if not lines:
        raise ValidationFailed(
            _("%(day)s 所在周没有排班，无可复制的内容") % {"day": source.isoformat()}, field="source"
        )
    if existing and not replace:
        raise Conflict(
            _("目标周（%(day)s 起）已有%(n)d条排班；如需覆盖，请勾选“覆盖目标周已有排班”")
            % {"day": target.isoformat(), "n": len(existing)},
            field="target",
        )
    RosterEntry.objects.filter(pk__in=[r.pk for r in existing]).delete()
    copies = [
        RosterEntry(
            office=office,
            day=r.day + delta,
            shift_name=r.shift_name,
            starts_at=r.starts_at + delta,
            ends_at=r.ends_at + delta,
            role=r.role,
            person_id=r.person_id,
            name=r.name,
            phone=r.phone,
            created_by=actor,
        )
        for r in lines
    ]
    RosterEntry.objects.bulk_create(copies)
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        obj=office,
        detail={
            "action": "roster_week_copy",
            "source": source.isoformat(),
            "target": target.isoformat(),
            "copied": len(copies),
            "replaced": len(existing),
        },
    )
    return len(copies)


def statutory_holidays() -> list[str]:
    """The calendar's holiday names in Chinese: what the policy stores and the coverage check matches."""
    with translation.override("zh-hans"):
        return [str(v) for v in HOLIDAY_NAMES.values()]


def _parse_clock(raw: str, *, line: int) -> time:
    text = raw.strip().replace("：", ":")
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationFailed(
            _("第%(line)d个班次的时间“%(value)s”无效，应写成08:00") % {"line": line, "value": raw},
            field="shifts",
        )
    return time(int(match[1]), int(match[2]))


def parse_shift_lines(text: str) -> list[tuple[str, time, time]]:
    """One shift a line, "白班 08:00-18:00"; an end at or before the start ends the next day."""
    shifts = []
    for number, raw in enumerate([x for x in (text or "").splitlines() if x.strip()], start=1):
        parts = raw.replace("－", "-").replace("—", "-").replace("–", "-").replace("～", "-").split()
        if len(parts) != 2 or parts[1].count("-") != 1:
            raise ValidationFailed(
                _("第%(line)d个班次“%(value)s”格式不正确，应写成“白班 08:00-18:00”")
                % {"line": number, "value": raw.strip()},
                field="shifts",
            )
        start, end = parts[1].split("-")
        shifts.append((parts[0], _parse_clock(start, line=number), _parse_clock(end, line=number)))
    return shifts


def _minutes(start: time, end: time) -> set[int]:
    a, b = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    if b <= a:
        b += 24 * 60
    return {m % (24 * 60) for m in range(a, b)}


@transaction.atomic
def duty_settings_update(
    *,
    actor: User,
    office: Unit,
    shifts: list[tuple[str, time, time]],
    min_staff: int,
    min_leaders: int,
    strict_holidays: list[str],
    strict_min_staff: int,
    strict_min_leaders: int,
) -> DutyPolicy:
    """An office's shift pattern and coverage policy. Shifts must not overlap within the day; they need not fill
    it (the coverage check shows what they leave open). Lines already on the roster keep their times."""
    require_editor(actor, office)
    if not 1 <= len(shifts) <= MAX_SHIFTS:
        raise ValidationFailed(_("请设置1至%(max)d个班次") % {"max": MAX_SHIFTS}, field="shifts")
    used: set[int] = set()
    names: set[str] = set()
    for name, start, end in shifts:
        if not name or len(name) > 20:
            raise ValidationFailed(_("班次名称须为1至20个字"), field="shifts")
        if name in names:
            raise ValidationFailed(_("班次名称“%(name)s”重复") % {"name": name}, field="shifts")
        names.add(name)
        minutes = _minutes(start, end)
        if used & minutes:
            raise ValidationFailed(_("班次“%(name)s”与其他班次时间重叠") % {"name": name}, field="shifts")
        used |= minutes
    for label, value, field in (
        (_("每小时最少值班员"), min_staff, "min_staff"),
        (_("每小时最少带班领导"), min_leaders, "min_leaders"),
        (_("从严节日最少值班员"), strict_min_staff, "strict_min_staff"),
        (_("从严节日最少带班领导"), strict_min_leaders, "strict_min_leaders"),
    ):
        if not 1 <= value <= 10:
            raise ValidationFailed(_("%(field)s须在1至10之间") % {"field": label}, field=field)
    for name in strict_holidays:
        if name not in statutory_holidays():
            raise ValidationFailed(
                _("节日“%(name)s”不是法定节假日") % {"name": name}, field="strict_holidays"
            )
    DutyShift.objects.filter(office=office).delete()
    DutyShift.objects.bulk_create(
        [DutyShift(office=office, name=n, start=s, end=e, sort_order=i) for i, (n, s, e) in enumerate(shifts)]
    )
    policy, _created = DutyPolicy.objects.update_or_create(
        office=office,
        defaults={
            "min_staff": min_staff,
            "min_leaders": min_leaders,
            "strict_holidays": list(dict.fromkeys(strict_holidays)),
            "strict_min_staff": strict_min_staff,
            "strict_min_leaders": strict_min_leaders,
        },
    )
    audit_record(
        event_type=EventType.CONFIG_CHANGE,
        actor=actor,
        obj=office,
        detail={
            "action": "duty_settings_update",
            "shifts": [f"{n} {s:%H:%M}-{e:%H:%M}" for n, s, e in shifts],
            "min_staff": min_staff,
            "min_leaders": min_leaders,
            "strict_holidays": policy.strict_holidays,
            "strict_min_staff": strict_min_staff,
            "strict_min_leaders": strict_min_leaders,
        },
    )
    return policy
