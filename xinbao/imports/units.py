"""Units from a file: check every row against the orgs rules and the importer's scope, then write them in bulk.

A row's parent may be a unit already in the system or another row of the same file, in any order; the checks run
on the tree as it will be *after* the import (file rows over database rows), which is also how cycles are found.
The rules themselves are the orgs ones (``unit_check_fields``/``unit_check_parent``); this module adds what only a
file can get wrong: duplicate codes, parents that exist nowhere, cycles, and rows that hang below a refused row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext as _

from xinbao.common.errors import ValidationFailed
from xinbao.imports.cells import (
    PROGRESS_EVERY,
    CellError,
    RowErrors,
    every,
    fetch_in_chunks,
    parse_bool,
    parse_choice,
    parse_int,
    parse_list,
)
from xinbao.imports.parsing import Table, cell_text
from xinbao.orgs.models import LEVEL_RANK, Level, Unit, UnitKind
from xinbao.orgs.selectors import can_manage_unit
from xinbao.orgs.services import unit_check_fields, unit_check_parent

if TYPE_CHECKING:
    from xinbao.accounts.models import User

HEADER = {
    "code": "单位编码",
    "name": "单位名称",
    "short_name": "简称",
    "level": "层级",
    "kind": "类型",
    "parent": "上级单位编码",
    "parent_code": "上级单位编码",
    "is_receiving_office": "是否接收单位",
    "receiving": "是否接收单位",
    "direct_targets": "直报目标单位编码",
    "sort_order": "排序",
    "phone": "联系电话",
    "active": "状态",
}
LEVEL_ALIASES = {"县": Level.COUNTY, "区": Level.COUNTY, "乡": Level.TOWNSHIP, "镇": Level.TOWNSHIP}
LEVEL_ALIASES |= {"乡镇": Level.TOWNSHIP, "街道": Level.TOWNSHIP, "县(市、区)": Level.COUNTY}
CLEAR_WORDS = {"无", "-", "—"}
WRITE_FIELDS = (
    "name",
    "short_name",
    "level",
    "kind",
    "is_receiving_office",
    "is_active",
    "sort_order",
    "phone",
)


def _choices(model_choices: Any, aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    # Labels are Chinese source strings; build the map under zh-hans so an English UI does not change the file format.
    with translation.override("zh-hans"):
        found = {str(label).replace("（", "(").replace("）", ")"): value for value, label in model_choices}
    return found | dict(aliases or {})


@dataclass
class UnitRow:
    number: int
    code: str
    values: dict[str, Any]  # final field values (merged with the existing unit for blank cells)
    parent_code: str | None  # as written; None = blank
    targets: list[str] | None  # None = leave unchanged
    existing: Unit | None = None
    final_parent: str | None = None  # code of the parent after the import


@dataclass
class UnitPlan:
    rows: list[UnitRow]
    errors: RowErrors
    db: dict[str, Unit] = field(default_factory=dict)  # by code: every database unit the checks looked at
    by_id: dict[int, Unit] = field(default_factory=dict)

    @property
    def good(self) -> list[UnitRow]:
        return [r for r in self.rows if r.number not in self.errors.bad]


# --- checking ---------------------------------------------------------------------------------------------------


def validate_units(*, actor: User, table: Table, progress: Callable[[int], None] | None = None) -> UnitPlan:
    errors = RowErrors()
    levels = _choices(Level.choices, LEVEL_ALIASES)
    kinds = _choices(UnitKind.choices)
    rows: list[UnitRow] = []
    for index, (number, cells) in enumerate(table.rows, start=1):
        row = _read_row(number, cells, levels, kinds, errors)
        if row is not None:
            rows.append(row)
        every(PROGRESS_EVERY, progress, index)
    plan = UnitPlan(rows=rows, errors=errors)
    _load_database_units(plan)
    _check_duplicates(plan)
    _merge_existing(actor, plan)
    # Every row by code, refused ones included: a row below a refused row must be refused too (_propagate).
    by_code = {r.code: r for r in rows}
    _resolve_parents(plan, by_code)
    # Scope first: nothing about a unit outside the importer's region (its kind, its level) may show in a message.
    _check_scope(actor, plan, by_code)
    _check_cycles(plan, by_code)
    _check_parent_rules(plan, by_code)
    _propagate(plan, by_code)
    _check_children(plan, by_code)
    _propagate(plan, by_code)
    _check_targets(plan, by_code)
    _propagate(plan, by_code)
    if progress is not None:
        progress(len(table.rows))
    return plan


def _read_row(
    number: int, cells: dict[str, Any], levels: dict[str, str], kinds: dict[str, str], errors: RowErrors
) -> UnitRow | None:
    code = cell_text(cells.get("code"))
    values: dict[str, Any] = {
        "name": cell_text(cells.get("name")),
        "short_name": cell_text(cells.get("short_name")) or None,
        "phone": cell_text(cells.get("phone")) or None,
    }
    readers: list[tuple[str, str, Callable[[Any], Any]]] = [
        ("level", "level", lambda v: parse_choice(v, levels, "层级")),
        ("kind", "kind", lambda v: parse_choice(v, kinds, "类型")),
        ("is_receiving_office", "receiving", parse_bool),
        ("is_active", "active", lambda v: parse_bool(v, yes="启用", no="停用")),
        ("sort_order", "sort_order", parse_int),
    ]
    for key, cell_key, reader in readers:
        try:
            values[key] = reader(cells.get(cell_key))
        except CellError as exc:
            values[key] = None
            errors.add(number, HEADER[cell_key], str(exc))
    raw_targets = cell_text(cells.get("direct_targets"))
    targets: list[str] | None = None
    if raw_targets in CLEAR_WORDS:
        targets = []
    elif raw_targets:
        targets = list(dict.fromkeys(parse_list(raw_targets)))
    for key, header in (("level", "层级"), ("kind", "类型")):
        if values[key] is None and cell_text(cells.get(key)) == "":
            errors.add(number, header, _("请填写%(column)s") % {"column": header})
    if not code:
        errors.add(number, "单位编码", _("单位编码不能为空"))
        return None
    return UnitRow(number, code, values, cell_text(cells.get("parent_code")) or None, targets)


def _load_database_units(plan: UnitPlan) -> None:
    codes = {r.code for r in plan.rows} | {r.parent_code for r in plan.rows if r.parent_code}
    codes |= {t for r in plan.rows for t in (r.targets or [])}
    found = fetch_in_chunks(Unit.objects.all(), "code", codes)
    # Everything above those units too: the checks walk the tree upward through database units.
    ancestor_ids = {int(p) for u in found for p in u.path.strip("/").split("/") if p} - {u.pk for u in found}
    ancestor_ids |= {u.parent_id for u in found if u.parent_id} - {u.pk for u in found}
    found += fetch_in_chunks(Unit.objects.all(), "pk", ancestor_ids)
    plan.db = {u.code: u for u in found}
    plan.by_id = {u.pk: u for u in found}


def _check_duplicates(plan: UnitPlan) -> None:
    seen: dict[str, list[int]] = {}
    for row in plan.rows:
        if row.code:
            seen.setdefault(row.code, []).append(row.number)
    for row in plan.rows:
        numbers = seen.get(row.code, [])
        if len(numbers) > 1:
            shown = "、".join(str(n) for n in numbers)
            plan.errors.add(
                row.number,
                "单位编码",
                _("单位编码“%(code)s”在文件中出现多次（第%(rows)s行）") % {"code": row.code, "rows": shown},
            )


def _merge_existing(actor: User, plan: UnitPlan) -> None:
    """Blank optional cells keep an existing unit's value and take the model default for a new one."""
    for row in plan.rows:
        existing = plan.db.get(row.code)
        row.existing = existing
        defaults = {
            "short_name": "",
            "phone": "",
            "is_receiving_office": False,
            "is_active": True,
            "sort_order": 0,
        }
        for key, default in defaults.items():
            if row.values.get(key) is None:
                row.values[key] = getattr(existing, key) if existing else default
        if row.number in plan.errors.bad:
            continue
        if existing is not None and not can_manage_unit(actor, existing):
            plan.errors.add(
                row.number,
                "单位编码",
                _("单位编码“%(code)s”已被使用，该单位不在您的管辖范围内，不能修改") % {"code": row.code},
            )
            continue
        try:
            unit_check_fields(code=row.code, **{k: row.values[k] for k in _CHECKED})
        except ValidationFailed as exc:
            plan.errors.add(row.number, HEADER.get(exc.field or "", "单位编码"), exc.message)


