"""Writes to the organisation model. Every service checks permission, validates, writes and audits in one
transaction (house habits 1 and 3)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.orgs.models import (
    LEVEL_RANK,
    DirectReportingTarget,
    InformantChange,
    InformantKind,
    InformantRecord,
    Level,
    Unit,
    UnitKind,
)
from xinbao.orgs.selectors import can_manage_informants, can_manage_unit

if TYPE_CHECKING:
    from xinbao.accounts.models import User

UNIT_FIELDS = (
    "code",
    "name",
    "short_name",
    "level",
    "kind",
    "is_receiving_office",
    "is_active",
    "sort_order",
    "phone",
)


def unit_validate(
    *,
    code: str,
    name: str,
    level: str,
    kind: str,
    parent: Unit | None,
    is_receiving_office: bool,
    instance: Unit | None = None,
) -> None:
    """Data rules of a unit, each refused with a Chinese message naming the field."""
    if not code or not code.strip():
        raise ValidationFailed("单位编码不能为空", field="code")
    if len(code) > 32 or any(c.isspace() for c in code):
        raise ValidationFailed("单位编码不能含空格，且不超过32个字符", field="code")
    if not name or not name.strip():
        raise ValidationFailed("单位名称不能为空", field="name")
    if len(name) > 100:
        raise ValidationFailed("单位名称不能超过100个字符", field="name")
    if level not in Level.values:
        raise ValidationFailed(f"层级“{level}”无效", field="level")
    if kind not in UnitKind.values:
        raise ValidationFailed(f"类型“{kind}”无效", field="kind")
    if kind == UnitKind.REGION and is_receiving_office:
        raise ValidationFailed("行政区节点不能设为接收单位", field="is_receiving_office")
    clash = Unit.objects.filter(code=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationFailed(f"单位编码“{code}”已被使用", field="code")
    if parent is not None:
        if instance is not None and (parent.pk == instance.pk or parent.path.startswith(instance.path)):
            raise ValidationFailed("上级单位不能是本单位或其下级单位", field="parent")
        if parent.kind != UnitKind.REGION:
            raise ValidationFailed("上级单位必须是行政区（省、市、县、乡镇一级的地区节点）", field="parent")
        if LEVEL_RANK[Level(level)] < LEVEL_RANK[Level(parent.level)]:
            raise ValidationFailed("单位层级不能高于上级单位", field="level")
        if kind == UnitKind.REGION and LEVEL_RANK[Level(level)] <= LEVEL_RANK[Level(parent.level)]:
            raise ValidationFailed("下级行政区的层级必须低于上级行政区", field="level")


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2


@transaction.atomic
def unit_create(*, actor: User | None, parent: Unit | None, **fields: Any) -> Unit:
    if actor is not None and (parent is None or not can_manage_unit(actor, parent)):
        raise NotPermitted("只有本辖区的系统管理员可以新建单位")
    fields.setdefault("short_name", "")
    fields.setdefault("is_receiving_office", False)
    unit_validate(
        code=fields.get("code", ""),
        name=fields.get("name", ""),
        level=fields.get("level", ""),
        kind=fields.get("kind", ""),
        parent=parent,
        is_receiving_office=fields["is_receiving_office"],
    )
    unit = Unit(parent=parent, **{k: v for k, v in fields.items() if k in UNIT_FIELDS})
    unit.save()
    _set_path(unit)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    audit_record(event_type=EventType.UNIT_CREATE, actor=actor, obj=unit, detail={"code": unit.code})
    return unit


@transaction.atomic
def unit_update(*, actor: User | None, unit: Unit, parent: Unit | None = None, **fields: Any) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = parent if parent is not None else unit.parent
    if actor is not None and not (
        can_manage_unit(actor, unit) and (new_parent is None or can_manage_unit(actor, new_parent))
    ):
        raise NotPermitted("只有本辖区的系统管理员可以修改单位")
    merged = {f: fields.get(f, getattr(unit, f)) for f in UNIT_FIELDS}
    unit_validate(
        code=merged["code"],
        name=merged["name"],
        level=merged["level"],
        kind=merged["kind"],
        parent=new_parent,
        is_receiving_office=merged["is_receiving_office"],
        instance=unit,
    )
    if unit.kind == UnitKind.REGION and merged["kind"] != UnitKind.REGION and unit.children.exists():
        raise ValidationFailed("该行政区下还有单位，不能改为其他类型", field="kind")
    changes = {
        f: [str(getattr(unit, f)), str(merged[f])] for f in UNIT_FIELDS if getattr(unit, f) != merged[f]
    }
    for f, v in merged.items():
        setattr(unit, f, v)
    moved = new_parent is not None and new_parent.pk != unit.parent_id
    if moved:
        changes["parent"] = [str(unit.parent), str(new_parent)]
        old_path = unit.path
        unit.parent = new_parent
        _set_path(unit)
        # Re-root the subtree: every descendant's path starts with the old prefix.
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
            child.save(update_fields=["path", "depth"])
    unit.save()
    if changes:
        audit_record(event_type=EventType.UNIT_UPDATE, actor=actor, obj=unit, detail={"changes": changes})
    return unit


@transaction.atomic
def direct_targets_set(*, actor: User | None, unit: Unit, offices: list[Unit], note: str = "") -> list[Unit]:
    """Make ``unit`` a 信息直报点 reporting straight to ``offices`` (empty list: no longer a 直报点)."""
    if actor is not None and not can_manage_unit(actor, unit):
        raise NotPermitted("只有本辖区的系统管理员可以设置信息直报点")
    for office in offices:
        if not office.is_receiving_office:
            raise ValidationFailed(f"“{office.name}”不是接收单位，不能作为直报目标", field="offices")
        if LEVEL_RANK[Level(office.level)] >= LEVEL_RANK[Level(unit.level)]:
            raise ValidationFailed(f"直报目标“{office.name}”必须是更高层级的接收单位", field="offices")
    before = sorted(unit.direct_targets.values_list("code", flat=True))
    DirectReportingTarget.objects.filter(unit=unit).exclude(office__in=offices).delete()
    for office in offices:
        DirectReportingTarget.objects.get_or_create(
            unit=unit, office=office, defaults={"since": timezone.localdate(), "note": note}
        )
    after = sorted(o.code for o in offices)
    if before != after:
        audit_record(
            event_type=EventType.CONFIG_CHANGE,
            actor=actor,
            obj=unit,
            detail={"direct_targets": {"before": before, "after": after}},
        )
    return offices


# --- Informant registry (信息员备案) ------------------------------------------------------------------------------


def _check_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写事由", field=field)
    if len(reason) > 200:
        raise ValidationFailed("事由不能超过200个字符", field=field)
    return reason


@transaction.atomic
def informant_register(
    *, actor: User, unit: Unit, person: User, kind: str, start_date: date, reason: str
) -> InformantRecord:
    if not can_manage_informants(actor, unit):
        raise NotPermitted("只有本单位管理员或本辖区系统管理员可以办理信息员备案")
    if kind not in InformantKind.values:
        raise ValidationFailed("请选择专职或兼职", field="kind")
    if unit.kind == UnitKind.REGION:
        raise ValidationFailed("行政区节点不设信息员，请选择具体单位", field="unit")
    if person.unit_id != unit.pk:
        raise ValidationFailed(
            f"{person.full_name}不是{unit.name}的人员，不能备案为该单位信息员", field="person"
        )
    if not person.is_active:
        raise ValidationFailed(f"{person.full_name}的账号已停用", field="person")
    if start_date > timezone.localdate():
        raise ValidationFailed("备案日期不能晚于今天", field="start_date")
    reason = _check_reason(reason)
    if (
        InformantRecord.objects.select_for_update()
        .filter(unit=unit, person=person, end_date__isnull=True)
        .exists()
    ):
        raise ValidationFailed(f"{person.full_name}已是本单位在册信息员", field="person")
    record = InformantRecord.objects.create(
        unit=unit, person=person, kind=kind, start_date=start_date, start_reason=reason, filed_by=actor
    )
    InformantChange.objects.create(
        record=record,
        action=InformantChange.Action.REGISTER,
        effective_date=start_date,
        reason=reason,
        detail=str(InformantKind(kind).label),
        filed_by=actor,
    )
    from xinbao.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.get_or_create(user=person, role=Role.INFORMANT, defaults={"granted_by": actor})
    audit_record(
        event_type=EventType.INFORMANT_REGISTER,
        actor=actor,
        obj=record,
        detail={
            "unit": unit.code,
            "person": person.username,
            "kind": kind,
            "start": start_date,
            "reason": reason,
        },
    )
    return record


@transaction.atomic
def informant_change_kind(
    *, actor: User, record: InformantRecord, kind: str, effective_date: date, reason: str
) -> InformantRecord:
    record = InformantRecord.objects.select_for_update().get(pk=record.pk)
    if not can_manage_informants(actor, record.unit):
        raise NotPermitted("只有本单位管理员或本辖区系统管理员可以办理信息员备案")
    if record.end_date is not None:
        raise ValidationFailed("该备案已终止，不能变更", field="record")
    if kind not in InformantKind.values:
        raise ValidationFailed("请选择专职或兼职", field="kind")
    if kind == record.kind:
        raise ValidationFailed("类型没有变化", field="kind")
    if effective_date < record.start_date or effective_date > timezone.localdate():
        raise ValidationFailed("生效日期须在备案日期之后、今天之前", field="effective_date")
    reason = _check_reason(reason)
    old = record.kind
    record.kind = kind
    record.save(update_fields=["kind", "updated_at"])
    InformantChange.objects.create(
        record=record,
        action=InformantChange.Action.CHANGE_KIND,
        effective_date=effective_date,
        reason=reason,
        detail=f"{InformantKind(old).label} → {InformantKind(kind).label}",
        filed_by=actor,
    )
    audit_record(
        event_type=EventType.INFORMANT_CHANGE,
        actor=actor,
        obj=record,
        detail={"kind": [old, kind], "effective": effective_date, "reason": reason},
    )
    return record


@transaction.atomic
def informant_end(*, actor: User, record: InformantRecord, end_date: date, reason: str) -> InformantRecord:
    record = InformantRecord.objects.select_for_update().get(pk=record.pk)
    if not can_manage_informants(actor, record.unit):
        raise NotPermitted("只有本单位管理员或本辖区系统管理员可以办理信息员备案")
    if record.end_date is not None:
        raise ValidationFailed("该备案已终止", field="record")
    if end_date < record.start_date:
        raise ValidationFailed("终止日期不能早于备案日期", field="end_date")
    if end_date > timezone.localdate():
        raise ValidationFailed("终止日期不能晚于今天", field="end_date")
    reason = _check_reason(reason)
    record.end_date = end_date
    record.end_reason = reason
    record.save(update_fields=["end_date", "end_reason", "updated_at"])
    InformantChange.objects.create(
        record=record,
        action=InformantChange.Action.END,
        effective_date=end_date,
        reason=reason,
        filed_by=actor,
    )
    audit_record(
        event_type=EventType.INFORMANT_END,
        actor=actor,
        obj=record,
        detail={"end": end_date, "reason": reason},
    )
    return record
