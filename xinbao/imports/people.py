"""People from a file: accounts with an initial password, business roles, and optionally an informant registration.

Rules are those of the single-person services: ``accounts.services`` for the person's fields and who may create
whom, ``role_grant_allowed`` for which roles the importer may grant (三员分立: the three administrator roles are
never imported; they are granted one by one), and ``orgs.services.informant_register`` for the 备案.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xinbao.accounts.models import ADMIN_ROLES, Role, RoleAssignment, User
from xinbao.accounts.selectors import role_grant_allowed
from xinbao.accounts.services import _validate_person_fields
from xinbao.common.errors import ValidationFailed
from xinbao.imports.cells import (
    PROGRESS_EVERY,
    CellError,
    RowErrors,
    every,
    fetch_in_chunks,
    parse_choice,
    parse_date,
    parse_list,
)
from xinbao.imports.parsing import Table, cell_text
from xinbao.orgs.models import InformantChange, InformantKind, InformantRecord, Unit
from xinbao.orgs.selectors import can_manage_informants, can_manage_person, unit_list_visible_to

if TYPE_CHECKING:
    from xinbao.orgs.models import Unit as UnitType

HEADER = {"username": "用户名", "full_name": "姓名", "phone": "手机号", "unit": "单位编码", "title": "职务"}


def _labels(choices: Any) -> dict[str, str]:
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices}


@dataclass
class PersonRow:
    number: int
    username: str
    full_name: str
    unit_code: str
    phone: str
    title: str
    roles: list[str] = field(default_factory=list)
    informant_kind: str | None = None
    informant_date: date | None = None
    unit: Unit | None = None


@dataclass
class PeoplePlan:
    rows: list[PersonRow]
    errors: RowErrors

    @property
    def good(self) -> list[PersonRow]:
        return [r for r in self.rows if r.number not in self.errors.bad]


def validate_people(
    *, actor: User, table: Table, progress: Callable[[int], None] | None = None
) -> PeoplePlan:
    errors = RowErrors()
    roles_by_label = _labels(Role.choices)
    kinds = _labels(InformantKind.choices)
    rows = [_read_row(number, cells, roles_by_label, kinds, errors) for number, cells in table.rows]
    plan = PeoplePlan(rows=rows, errors=errors)
    units = {u.code: u for u in fetch_in_chunks(Unit.objects.all(), "code", {r.unit_code for r in rows})}
    visible = set(
        unit_list_visible_to(user=actor)
        .filter(pk__in=[u.pk for u in units.values()])
        .values_list("pk", flat=True)
    )
    taken = _taken_usernames({r.username.lower() for r in rows if r.username})
    seen: dict[str, list[int]] = {}
    for row in rows:
        if row.username:
            seen.setdefault(row.username.lower(), []).append(row.number)
    today = timezone.localdate()
    for index, row in enumerate(rows, start=1):
        every(PROGRESS_EVERY, progress, index)
        if row.number in errors.bad:
            continue
        _check_row(actor, row, units, visible, taken, seen, today, errors)
    if progress is not None:
        progress(len(rows))
    return plan


def _read_row(
    number: int,
    cells: dict[str, Any],
    roles_by_label: dict[str, str],
    kinds: dict[str, str],
    errors: RowErrors,
) -> PersonRow:
    row = PersonRow(
        number=number,
        username=cell_text(cells.get("username")),
        full_name=cell_text(cells.get("full_name")),
        unit_code=cell_text(cells.get("unit_code")),
        phone=cell_text(cells.get("phone")).replace(" ", ""),
        title=cell_text(cells.get("title")),
    )
    for label in parse_list(cells.get("roles")):
        role = roles_by_label.get(label)
        if role is None:
            allowed = "、".join(k for k, v in roles_by_label.items() if v not in ADMIN_ROLES)
            errors.add(
                number,
                "角色",
                _("角色“%(role)s”无效，可选：%(allowed)s") % {"role": label, "allowed": allowed},
            )
        elif role in ADMIN_ROLES:
            errors.add(
                number,
                "角色",
                _(
                    "系统管理员、安全管理员、审计管理员（三员）不能批量导入，须由有权限的管理员逐一授予（三员分立）"
                ),
            )
        elif role not in row.roles:
            row.roles.append(role)
    try:
        row.informant_kind = parse_choice(cells.get("informant_kind"), kinds, "信息员类型")
    except CellError as exc:
        errors.add(number, "信息员类型", str(exc))
    try:
        row.informant_date = parse_date(cells.get("informant_date"))
    except CellError as exc:
        errors.add(number, "备案日期", str(exc))
    if row.informant_date is not None and row.informant_kind is None and number not in errors.bad:
        errors.add(number, "信息员类型", _("填写了备案日期，但没有填写信息员类型（专职或兼职）"))
    if not row.unit_code:
        errors.add(number, "单位编码", _("请填写单位编码"))
    return row


def _taken_usernames(lowered: set[str]) -> set[str]:
    taken: set[str] = set()
    values = sorted(lowered)
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        taken |= set(
            User.objects.annotate(lname=Lower("username"))
            .filter(lname__in=chunk)
            .values_list("lname", flat=True)
        )
    return taken


def _check_row(
    actor: User,
    row: PersonRow,
    units: dict[str, Unit],
    visible: set[int],
    taken: set[str],
    seen: dict[str, list[int]],
    today: date,
    errors: RowErrors,
) -> None:
    unit = units.get(row.unit_code)
    if unit is None or unit.pk not in visible:
        errors.add(
            row.number,
            "单位编码",
            _("单位编码“%(code)s”不存在或不在您的管辖范围内") % {"code": row.unit_code},
        )
        return
    if not can_manage_person(actor, unit):
        errors.add(
            row.number,
            "单位编码",
            _("无权在“%(unit)s”导入人员：单位管理员只能导入本单位人员，系统管理员只能导入本辖区人员")
            % {"unit": unit.name},
        )
        return
    row.unit = unit
    try:
        _validate_person_fields(
            username=row.username, full_name=row.full_name, phone=row.phone, unit=unit, title=row.title
        )
    except ValidationFailed as exc:
        errors.add(row.number, HEADER.get(exc.field or "", "用户名"), exc.message)
        return
    lowered = row.username.lower()
    if lowered in taken:
        errors.add(row.number, "用户名", _("用户名“%(username)s”已被使用") % {"username": row.username})
        return
    if len(seen[lowered]) > 1:
        shown = "、".join(str(n) for n in seen[lowered])
        errors.add(
            row.number,
            "用户名",
            _("用户名“%(username)s”在文件中出现多次（第%(rows)s行，不区分大小写）")
            % {"username": row.username, "rows": shown},
        )
        return
    candidate = User(username=row.username, full_name=row.full_name, unit=unit, phone=row.phone)
    for role in row.roles:
        refusal = role_grant_allowed(actor, candidate, role)
        if refusal:
            errors.add(
                row.number,
                "角色",
                _("不能授予“%(role)s”：%(reason)s") % {"role": _role_label(role), "reason": refusal},
            )
            return
    if row.informant_kind is not None:
        _check_informant(actor, row, unit, today, errors)


def _check_informant(actor: User, row: PersonRow, unit: UnitType, today: date, errors: RowErrors) -> None:
    """The checks of orgs.services.informant_register that can fail for a person who does not exist yet."""
    if not can_manage_informants(actor, unit):
        errors.add(row.number, "信息员类型", _("只有本单位管理员或本辖区系统管理员可以办理信息员备案"))
    elif not unit.is_active:
        errors.add(row.number, "单位编码", _("%(unit)s已停用，不能办理信息员备案") % {"unit": unit.name})
    elif row.informant_date is not None and row.informant_date > today:
        errors.add(row.number, "备案日期", _("备案日期不能晚于今天"))


def _role_label(role: str) -> str:
    with translation.override("zh-hans"):
        return str(Role(role).label)


# --- writing ----------------------------------------------------------------------------------------------------


@dataclass
class PeopleResult:
    created: int = 0
    roles: dict[str, int] = field(default_factory=dict)
    informants: int = 0


def write_people(*, plan: PeoplePlan, actor: User, password_hash: str, reason: str) -> PeopleResult:
    """Create the good rows' accounts, roles and 备案 in bulk. Runs inside the caller's transaction."""
    rows = plan.good
    now = timezone.now()
    today = timezone.localdate()
    users = [
        User(
            username=r.username,
            full_name=r.full_name,
            unit=r.unit,
            phone=r.phone,
            title=r.title,
            password=password_hash,
            must_change_password=True,
            password_changed_at=now,
        )
        for r in rows
    ]
    User.objects.bulk_create(users, batch_size=500)
    result = PeopleResult(created=len(users))
    assignments = []
    records = []
    for row, user in zip(rows, users, strict=True):
        roles = list(row.roles)
        if row.informant_kind is not None:
            # As informant_register: the unit's own administrator grants the informant role with the 备案; a system
            # administrator files the 备案 only (三员分立: roles are the security administrator's).
            may_grant = actor.has_role(Role.UNIT_ADMIN) and actor.unit_id == row.unit.pk  # type: ignore[union-attr]
            roles += [Role.INFORMANT] if may_grant and Role.INFORMANT not in roles else []
            records.append(
                InformantRecord(
                    unit=row.unit,
                    person=user,
                    kind=row.informant_kind,
                    start_date=row.informant_date or today,
                    start_reason=reason,
                    filed_by=actor,
                )
            )
        for role in roles:
            assignments.append(RoleAssignment(user=user, role=role, granted_by=actor))
            result.roles[role] = result.roles.get(role, 0) + 1
    RoleAssignment.objects.bulk_create(assignments, batch_size=500)
    InformantRecord.objects.bulk_create(records, batch_size=500)
    InformantChange.objects.bulk_create(
        [
            InformantChange(
                record=record,
                action=InformantChange.Action.REGISTER,
                effective_date=record.start_date,
                reason=reason,
                detail=_kind_label(record.kind),
                filed_by=actor,
            )
            for record in records
        ],
        batch_size=500,
    )
    result.informants = len(records)
    return result


def _kind_label(kind: str) -> str:
    with translation.override("zh-hans"):
        return str(InformantKind(kind).label)