_CHECKED = ("name", "level", "kind", "is_receiving_office", "short_name", "phone")


def _resolve_parents(plan: UnitPlan, by_code: dict[str, UnitRow]) -> None:
    for row in plan.rows:
        if row.number in plan.errors.bad:
            continue
        if row.parent_code is None:
            if row.existing is None:
                plan.errors.add(row.number, "上级单位编码", _("新建单位须填写上级单位编码"))
                continue
            parent = plan.by_id.get(row.existing.parent_id) if row.existing.parent_id else None
            row.final_parent = parent.code if parent else None
            continue
        if row.parent_code == row.code:
            plan.errors.add(row.number, "上级单位编码", _("上级单位不能是本单位"))
            continue
        if row.parent_code not in by_code and row.parent_code not in plan.db:
            plan.errors.add(
                row.number,
                "上级单位编码",
                _("上级单位编码“%(code)s”不存在（系统中和本文件中都没有）") % {"code": row.parent_code},
            )
            continue
        row.final_parent = row.parent_code


def _parent_of(code: str, plan: UnitPlan, by_code: dict[str, UnitRow]) -> str | None:
    """The parent's code in the tree as it will be after the import."""
    row = by_code.get(code)
    if row is not None:
        return row.final_parent
    unit = plan.db.get(code)
    if unit is None or unit.parent_id is None:
        return None
    parent = plan.by_id.get(unit.parent_id)
    return parent.code if parent else None


