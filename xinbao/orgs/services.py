"""Writes to the organisation model. Every service checks permission, validates, writes and audits in one
transaction (house habits 1 and 3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from xinbao.accounts.models import Role, RoleAssignment, User
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
from xinbao.orgs.selectors import can_manage_informants, can_manage_unit, direct_target_candidates

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


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    """Surrounding spaces in typed or pasted text are never meant (a code " 3301" is "3301")."""
    out = dict(fields)
    for f in ("code", "name", "short_name", "phone"):
        if isinstance(out.get(f), str):
            out[f] = out[f].strip()
    return out


def unit_check_fields(
    *,
    code: str,
    name: str,
    level: str,
    kind: str,
    is_receiving_office: bool,
    short_name: str = "",
    phone: str = "",
) -> None:
    """A unit's own data rules, without touching the database (shared with the bulk importer)."""
    if not code or not code.strip():
        raise ValidationFailed(_("单位编码不能为空"), field="code")
    if len(code) > 32 or any(c.isspace() for c in code):
        raise ValidationFailed(_("单位编码不能含空格，且不超过32个字符"), field="code")
    if not name or not name.strip():
        raise ValidationFailed(_("单位名称不能为空"), field="name")
    if len(name) > 100:
        raise ValidationFailed(_("单位名称不能超过100个字符"), field="name")
    if level not in Level.values:
        raise ValidationFailed(_("层级“%(level)s”无效") % {"level": level}, field="level")
    if kind not in UnitKind.values:
        raise ValidationFailed(_("类型“%(kind)s”无效") % {"kind": kind}, field="kind")
    if kind == UnitKind.REGION and is_receiving_office:
        raise ValidationFailed(_("行政区节点不能设为接收单位"), field="is_receiving_office")
    if len(short_name or "") > 40:
        raise ValidationFailed(_("简称不能超过40个字符"), field="short_name")
    if len(phone or "") > 40:
        raise ValidationFailed(_("联系电话不能超过40个字符"), field="phone")


def unit_check_parent(*, level: str, kind: str, parent: Unit) -> None:
    """Rules between a unit and its parent. ``parent`` may be an unsaved Unit standing for a row of an import file
    (only its level and kind are read), so the importer checks parents that do not exist yet by the same rules."""
    if parent.kind != UnitKind.REGION:
        raise ValidationFailed(_("上级单位必须是行政区（省、市、县、乡镇一级的地区节点）"), field="parent")
    if LEVEL_RANK[Level(level)] < LEVEL_RANK[Level(parent.level)]:
        raise ValidationFailed(_("单位层级不能高于上级单位"), field="level")
    if kind == UnitKind.REGION and LEVEL_RANK[Level(level)] <= LEVEL_RANK[Level(parent.level)]:
        raise ValidationFailed(_("下级行政区的层级必须低于上级行政区"), field="level")


def unit_validate(
    *,
    code: str,
    name: str,
    level: str,
    kind: str,
    parent: Unit | None,
    is_receiving_office: bool,
    instance: Unit | None = None,
    short_name: str = "",
    phone: str = "",
) -> None:
    """Data rules of a unit, each refused with a Chinese message naming the field."""
    unit_check_fields(
        code=code,
        name=name,
        level=level,
        kind=kind,
        is_receiving_office=is_receiving_office,
        short_name=short_name,
        phone=phone,
    )
    clash = Unit.objects.filter(code=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationFailed(_("单位编码“%(code)s”已被使用") % {"code": code}, field="code")
    if parent is not None:
        if instance is not None and (parent.pk == instance.pk or parent.path.startswith(instance.path)):
            raise ValidationFailed(_("上级单位不能是本单位或其下级单位"), field="parent")
        unit_check_parent(level=level, kind=kind, parent=parent)


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2


@transaction.atomic
def unit_create(*, actor: User | None, parent: Unit | None, **fields: Any) -> Unit:
    if actor is not None and (parent is None or not can_manage_unit(actor, parent)):
        raise NotPermitted(_("只有本辖区的系统管理员可以新建单位"))
    fields = _normalise(fields)
    fields.setdefault("short_name", "")
    fields.setdefault("phone", "")
    fields.setdefault("is_receiving_office", False)
    unit_validate(
        code=fields.get("code", ""),
        name=fields.get("name", ""),
        level=fields.get("level", ""),
        kind=fields.get("kind", ""),
        parent=parent,
        is_receiving_office=fields["is_receiving_office"],
        short_name=fields["short_name"],
        phone=fields["phone"],
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
    moved = new_parent is not None and new_parent.pk != unit.parent_id
    # The new parent must be in scope only when the unit moves: a county's system admin edits the county node
    # itself although the city above it is not his.
    if actor is not None and not (
        can_manage_unit(actor, unit) and (not moved or can_manage_unit(actor, new_parent))  # type: ignore[arg-type]
    ):
        raise NotPermitted(_("只有本辖区的系统管理员可以修改单位"))
    fields = _normalise(fields)
    merged = {f: fields.get(f, getattr(unit, f)) for f in UNIT_FIELDS}
    unit_validate(
        code=merged["code"],
        name=merged["name"],
        level=merged["level"],
        kind=merged["kind"],
        parent=new_parent,
        is_receiving_office=merged["is_receiving_office"],
        instance=unit,
        short_name=merged["short_name"],
        phone=merged["phone"],
    )
    _check_against_children(unit, merged)
    changes = {
        f: [str(getattr(unit, f)), str(merged[f])] for f in UNIT_FIELDS if getattr(unit, f) != merged[f]
    }
    for f, v in merged.items():
        setattr(unit, f, v)
    if moved:
        changes["parent"] = [str(unit.parent), str(new_parent)]
        old_path = unit.path
        unit.parent = new_parent
        _set_path(unit)
        # Re-root the subtree: every descendant's path starts with the old prefix.
        descendants = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk))
        for child in descendants:
            child.path = unit.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
        Unit.objects.bulk_update(descendants, ["path", "depth"], batch_size=500)
    unit.save()
    if changes:
        audit_record(event_type=EventType.UNIT_UPDATE, actor=actor, obj=unit, detail={"changes": changes})
    return unit


