"""Seed step 2: the people of every unit, their roles, the informant registry with its history, demo TOTP devices.

Who is where (PRODUCT 1): a receiving office has its leader, a 副主任 who signs off, the 秘书科 head as unit admin,
the 信息科 editors, the duty room and one 专职信息员 of its own; a party office also has the three administrators
(三员, never two roles for one person). A township, department or affiliated unit has a 专职信息员 (some also a
兼职), a 审签人 (a leader) and a 单位管理员 (the office director), three different people. About 5% of units are
deliberately left without a current 专职信息员 — never registered, or lapsed — so the office's list of units without
an informant has something to show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypinyin import lazy_pinyin

from xinbao.accounts.models import ADMIN_ROLES, Role, RoleAssignment, User
from xinbao.accounts.services import PHONE_RE, USERNAME_RE
from xinbao.demo import catalog
from xinbao.demo.key_accounts import DEMO_DEVICE_NAME, KEY_ACCOUNTS, demo_totp_key, key_username
from xinbao.demo.names import NameBook
from xinbao.demo.registry import SeedContext, register
from xinbao.demo.seeds.orgs import UnitInfo
from xinbao.orgs.models import InformantChange, InformantKind, InformantRecord, Level, Unit

FULL, PART = InformantKind.FULL_TIME, InformantKind.PART_TIME
REPORTING_ROLES = ("township", "department", "affiliated")
#: Share of units deliberately without a current 专职信息员 (half never registered, half lapsed).
WITHOUT_INFORMANT_SHARE = 0.05


@dataclass
class PlannedRecord:
    unit: Unit
    person: User
    kind: str  # the record's kind today
    start: date
    start_reason: str
    filed_by: User
    end: date | None = None
    end_reason: str = ""
    converted_on: date | None = None  # registered 兼职, changed to 专职 on this day


class PeoplePlan:
    def __init__(self, rng: random.Random, context: SeedContext) -> None:
        self.rng = rng
        self.ctx = context
        self.today = context.today
        self.names = NameBook(rng)
        self.info: dict[str, UnitInfo] = context.extra["unit_info"]
        self.anchor_of = {u.code: name for name, u in context.anchors.items()}
        self.people: list[User] = []
        self.roles: list[tuple[User, str]] = []
        self.records: list[PlannedRecord] = []
        self._base_count: dict[str, int] = {}
        self._pinyin: dict[str, str] = {}
        self._phones: set[str] = set()
        self._names_in_unit: dict[str, set[str]] = {}
        self.modes: dict[str, str] = {}
        self.region_admins: dict[str, dict[str, User]] = {}  # region code -> 三员 of its party office

    # --- people --------------------------------------------------------------------------------------------------

    def days_ago(self, lo: int, hi: int) -> date:
        return self.today - timedelta(days=self.rng.randint(lo, hi))

    def username_for(self, full_name: str) -> str:
        base = self._pinyin.get(full_name)
        if base is None:
            base = "".join(ch for ch in "".join(lazy_pinyin(full_name)) if ch.isascii() and ch.isalpha())
            self._pinyin[full_name] = base
        n = self._base_count.get(base, 0) + 1
        self._base_count[base] = n
        return base if n == 1 else f"{base}{n}"

    def person(
        self, unit: Unit, title: str, roles: tuple[str, ...] = (), slot: str = "", active: bool = True
    ) -> User:
        taken = self._names_in_unit.setdefault(unit.code, set())
        full_name = self.names.person()
        for _ in range(5):  # two people of one name in one small office would confuse everyone
            if full_name not in taken:
                break
            full_name = self.names.person()
        taken.add(full_name)
        username = key_username(self.anchor_of.get(unit.code, ""), slot) if slot else None
        phone = f"139{self.rng.randrange(10**8):08d}"
        while phone in self._phones:
            phone = f"139{self.rng.randrange(10**8):08d}"
        self._phones.add(phone)
        user = User(
            username=username or self.username_for(full_name),
            full_name=full_name,
            unit=unit,
            title=title,
            phone=phone,
            is_active=active,
            password=self.ctx.password_hash,
            must_change_password=False,
            password_changed_at=self.ctx.now,
        )
        self.people.append(user)
        self.roles.extend((user, role) for role in roles)
        return user

    # --- the informant registry ----------------------------------------------------------------------------------

    def register_full_time(self, unit: Unit, admin: User, title: str) -> None:
        mode = self.modes.get(unit.code, "normal")
        if mode == "never":
            return
        if mode == "lapsed_ended":
            reason = self.rng.choice(["调离本单位", "岗位调整"])
            old = self.person(unit, title, active=reason == "岗位调整")
            if reason == "岗位调整":
                old.title = self.rng.choice(catalog.OLD_POST_TITLES)
            end = self.days_ago(15, 240)
            start = end - timedelta(days=self.rng.randint(300, 1500))
            self.records.append(
                PlannedRecord(
                    unit, old, FULL, start, self.rng.choice(catalog.START_REASONS), admin, end, reason
                )
            )
            return
        if mode == "lapsed_inactive":
            # The account was disabled (retired) but nobody has filed the end of the registration yet.
            gone = self.person(unit, title, (Role.INFORMANT,), active=False)
            start = self.days_ago(400, 1800)
            self.records.append(PlannedRecord(unit, gone, FULL, start, catalog.START_REASONS[0], admin))
            return
        start = self.days_ago(60, 1500)
        if mode == "history":
            reason = (
                "岗位调整"
                if self.anchor_of.get(unit.code) == "township"
                else self.rng.choice(catalog.END_REASONS)
            )
            old = self.person(unit, title, active=reason == "岗位调整")
            if reason == "岗位调整":
                old.title = self.rng.choice(catalog.OLD_POST_TITLES)
            old_start = start - timedelta(days=self.rng.randint(400, 2000))
            old_end = start - timedelta(days=self.rng.randint(0, 14))
            self.records.append(
                PlannedRecord(unit, old, FULL, old_start, catalog.START_REASONS[0], admin, old_end, reason)
            )
        informant = self.person(unit, title, (Role.INFORMANT,), slot="informant")
        if mode == "converted":
            start = self.days_ago(400, 1800)
            converted = min(self.today, start + timedelta(days=self.rng.randint(90, 360)))
            reason = self.rng.choice(catalog.PART_TIME_REASONS)
            self.records.append(
                PlannedRecord(unit, informant, FULL, start, reason, admin, converted_on=converted)
            )
            return
        reason = "工作调整，接任信息员" if mode == "history" else self.rng.choice(catalog.START_REASONS)
        self.records.append(PlannedRecord(unit, informant, FULL, start, reason, admin))

    def register_part_time(self, unit: Unit, admin: User, titles: list[str]) -> None:
        helper = self.person(unit, self.rng.choice(titles), (Role.INFORMANT,))
        start = self.days_ago(30, 1200)
        self.records.append(
            PlannedRecord(unit, helper, PART, start, self.rng.choice(catalog.PART_TIME_REASONS), admin)
        )

    def choose_modes(self) -> None:
        anchors = set(self.anchor_of)
        units = [u for u in self.ctx.units.values() if self.info[u.code].role != "region"]
        candidates = [u for u in units if self.info[u.code].role in REPORTING_ROLES and u.code not in anchors]
        n = max(2, round(len(units) * WITHOUT_INFORMANT_SHARE))
        chosen = self.rng.sample(candidates, n)
        for i, unit in enumerate(chosen):
            self.modes[unit.code] = (
                "never" if i % 2 == 0 else ("lapsed_ended" if i % 4 == 1 else "lapsed_inactive")
            )
        for unit in units:
            if unit.code in self.modes:
                continue
            r = self.rng.random()
            self.modes[unit.code] = "history" if r < 0.25 else ("converted" if r < 0.4 else "normal")
        if "township" in self.ctx.anchors:
            self.modes[self.ctx.anchors["township"].code] = "history"

    def grantor(self, user: User, role: str, filers: dict[int, User]) -> User | None:
        """Who granted a role, by the rules of role_grant_allowed: the unit admin grants 信息员 along with the
        registration, the system admin grants the security admin role, the security admin grants the rest."""
        if role == Role.INFORMANT and id(user) in filers:
            return filers[id(user)]
        assert user.unit is not None
        admins = self.region_admins.get(self.info[user.unit.code].region.code, {})
        grantor = admins.get(Role.SYSTEM_ADMIN if role == Role.SECURITY_ADMIN else Role.SECURITY_ADMIN)
        return None if grantor is user else grantor

    # --- units ---------------------------------------------------------------------------------------------------

    def staff_office(self, unit: Unit, info: UnitInfo) -> User:
        province = unit.level == Level.PROVINCE
        hall = "办公厅" if province else "办公室"
        grade = "处" if province else "科"
        sect = "信息处" if province else "信息科"
        w = info.word
        if info.role == "system_office":
            self.person(unit, "副部长", (Role.LEADER,), slot="leader")
            signer_title, admin_title = "部务委员", "办公室主任"
            editors = [f"组工信息{grade}{grade}长"]
        else:
            body = f"{w}委" if info.role == "party_office" else f"{w}政府"
            self.person(unit, f"{body}{hall}主任", (Role.LEADER,), slot="leader")
            signer_title, admin_title = f"{hall}副主任（分管信息工作）", f"秘书{grade}{grade}长"
            editors = [f"{sect}{grade}长", f"{sect}副{grade}长"]
            if info.role == "gov_office" and self.rng.random() < 0.5:
                editors = editors[:1]
        self.person(unit, signer_title, (Role.SIGNER,), slot="signer")
        admin = self.person(unit, admin_title, (Role.UNIT_ADMIN,), slot="unit_admin")
        for i, title in enumerate(editors):
            self.person(unit, title, (Role.EDITOR,), slot="editor" if i == 0 else "")
        if info.role != "system_office":
            self.person(unit, "总值班室值班员", (Role.DUTY_OFFICER,), slot="duty_officer")
            if self.rng.random() < 0.5:
                self.person(unit, "总值班室副主任", (Role.DUTY_OFFICER,))
        if info.role == "party_office":
            for role, title in (
                (Role.SYSTEM_ADMIN, f"信息化{grade}{grade}长"),
                (Role.SECURITY_ADMIN, f"网络安全{grade}科员" if not province else "网络安全处一级主任科员"),
                (Role.AUDIT_ADMIN, f"机要保密{grade}科员" if not province else "机要保密处一级主任科员"),
            ):
                admins = self.region_admins.setdefault(info.region.code, {})
                admins[role] = self.person(unit, title, (role,), slot=str(role))
        self.register_full_time(unit, admin, f"{sect}科员" if not province else "信息处四级主任科员")
        return admin

    def staff_reporting(self, unit: Unit, info: UnitInfo) -> User:
        if info.role == "township":
            street = info.word == "街道"
            if street:
                signer = self.rng.choice(["党工委副书记", "党工委委员、宣传委员", "办事处副主任"])
            else:
                head = "乡长" if info.word == "乡" else "镇长"
                signer = self.rng.choice(
                    ["党委副书记", "党委委员、宣传委员", "党委委员、组织委员", f"党委副书记、{head}"]
                )
            admin_title = "党政办公室主任" if street else "党政办主任"
            ft_titles, pt_titles = catalog.TOWNSHIP_INFORMANT_TITLES, catalog.TOWNSHIP_PART_TIME_TITLES
        else:
            head = catalog.head_title(unit.name)
            if unit.name.endswith("政法委员会"):
                head = "书记"
            signer = ("党组成员、副" if self.rng.random() < 0.4 else "副") + head
            if unit.name.endswith("部") and self.rng.random() < 0.5:
                signer = "部务委员"
            admin_title = "办公室主任"
            ft_titles, pt_titles = catalog.DEPT_INFORMANT_TITLES, catalog.DEPT_PART_TIME_TITLES
            if unit.name.endswith("融媒体中心"):
                ft_titles = ["新闻部记者", "编辑部编辑"]
        self.person(unit, signer, (Role.SIGNER,), slot="signer")
        admin = self.person(unit, admin_title, (Role.UNIT_ADMIN,), slot="unit_admin")
        self.register_full_time(unit, admin, self.rng.choice(ft_titles))
        never = self.modes.get(unit.code) == "never"
        if self.rng.random() < (0.5 if never else 0.3):
            self.register_part_time(unit, admin, pt_titles)
        return admin

    def build(self) -> None:
        self.choose_modes()
        admins: dict[str, User] = {}
        for unit in self.ctx.units.values():
            info = self.info[unit.code]
            if info.role == "region":
                continue
            if info.role in REPORTING_ROLES:
                admins[unit.code] = self.staff_reporting(unit, info)
            else:
                admins[unit.code] = self.staff_office(unit, info)
        target = self.ctx.scale.target_people
        if target:
            reporting = [u for u in self.ctx.units.values() if self.info[u.code].role in REPORTING_ROLES]
            while len(self.people) < target:
                unit = self.rng.choice(reporting)
                titles = (
                    catalog.TOWNSHIP_PART_TIME_TITLES
                    if self.info[unit.code].role == "township"
                    else catalog.DEPT_PART_TIME_TITLES
                )
                self.register_part_time(unit, admins[unit.code], titles)


def _check(people: list[User]) -> None:
    """The rules user_create enforces (usernames, phones, names, no region units, 三员分立) hold for every row."""
    seen: set[str] = set()
    for p in people:
        if not USERNAME_RE.match(p.username) or p.username.lower() in seen:
            raise ValueError(f"bad or duplicate demo username {p.username!r}")
        seen.add(p.username.lower())
        if not PHONE_RE.match(p.phone) or not p.full_name or len(p.full_name) > 40:
            raise ValueError(f"bad demo person {p.username}")


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def write_people(plan: PeoplePlan, context: SeedContext) -> None:
    _check(plan.people)
    held: dict[int, set[str]] = {}
    for user, role in plan.roles:
        held.setdefault(id(user), set()).add(role)
    if any(len(roles & ADMIN_ROLES) > 1 for roles in held.values()):
        raise ValueError("三员分立 violated in the demo plan")
    User.objects.bulk_create(plan.people, batch_size=1000)
    filers = {id(r.person): r.filed_by for r in plan.records if r.end is None}
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=user, role=role, granted_by=plan.grantor(user, role, filers))
            for user, role in plan.roles
        ],
        batch_size=2000,
    )
    records, changes = [], []
    for r in plan.records:
        rec = InformantRecord(
            unit=r.unit,
            person=r.person,
            kind=r.kind,
            start_date=r.start,
            start_reason=r.start_reason,
            end_date=r.end,
            end_reason=r.end_reason,
            filed_by=r.filed_by,
        )
        records.append(rec)
        first_kind = PART if r.converted_on else r.kind
        changes.append(
            InformantChange(
                record=rec,
                action=InformantChange.Action.REGISTER,
                effective_date=r.start,
                reason=r.start_reason,
                detail=str(InformantKind(first_kind).label),
                filed_by=r.filed_by,
            )
        )
        if r.converted_on:
            changes.append(
                InformantChange(
                    record=rec,
                    action=InformantChange.Action.CHANGE_KIND,
                    effective_date=r.converted_on,
                    reason=catalog.CHANGE_KIND_REASON,
                    detail=f"{InformantKind.PART_TIME.label} → {InformantKind.FULL_TIME.label}",
                    filed_by=r.filed_by,
                )
            )
        if r.end:
            changes.append(
                InformantChange(
                    record=rec,
                    action=InformantChange.Action.END,
                    effective_date=r.end,
                    reason=r.end_reason,
                    filed_by=r.filed_by,
                )
            )
    InformantRecord.objects.bulk_create(records, batch_size=1000)
    InformantChange.objects.bulk_create(changes, batch_size=1000)
    # A registration was filed on the day it took effect; created_at says so (auto_now_add set it to now).
    for rec, planned in zip(records, plan.records, strict=True):
        rec.created_at = _at(planned.start)
    for change in changes:
        change.created_at = _at(change.effective_date)
    InformantRecord.objects.bulk_update(records, ["created_at"], batch_size=1000)
    InformantChange.objects.bulk_update(changes, ["created_at"], batch_size=1000)

    devices = [
        TOTPDevice(
            user=user, name=DEMO_DEVICE_NAME, confirmed=True, key=demo_totp_key(context.seed, user.username)
        )
        for user, role in plan.roles
        if role in ADMIN_ROLES
    ]
    TOTPDevice.objects.bulk_create(devices)

    context.users.update((u.username, u) for u in plan.people)
    context.count("people", len(plan.people))
    context.count("role_assignments", len(plan.roles))
    context.count("informant_records", len(records))
    context.count("informant_changes", len(changes))
    context.count("totp_devices", len(devices))
    missing = [k for k in KEY_ACCOUNTS if k not in context.users]
    if missing:
        raise ValueError(f"demo key accounts not created: {missing}")


@register(20, "people")
def seed_people(rng: random.Random, context: SeedContext) -> None:
    plan = PeoplePlan(rng, context)
    plan.build()
    write_people(plan, context)
    current = sum(1 for r in plan.records if r.end is None)
    context.log(
        "  "
        + gettext("人员 %(people)d 人，信息员备案 %(records)d 条（在册 %(current)d 条）")
        % {"people": len(plan.people), "records": len(plan.records), "current": current}
    )