def _check_cycles(plan: UnitPlan, by_code: dict[str, UnitRow]) -> None:
    safe: set[str] = set()
    for row in plan.rows:
        if row.number in plan.errors.bad or row.final_parent is None:
            continue
        chain = [row.code]
        current: str | None = row.final_parent
        while current is not None and current not in safe:
            if current == row.code:
                loop = " → ".join([*chain, row.code])
                plan.errors.add(
                    row.number, "上级单位编码", _("上级单位关系形成循环：%(loop)s") % {"loop": loop}
                )
                break
            if current in chain:
                break  # leads into a loop that does not contain this row; the loop's rows are refused
            chain.append(current)
            current = _parent_of(current, plan, by_code)
        else:
            safe.update(chain)


def _attrs(code: str, plan: UnitPlan, by_code: dict[str, UnitRow]) -> Unit:
    """The unit as it will be after the import: a file row's values over the database's."""
    row = by_code.get(code)
    if row is not None:
        return Unit(code=code, **{k: row.values[k] for k in WRITE_FIELDS})
    return plan.db[code]


def _check_parent_rules(plan: UnitPlan, by_code: dict[str, UnitRow]) -> None:
    for row in plan.rows:
        if row.number in plan.errors.bad or row.final_parent is None:
            continue
        parent_row = by_code.get(row.final_parent)
        if parent_row is not None and parent_row.number in plan.errors.bad:
            continue  # refused by _propagate with a message that points at the parent's row
        try:
            unit_check_parent(
                level=row.values["level"],
                kind=row.values["kind"],
                parent=_attrs(row.final_parent, plan, by_code),
            )
        except ValidationFailed as exc:
            column = "上级单位编码" if exc.field == "parent" else HEADER.get(exc.field or "", "层级")
            plan.errors.add(row.number, column, exc.message)


def _check_scope(actor: User, plan: UnitPlan, by_code: dict[str, UnitRow]) -> None:
    """The importer must manage every unit he changes (checked in _merge_existing) and every parent he puts a unit
    under (unit_create; unit_update when the unit moves). A parent that is a row of the file passed this very check
    itself, or was refused and takes its children with it (_propagate), so only database parents are looked at."""
    for row in plan.rows:
        if row.number in plan.errors.bad or row.final_parent is None or row.final_parent in by_code:
            continue
        moved = row.existing is None or row.final_parent != _db_parent_code(row.existing, plan)
        if moved and not can_manage_unit(actor, plan.db[row.final_parent]):
            verb = _("新建单位") if row.existing is None else _("移入单位")
            plan.errors.add(
                row.number,
                "上级单位编码",
                _("无权在单位“%(code)s”下%(verb)s：该上级单位不存在或不在您的管辖范围内")
                % {"code": row.final_parent, "verb": verb},
            )


def _db_parent_code(unit: Unit, plan: UnitPlan) -> str | None:
    parent = plan.by_id.get(unit.parent_id) if unit.parent_id else None
    return parent.code if parent else None