def _check_against_children(unit: Unit, merged: dict[str, Any]) -> None:
    """A change must keep the tree's rules true for what already hangs below or inside the unit."""
    was_region = unit.kind == UnitKind.REGION
    if was_region and merged["kind"] != UnitKind.REGION and unit.children.exists():
        raise ValidationFailed(_("该行政区下还有单位，不能改为其他类型"), field="kind")
    becomes_region = not was_region and merged["kind"] == UnitKind.REGION
    if becomes_region and (
        User.objects.filter(unit=unit).exists() or InformantRecord.objects.filter(unit=unit).exists()
    ):
        raise ValidationFailed(_("该单位已有人员或信息员备案，不能改为行政区"), field="kind")
    if merged["level"] != unit.level and was_region:
        rank = LEVEL_RANK[Level(merged["level"])]
        for child in unit.children.only("level", "kind"):
            child_rank = LEVEL_RANK[Level(child.level)]
            if child_rank < rank or (child.kind == UnitKind.REGION and child_rank <= rank):
                raise ValidationFailed(
                    _("下级单位“%(name)s”的层级与新层级不相符") % {"name": child.name}, field="level"
                )


@transaction.atomic
def direct_targets_set(*, actor: User | None, unit: Unit, offices: list[Unit], note: str = "") -> list[Unit]:
    """Make ``unit`` a 信息直报点 reporting straight to ``offices`` (empty list: no longer a 直报点)."""
    if actor is not None and not can_manage_unit(actor, unit):
        raise NotPermitted(_("只有本辖区的系统管理员可以设置信息直报点"))
    if unit.kind == UnitKind.REGION and offices:
        raise ValidationFailed(_("行政区节点不报送信息，不能设为信息直报点"), field="offices")
    if len(note) > 200:
        raise ValidationFailed(_("备注不能超过200个字符"), field="note")
    offices = list({o.pk: o for o in offices}.values())
    allowed = set(direct_target_candidates(unit).values_list("pk", flat=True))
    for office in offices:
        if not office.is_receiving_office:
            raise ValidationFailed(
                _("“%(name)s”不是接收单位，不能作为直报目标") % {"name": office.name}, field="offices"
            )
        if LEVEL_RANK[Level(office.level)] >= LEVEL_RANK[Level(unit.level)]:
            raise ValidationFailed(
                _("直报目标“%(name)s”必须是更高层级的接收单位") % {"name": office.name}, field="offices"
            )
        if office.pk not in allowed:
            raise ValidationFailed(
                _("直报目标“%(name)s”须是本单位上级地区（主渠道以上）的在用接收单位") % {"name": office.name},
                field="offices",
            )
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


def _filed_text(*labels: Any) -> str:
    """The 说明 of a filed change is stored text read by everyone later, so it is written in the site's language
    (LANGUAGE_CODE), not in the language of whoever filed it."""
    with override(settings.LANGUAGE_CODE):
        return " → ".join(str(label) for label in labels)


def _check_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写事由"), field=field)
    if len(reason) > 200:
        raise ValidationFailed(_("事由不能超过200个字符"), field=field)
    return reason


