"""Writes to the organisation model: rules, permission, audit in the same transaction, nothing changed on refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.orgs.models import InformantChange, InformantKind, InformantRecord, Level, Unit, UnitKind
from xinbao.orgs.services import (
    direct_targets_set,
    informant_change_kind,
    informant_end,
    informant_register,
    unit_create,
    unit_update,
)
from xinbao.orgs.tests.factories import make_unit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
FT, PT = InformantKind.FULL_TIME, InformantKind.PART_TIME


def audit_count(event_type: str) -> int:
    return AuditEvent.objects.filter(event_type=event_type).count()


# --- Units --------------------------------------------------------------------------------------------------------


def test_unit_create_sets_path_depth_and_audits(world, people):
    unit = unit_create(
        actor=people.sysadmin,
        parent=world.county,
        code=" AP-01 ",
        name=" 安平县财政局 ",
        level=Level.COUNTY,
        kind=UnitKind.DEPARTMENT,
    )
    assert unit.code == "AP-01" and unit.name == "安平县财政局"  # blanks are typing noise
    assert unit.path == f"{world.county.path}{unit.pk}/" and unit.depth == world.county.depth + 1
    assert AuditEvent.objects.filter(event_type=EventType.UNIT_CREATE, object_id=str(unit.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"code": ""}, "code", "单位编码不能为空"),
        ({"code": "A B"}, "code", "不能含空格"),
        ({"code": "MJ"}, "code", "已被使用"),
        ({"name": "  "}, "name", "单位名称不能为空"),
        ({"short_name": "长" * 41}, "short_name", "简称不能超过40个字符"),
        ({"level": "galaxy"}, "level", "层级"),
        ({"kind": "club"}, "kind", "类型"),
        ({"level": Level.CITY}, "level", "单位层级不能高于上级单位"),
        ({"kind": UnitKind.REGION, "level": Level.COUNTY}, "level", "下级行政区的层级必须低于上级行政区"),
        ({"kind": UnitKind.REGION, "level": Level.TOWNSHIP, "is_receiving_office": True}, None, "行政区"),
    ],
)
def test_unit_create_refuses_bad_data(world, people, fields, field, message):
    data = {
        "code": "AP-02",
        "name": "安平县某局",
        "level": Level.COUNTY,
        "kind": UnitKind.DEPARTMENT,
    } | fields
    count = Unit.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        unit_create(actor=people.sysadmin, parent=world.county, **data)
    assert message in exc.value.message
    if field:
        assert exc.value.field == field
    assert Unit.objects.count() == count


def test_unit_create_needs_a_region_parent_and_permission(world, people):
    with pytest.raises(ValidationFailed, match="上级单位必须是行政区"):
        unit_create(
            actor=people.sysadmin,
            parent=world.county_dept,
            code="X1",
            name="x",
            level="county",
            kind="department",
        )
    for actor in (people.alice, people.bob, people.editor, people.charlie):
        with pytest.raises(NotPermitted):
            unit_create(
                actor=actor, parent=world.county, code="X2", name="x", level="county", kind="department"
            )
    with pytest.raises(NotPermitted):
        unit_create(actor=people.sysadmin, parent=None, code="X3", name="x", level="province", kind="region")
    assert not Unit.objects.filter(code__in=["X1", "X2", "X3"]).exists()


def test_unit_update_lets_county_admin_edit_the_county_node_itself(world, people):
    unit_update(actor=people.sysadmin, unit=world.county, phone="0791-1")
    world.county.refresh_from_db()
    assert world.county.phone == "0791-1"
    with pytest.raises(NotPermitted):
        unit_update(actor=people.charlie, unit=world.county, phone="0791-2")


def test_unit_update_move_reroots_subtree(world, people):
    province_admin = make_user(world.province_party_office, Role.SYSTEM_ADMIN)
    new_city = make_unit(parent=world.province, name="河阳市", level=Level.CITY, kind=UnitKind.REGION)
    unit_update(actor=province_admin, unit=world.county, parent=new_city)
    world.county.refresh_from_db()
    world.township.refresh_from_db()
    assert (
        world.county.path == f"{new_city.path}{world.county.pk}/" and world.county.depth == new_city.depth + 1
    )
    assert world.township.path == f"{world.county.path}{world.township.pk}/"
    assert world.township.depth == world.county.depth + 1
    assert Unit.objects.filter(path__startswith=world.county.path).count() == 6
    event = AuditEvent.objects.filter(event_type=EventType.UNIT_UPDATE, object_id=str(world.county.pk)).get()
    assert "parent" in event.detail["changes"]


def test_unit_update_refuses_moves_out_of_scope_or_into_itself(world, people):
    zone = make_unit(parent=world.county, name="开发区", level=Level.TOWNSHIP, kind=UnitKind.REGION)
    with pytest.raises(NotPermitted):
        unit_update(actor=people.sysadmin, unit=zone, parent=world.other_county)
    with pytest.raises(ValidationFailed, match="不能是本单位或其下级单位"):
        unit_update(actor=people.sysadmin, unit=zone, parent=zone)
    province_admin = make_user(world.province_party_office, Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationFailed, match="不能是本单位或其下级单位"):
        unit_update(actor=province_admin, unit=world.city, parent=world.county)
    zone.refresh_from_db()
    world.city.refresh_from_db()
    assert zone.parent == world.county and world.city.parent == world.province


def test_unit_update_keeps_tree_rules_for_what_hangs_below(world, people):
    with pytest.raises(ValidationFailed, match="还有单位"):
        unit_update(actor=people.sysadmin, unit=world.county, kind=UnitKind.DEPARTMENT)
    with pytest.raises(ValidationFailed, match="层级与新层级不相符"):
        unit_update(actor=people.sysadmin, unit=world.county, level=Level.TOWNSHIP)
    with pytest.raises(ValidationFailed, match="已有人员"):
        unit_update(actor=people.sysadmin, unit=world.township, kind=UnitKind.REGION)
    world.county.refresh_from_db()
    assert (world.county.kind, world.county.level) == (UnitKind.REGION, Level.COUNTY)


def test_unit_update_without_change_writes_no_audit(world, people):
    before = audit_count(EventType.UNIT_UPDATE)
    unit_update(actor=people.sysadmin, unit=world.township, name=world.township.name)
    assert audit_count(EventType.UNIT_UPDATE) == before


# --- 直报点 -------------------------------------------------------------------------------------------------------


def test_direct_targets_set_replaces_dedupes_and_audits(world, people):
    direct_targets_set(
        actor=people.sysadmin,
        unit=world.township,
        offices=[world.city_party_office, world.city_party_office, world.province_party_office],
        note="试点",
    )
    assert set(world.township.direct_targets.all()) == {world.city_party_office, world.province_party_office}
    direct_targets_set(actor=people.sysadmin, unit=world.township, offices=[world.city_gov_office])
    assert list(world.township.direct_targets.all()) == [world.city_gov_office]
    assert audit_count(EventType.CONFIG_CHANGE) == 2
    direct_targets_set(actor=people.sysadmin, unit=world.township, offices=[world.city_gov_office])
    assert audit_count(EventType.CONFIG_CHANGE) == 2  # nothing changed, nothing recorded


@pytest.mark.parametrize(
    ("office", "message"),
    [
        ("county_party_office", "上级地区"),  # its own main channel
        ("county_dept", "不是接收单位"),
        ("city", "不是接收单位"),
        ("other_party_office", "上级地区"),
    ],
)
def test_direct_targets_set_refuses_wrong_offices(world, people, office, message):
    with pytest.raises(ValidationFailed, match=message):
        direct_targets_set(actor=people.sysadmin, unit=world.township, offices=[getattr(world, office)])
    assert not world.township.direct_targets.exists()


def test_direct_target_must_be_on_the_units_own_chain(world, people):
    other_city = make_unit(parent=world.province, name="河阳市", level=Level.CITY, kind=UnitKind.REGION)
    other_city_office = make_unit(
        parent=other_city,
        name="中共河阳市委办公室",
        level=Level.CITY,
        kind=UnitKind.PARTY_OFFICE,
        receiving=True,
    )
    with pytest.raises(ValidationFailed, match="上级地区"):
        direct_targets_set(actor=people.sysadmin, unit=world.township, offices=[other_city_office])
    # A county office reports to the city first; only the province is above its main channel.
    with pytest.raises(ValidationFailed, match="上级地区"):
        direct_targets_set(
            actor=people.sysadmin, unit=world.county_party_office, offices=[world.city_party_office]
        )
    direct_targets_set(
        actor=people.sysadmin, unit=world.county_party_office, offices=[world.province_party_office]
    )


def test_direct_targets_set_permission(world, people):
    for actor in (people.alice, people.bob, people.charlie):
        with pytest.raises(NotPermitted):
            direct_targets_set(actor=actor, unit=world.township, offices=[world.city_party_office])
    with pytest.raises(ValidationFailed, match="行政区节点"):
        direct_targets_set(actor=people.sysadmin, unit=world.county, offices=[world.city_party_office])


# --- Informant registry -------------------------------------------------------------------------------------------


def test_informant_register_files_record_change_role_and_audit(world, people):
    record = informant_register(
        actor=people.alice,
        unit=world.township,
        person=people.clerk,
        kind=FT,
        start_date=TODAY(),
        reason=" 新任命 ",
    )
    assert record.is_current and record.start_reason == "新任命" and record.filed_by == people.alice
    change = record.changes.get()
    assert (change.action, change.effective_date, change.reason, change.filed_by) == (
        InformantChange.Action.REGISTER,
        TODAY(),
        "新任命",
        people.alice,
    )
    people.clerk.forget_roles()
    assert people.clerk.has_role(Role.INFORMANT)
    assert audit_count(EventType.INFORMANT_REGISTER) == 1
    assert AuditEvent.objects.filter(event_type=EventType.ROLE_GRANT, object_id=str(people.clerk.pk)).exists()


def test_informant_register_does_not_let_anyone_grant_himself_a_role(world, people):
    informant_register(
        actor=people.alice,
        unit=world.township,
        person=people.alice,
        kind=PT,
        start_date=TODAY(),
        reason="兼任",
    )
    people.alice.forget_roles()
    assert not people.alice.has_role(Role.INFORMANT)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "boss"}, "kind", "请选择专职或兼职"),
        ({"reason": ""}, "reason", "请填写事由"),
        ({"reason": "长" * 201}, "reason", "200"),
        ({"start_date": "FUTURE"}, "start_date", "备案日期不能晚于今天"),
        ({"person": "outsider"}, "person", "不是安平县城关镇的人员"),
        ({"person": "inactive"}, "person", "账号已停用"),
        ({"unit": "county"}, "unit", "行政区节点不设信息员"),
        ({"unit": "inactive"}, "unit", "已停用"),
    ],
)
def test_informant_register_refuses_bad_input(world, people, change, field, message):
    args = {
        "unit": world.township,
        "person": people.clerk,
        "kind": FT,
        "start_date": TODAY(),
        "reason": "新任命",
    }
    if change.get("person") == "outsider":
        change["person"] = people.outsider
    elif change.get("person") == "inactive":
        change["person"] = make_user(world.township, is_active=False)
    if change.get("start_date") == "FUTURE":
        change["start_date"] = TODAY() + timedelta(days=1)
    if change.get("unit") == "county":
        change["unit"] = world.county
        actor = people.sysadmin
    elif change.get("unit") == "inactive":
        change["unit"] = world.township
        Unit.objects.filter(pk=world.township.pk).update(is_active=False)
        world.township.refresh_from_db()
        actor = people.sysadmin
    else:
        actor = people.alice
    with pytest.raises(ValidationFailed) as exc:
        informant_register(actor=actor, **(args | change))
    assert message in exc.value.message and exc.value.field == field
    assert not InformantRecord.objects.exists() and not InformantChange.objects.exists()


def test_informant_register_permission(world, people):
    for actor in (people.bob, people.editor, people.charlie, people.charlie_unit_admin):
        with pytest.raises(NotPermitted):
            informant_register(
                actor=actor, unit=world.township, person=people.clerk, kind=FT, start_date=TODAY(), reason="x"
            )
    # A unit admin keeps his own unit's registry only.
    neighbour = make_user(world.township2)
    with pytest.raises(NotPermitted):
        informant_register(
            actor=people.alice,
            unit=world.township2,
            person=neighbour,
            kind=FT,
            start_date=TODAY(),
            reason="x",
        )
    assert not InformantRecord.objects.exists()


def test_informant_register_twice_refused_but_again_after_end(world, people):
    record = informant_register(
        actor=people.alice,
        unit=world.township,
        person=people.clerk,
        kind=FT,
        start_date=TODAY() - timedelta(days=9),
        reason="a",
    )
    with pytest.raises(ValidationFailed, match="已是本单位在册信息员"):
        informant_register(
            actor=people.alice,
            unit=world.township,
            person=people.clerk,
            kind=PT,
            start_date=TODAY(),
            reason="b",
        )
    informant_end(actor=people.alice, record=record, end_date=TODAY() - timedelta(days=1), reason="暂停")
    informant_register(
        actor=people.alice,
        unit=world.township,
        person=people.clerk,
        kind=PT,
        start_date=TODAY(),
        reason="恢复",
    )
    assert InformantRecord.objects.filter(person=people.clerk).count() == 2


def _registered(world, people, days_ago=30):
    return informant_register(
        actor=people.alice,
        unit=world.township,
        person=people.clerk,
        kind=FT,
        start_date=TODAY() - timedelta(days=days_ago),
        reason="新任命",
    )


def test_informant_change_kind_files_history(world, people):
    record = _registered(world, people)
    informant_change_kind(
        actor=people.sysadmin,
        record=record,
        kind=PT,
        effective_date=TODAY() - timedelta(days=5),
        reason="调整",
    )
    record.refresh_from_db()
    assert record.kind == PT
    change = record.changes.get(action=InformantChange.Action.CHANGE_KIND)
    assert change.detail == "专职 → 兼职" and change.filed_by == people.sysadmin
    assert audit_count(EventType.INFORMANT_CHANGE) == 1


def test_informant_changes_keep_date_order(world, people):
    record = _registered(world, people)
    informant_change_kind(
        actor=people.alice, record=record, kind=PT, effective_date=TODAY() - timedelta(days=5), reason="调整"
    )
    with pytest.raises(ValidationFailed, match="不能早于上一次变更"):
        informant_change_kind(
            actor=people.alice,
            record=record,
            kind=FT,
            effective_date=TODAY() - timedelta(days=10),
            reason="回调",
        )
    with pytest.raises(ValidationFailed, match="不能早于上一次变更"):
        informant_end(actor=people.alice, record=record, end_date=TODAY() - timedelta(days=6), reason="调离")
    record.refresh_from_db()
    assert record.kind == PT and record.end_date is None and record.changes.count() == 2


@pytest.mark.parametrize(
    ("kind", "days_ago", "reason", "message"),
    [
        (FT, 0, "x", "类型没有变化"),
        ("boss", 0, "x", "请选择专职或兼职"),
        (PT, 31, "x", "不能早于备案日期"),
        (PT, -1, "x", "不能晚于今天"),
        (PT, 0, " ", "请填写事由"),
    ],
)
def test_informant_change_kind_refuses_bad_input(world, people, kind, days_ago, reason, message):
    record = _registered(world, people)
    with pytest.raises(ValidationFailed, match=message):
        informant_change_kind(
            actor=people.alice,
            record=record,
            kind=kind,
            effective_date=TODAY() - timedelta(days=days_ago),
            reason=reason,
        )
    record.refresh_from_db()
    assert record.kind == FT and record.changes.count() == 1


@pytest.mark.parametrize(
    ("days_ago", "reason", "message"),
    [(31, "x", "不能早于备案日期"), (-1, "x", "终止日期不能晚于今天"), (0, "", "请填写事由")],
)
def test_informant_end_refuses_bad_input(world, people, days_ago, reason, message):
    record = _registered(world, people)
    with pytest.raises(ValidationFailed, match=message):
        informant_end(
            actor=people.alice, record=record, end_date=TODAY() - timedelta(days=days_ago), reason=reason
        )
    record.refresh_from_db()
    assert record.is_current and record.changes.count() == 1


def test_informant_end_and_writes_after_end(world, people):
    record = _registered(world, people)
    informant_end(actor=people.alice, record=record, end_date=TODAY(), reason="调离本单位")
    record.refresh_from_db()
    assert record.end_date == TODAY() and record.end_reason == "调离本单位"
    assert audit_count(EventType.INFORMANT_END) == 1
    with pytest.raises(ValidationFailed, match="已终止"):
        informant_end(actor=people.alice, record=record, end_date=TODAY(), reason="again")
    with pytest.raises(ValidationFailed, match="已终止"):
        informant_change_kind(actor=people.alice, record=record, kind=PT, effective_date=TODAY(), reason="x")


def test_informant_record_writes_permission(world, people):
    record = _registered(world, people)
    for actor in (people.bob, people.editor, people.charlie, people.charlie_unit_admin):
        with pytest.raises(NotPermitted):
            informant_end(actor=actor, record=record, end_date=TODAY(), reason="x")
        with pytest.raises(NotPermitted):
            informant_change_kind(actor=actor, record=record, kind=PT, effective_date=TODAY(), reason="x")
    record.refresh_from_db()
    assert record.is_current and record.kind == FT