def _check_children(plan: UnitPlan, by_code: dict[str, UnitRow]) -> None:
    """A changed kind or level must still hold for the units already below it that the file leaves there."""
    changed = [
        r
        for r in plan.rows
        if r.number not in plan.errors.bad
        and r.existing is not None
        and (r.existing.kind != r.values["kind"] or r.existing.level != r.values["level"])
    ]
    if not changed:
        return
    children = fetch_in_chunks(
        Unit.objects.all(), "parent_id", [r.existing.pk for r in changed if r.existing]
    )
    by_parent: dict[int, list[Unit]] = {}
    for child in children:
        if child.code not in by_code:  # rows of the file are checked against their final parent already
            by_parent.setdefault(child.parent_id or 0, []).append(child)
    for row in changed:
        assert row.existing is not None
        kids = by_parent.get(row.existing.pk, [])
        if kids and row.values["kind"] != UnitKind.REGION:
            plan.errors.add(row.number, "类型", _("该行政区下还有单位，不能改为其他类型"))
            continue
        for child in kids:
            try:
                unit_check_parent(level=child.level, kind=child.kind, parent=_attrs(row.code, plan, by_code))
            except ValidationFailed:
                plan.errors.add(
                    row.number, "层级", _("下级单位“%(name)s”的层级与新层级不相符") % {"name": child.name}
                )
                break
    becoming_region = [
        r.existing.pk
        for r in changed
        if r.existing and r.existing.kind != UnitKind.REGION and r.values["kind"] == UnitKind.REGION
    ]
    if becoming_region:
        from xinbao.accounts.models import User
        from xinbao.orgs.models import InformantRecord

        staffed = set(User.objects.filter(unit_id__in=becoming_region).values_list("unit_id", flat=True))
        staffed |= set(
            InformantRecord.objects.filter(unit_id__in=becoming_region).values_list("unit_id", flat=True)
        )
        for row in changed:
            if row.existing and row.existing.pk in staffed:
                plan.errors.add(row.number, "类型", _("该单位已有人员或信息员备案，不能改为行政区"))


def _region_chain(code: str, plan: UnitPlan, by_code: dict[str, UnitRow]) -> list[str]:
    """Codes of the regions above ``code`` (nearest first), in the tree after the import."""
    chain: list[str] = []
    current = _parent_of(code, plan, by_code)
    while current is not None and current not in chain:
        chain.append(current)
        current = _parent_of(current, plan, by_code)
    return chain


def _check_targets(plan: UnitPlan, by_code: dict[str, UnitRow]) -> None:
    """直报目标 by the rules of orgs.direct_targets_set: active receiving offices of the regions above the
    unit's main channel (never the office it already reports to, nor another county's or city's)."""
    for row in plan.rows:
        if row.number in plan.errors.bad or not row.targets:
            continue
        if row.values["kind"] == UnitKind.REGION:
            plan.errors.add(row.number, "直报目标单位编码", _("行政区节点不报送信息，不能设为信息直报点"))
            continue
        above = _region_chain(row.code, plan, by_code)
        # The main channel's region: the unit's own region, or the one above it for a receiving office.
        main_index = 1 if row.values["is_receiving_office"] else 0
        allowed_parents = set(above[main_index + 1 :])
        for target in row.targets:
            target_row = by_code.get(target)
            if target_row is not None and target_row.number in plan.errors.bad:
                continue  # refused by _propagate, pointing at the target's row
            if target_row is None and target not in plan.db:
                plan.errors.add(
                    row.number, "直报目标单位编码", _("直报目标单位编码“%(code)s”不存在") % {"code": target}
                )
                break
            office = _attrs(target, plan, by_code)
            if not office.is_receiving_office or not office.is_active:
                plan.errors.add(
                    row.number,
                    "直报目标单位编码",
                    _("“%(code)s”不是在用的接收单位，不能作为直报目标") % {"code": target},
                )
                break
            if LEVEL_RANK[Level(office.level)] >= LEVEL_RANK[Level(row.values["level"])] or (
                _parent_of(target, plan, by_code) not in allowed_parents
            ):
                plan.errors.add(
                    row.number,
                    "直报目标单位编码",
                    _("直报目标“%(code)s”须是本单位上级地区（主渠道以上）的在用接收单位") % {"code": target},
                )
                break


def _propagate(plan: UnitPlan, by_code: dict[str, UnitRow]) -> None:
    """A row below a refused row, or naming one as 直报目标, cannot be imported either."""
    changed = True
    while changed:
        changed = False
        for row in plan.rows:
            if row.number in plan.errors.bad:
                continue
            for code, column in [(row.final_parent, "上级单位编码")] + [
                (t, "直报目标单位编码") for t in row.targets or []
            ]:
                other = by_code.get(code) if code else None
                if other is not None and other.number in plan.errors.bad:
                    plan.errors.add(
                        row.number,
                        column,
                        _("“%(code)s”所在的第%(row)d行有错误，本行无法导入")
                        % {"code": code, "row": other.number},
                    )
                    changed = True
                    break