def _check_not_before_history(record: InformantRecord, when: date, field: str, label: str) -> None:
    """The filed history reads in date order: nothing may take effect before the registration or a later change.
    Dates are written in the active language's DATE_FORMAT (2026年11月26日 in Chinese)."""
    if when < record.start_date:
        raise ValidationFailed(
            _("%(label)s不能早于备案日期（%(date)s）")
            % {"label": label, "date": date_format(record.start_date)},
            field=field,
        )
    latest = record.changes.order_by("-effective_date").values_list("effective_date", flat=True).first()
    if latest is not None and when < latest:
        raise ValidationFailed(
            _("%(label)s不能早于上一次变更的生效日期（%(date)s）")
            % {"label": label, "date": date_format(latest)},
            field=field,
        )


@transaction.atomic
def informant_register(
    *, actor: User, unit: Unit, person: User, kind: str, start_date: date, reason: str
) -> InformantRecord:
    if not can_manage_informants(actor, unit):
        raise NotPermitted(_("只有本单位管理员或本辖区系统管理员可以办理信息员备案"))
    if kind not in InformantKind.values:
        raise ValidationFailed(_("请选择专职或兼职"), field="kind")
    if unit.kind == UnitKind.REGION:
        raise ValidationFailed(_("行政区节点不设信息员，请选择具体单位"), field="unit")
    if not unit.is_active:
        raise ValidationFailed(_("%(unit)s已停用，不能办理信息员备案") % {"unit": unit.name}, field="unit")
    if person.unit_id != unit.pk:
        raise ValidationFailed(
            _("%(person)s不是%(unit)s的人员，不能备案为该单位信息员")
            % {"person": person.full_name, "unit": unit.name},
            field="person",
        )
    if not person.is_active:
        raise ValidationFailed(_("%(person)s的账号已停用") % {"person": person.full_name}, field="person")
    if start_date > timezone.localdate():
        raise ValidationFailed(_("备案日期不能晚于今天"), field="start_date")
    reason = _check_reason(reason)
    if (
        InformantRecord.objects.select_for_update()
        .filter(unit=unit, person=person, end_date__isnull=True)
        .exists()
    ):
        raise ValidationFailed(
            _("%(person)s已是本单位在册信息员") % {"person": person.full_name}, field="person"
        )
    record = InformantRecord.objects.create(
        unit=unit, person=person, kind=kind, start_date=start_date, start_reason=reason, filed_by=actor
    )
    InformantChange.objects.create(
        record=record,
        action=InformantChange.Action.REGISTER,
        effective_date=start_date,
        reason=reason,
        detail=_filed_text(InformantKind(kind).label),
        filed_by=actor,
    )
    # A registered informant needs the role to draft items. Only the unit admin of the person's unit, who may grant
    # business roles there anyway, gets it granted along: a system admin does not grant roles (三员分立: that is
    # the security admin's work) and nobody grants a role to himself.
    may_grant = actor.has_role(Role.UNIT_ADMIN) and actor.unit_id == unit.pk and actor.pk != person.pk
    if may_grant and not person.has_role(Role.INFORMANT):
        RoleAssignment.objects.get_or_create(user=person, role=Role.INFORMANT, defaults={"granted_by": actor})
        person.forget_roles()
        audit_record(
            event_type=EventType.ROLE_GRANT,
            actor=actor,
            obj=person,
            detail={"role": Role.INFORMANT, "via": "informant_register"},
        )
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
        raise NotPermitted(_("只有本单位管理员或本辖区系统管理员可以办理信息员备案"))
    if record.end_date is not None:
        raise ValidationFailed(_("该备案已终止，不能变更"), field="record")
    if kind not in InformantKind.values:
        raise ValidationFailed(_("请选择专职或兼职"), field="kind")
    if kind == record.kind:
        raise ValidationFailed(_("类型没有变化"), field="kind")
    if effective_date > timezone.localdate():
        raise ValidationFailed(_("生效日期不能晚于今天"), field="effective_date")
    _check_not_before_history(record, effective_date, "effective_date", _("生效日期"))
    reason = _check_reason(reason)
    old = record.kind
    record.kind = kind
    record.save(update_fields=["kind", "updated_at"])
    InformantChange.objects.create(
        record=record,
        action=InformantChange.Action.CHANGE_KIND,
        effective_date=effective_date,
        reason=reason,
        detail=_filed_text(InformantKind(old).label, InformantKind(kind).label),
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
        raise NotPermitted(_("只有本单位管理员或本辖区系统管理员可以办理信息员备案"))
    if record.end_date is not None:
        raise ValidationFailed(_("该备案已终止"), field="record")
    if end_date > timezone.localdate():
        raise ValidationFailed(_("终止日期不能晚于今天"), field="end_date")
    _check_not_before_history(record, end_date, "end_date", _("终止日期"))
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
