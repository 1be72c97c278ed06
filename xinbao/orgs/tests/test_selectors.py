"""Reads of the organisation model: scope, visibility, 主渠道/直报 targets and registry gaps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinbao.accounts.models import Role, User
from xinbao.accounts.tests.factories import make_user
from xinbao.common.errors import NotFound
from xinbao.orgs.models import InformantKind, Level, UnitKind
from xinbao.orgs.selectors import (
    can_manage_informants,
    can_manage_unit,
    can_view_registry,
    direct_target_candidates,
    in_scope,
    informant_candidates,
    informant_changes_for_unit,
    informant_get_visible,
    informant_list_visible_to,
    scope_root,
    unit_breadcrumbs,
    unit_children_visible,
    unit_get_visible,
    unit_list_visible_to,
    unit_region,
    unit_report_targets,
    units_without_informant,
    units_without_informant_count,
)
from xinbao.orgs.services import direct_targets_set, informant_end, informant_register
from xinbao.orgs.tests.factories import make_unit
from xinbao.orgs.todos import informant_gaps

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_scope_root_is_the_region_of_the_users_unit(world, people):
    assert scope_root(people.alice) == world.county
    assert scope_root(people.sysadmin) == world.county
    assert scope_root(people.charlie) == world.other_county
    assert unit_region(world.city_party_office) == world.city
    assert unit_region(world.county) == world.county
    nobody = User.objects.create(username="nobody", full_name="无单位")
    assert scope_root(nobody) is None
    assert not unit_list_visible_to(user=nobody).exists()


def test_in_scope_uses_whole_path_segments(world, people):
    assert in_scope(people.alice, world.township2)
    assert not in_scope(people.alice, world.other_township)
    assert not in_scope(people.alice, world.city)


def test_unit_list_visible_is_subtree_plus_chain_and_offices_above(world, people):
    visible = set(unit_list_visible_to(user=people.alice))
    expected = {
        world.province,
        world.province_party_office,
        world.city,
        world.city_party_office,
        world.city_gov_office,
        world.county,
        world.county_party_office,
        world.county_gov_office,
        world.county_dept,
        world.township,
        world.township2,
    }
    assert visible == expected
    assert world.township not in set(unit_list_visible_to(user=people.charlie))
    with pytest.raises(NotFound):
        unit_get_visible(user=people.charlie, pk=world.township.pk)
    with pytest.raises(NotFound):
        unit_get_visible(user=people.charlie, pk="abc")


def test_unit_list_filters(world, people):
    def names(**filters):
        return {u.name for u in unit_list_visible_to(user=people.alice, filters=filters)}

    assert names(q="城关") == {"安平县城关镇"}
    assert names(q=world.township.code) == {"安平县城关镇"}
    assert names(q="龙潭") == set()
    assert "安平县教育局" in names(level=Level.COUNTY, kind=UnitKind.DEPARTMENT)
    assert names(receiving_office=True) >= {"中共安平县委办公室", "中共江州市委办公室"}
    assert names(parent=world.county.pk) >= {"安平县城关镇", "中共安平县委办公室"}


def test_children_visible_are_annotated(world, people):
    direct_targets_set(actor=None, unit=world.township, offices=[world.city_party_office])
    children = {u.name: u for u in unit_children_visible(user=people.alice, unit=world.city)}
    assert set(children) == {"中共江州市委办公室", "江州市人民政府办公室", "安平县"}  # no 石桥县
    assert children["安平县"].has_children and not children["中共江州市委办公室"].has_children
    township = next(
        u for u in unit_children_visible(user=people.alice, unit=world.county) if u == world.township
    )
    assert township.is_direct_point


def test_breadcrumbs_for_many_units(world):
    crumbs = unit_breadcrumbs([world.township, world.other_township, world.province])
    assert [u.name for u in crumbs[world.township.pk]] == ["明江省", "江州市", "安平县"]
    assert [u.name for u in crumbs[world.other_township.pk]] == ["明江省", "江州市", "石桥县"]
    assert crumbs[world.province.pk] == []


# --- 主渠道 and 直报 -------------------------------------------------------------------------------------------------


def test_report_targets_main_channel(world):
    t = unit_report_targets(world.township)
    assert t == {"main": [world.county_party_office, world.county_gov_office], "direct": [], "copy": []}
    assert unit_report_targets(world.county_dept)["main"] == [
        world.county_party_office,
        world.county_gov_office,
    ]
    # An office reports to the next region up, never to itself or its sibling office.
    assert unit_report_targets(world.county_party_office)["main"] == [
        world.city_party_office,
        world.city_gov_office,
    ]
    assert unit_report_targets(world.province_party_office)["main"] == []
    assert unit_report_targets(world.province)["main"] == []


def test_report_targets_of_a_direct_point_copy_the_main_channel(world):
    direct_targets_set(actor=None, unit=world.township, offices=[world.city_party_office])
    t = unit_report_targets(world.township)
    assert t["direct"] == [world.city_party_office]
    assert t["copy"] == [world.county_party_office, world.county_gov_office]


def test_report_targets_ignore_inactive_and_system_offices(world):
    make_unit(
        parent=world.county,
        name="安平县委组织部办公室",
        level=Level.COUNTY,
        kind=UnitKind.SYSTEM_OFFICE,
        receiving=True,
    )
    world.county_gov_office.is_active = False
    world.county_gov_office.save()
    assert unit_report_targets(world.township)["main"] == [world.county_party_office]


def test_direct_target_candidates_are_offices_above_the_main_channel(world):
    assert set(direct_target_candidates(world.township)) == {
        world.city_party_office,
        world.city_gov_office,
        world.province_party_office,
    }
    assert set(direct_target_candidates(world.county_party_office)) == {world.province_party_office}
    assert not direct_target_candidates(world.county).exists()
    assert not direct_target_candidates(world.province_party_office).exists()


# --- Informant registry -------------------------------------------------------------------------------------------


def register(actor, unit, person, kind=InformantKind.FULL_TIME, days_ago=30):
    return informant_register(
        actor=actor,
        unit=unit,
        person=person,
        kind=kind,
        start_date=TODAY() - timedelta(days=days_ago),
        reason="r",
    )


def test_informant_visibility(world, people):
    mine = register(people.alice, world.township, people.clerk)
    dept_person = make_user(world.county_dept)
    dept = register(people.sysadmin, world.county_dept, dept_person)
    other = register(people.charlie, world.other_township, people.outsider)
    assert set(informant_list_visible_to(user=people.sysadmin)) == {mine, dept}
    assert set(informant_list_visible_to(user=people.editor)) == {mine, dept}
    assert set(informant_list_visible_to(user=people.alice)) == {mine}  # unit admin: own unit
    assert set(informant_list_visible_to(user=people.bob)) == {mine}
    assert set(informant_list_visible_to(user=people.charlie)) == {other}
    with pytest.raises(NotFound):
        informant_get_visible(user=people.charlie, pk=mine.pk)
    assert informant_get_visible(user=people.alice, pk=mine.pk) == mine


def test_informant_filters(world, people):
    ft = register(people.alice, world.township, people.clerk)
    pt = register(people.alice, world.township, people.bob, kind=InformantKind.PART_TIME)
    informant_end(actor=people.alice, record=pt, end_date=TODAY(), reason="x")
    u = people.sysadmin
    assert set(informant_list_visible_to(user=u, filters={"current": True})) == {ft}
    assert set(informant_list_visible_to(user=u, filters={"current": False})) == {pt}
    assert set(informant_list_visible_to(user=u, filters={"kind": InformantKind.PART_TIME})) == {pt}
    assert set(informant_list_visible_to(user=u, filters={"q": "王小明"})) == {ft}
    assert set(informant_list_visible_to(user=u, filters={"q": "城关"})) == {ft, pt}
    assert not informant_list_visible_to(user=u, filters={"unit": world.township2.pk}).exists()


def test_informant_changes_and_candidates(world, people):
    record = register(people.alice, world.township, people.clerk)
    informant_end(actor=people.alice, record=record, end_date=TODAY(), reason="调离")
    changes = list(informant_changes_for_unit(user=people.alice, unit=world.township))
    assert [c.action for c in changes] == ["end", "register"]
    assert not informant_changes_for_unit(user=people.charlie, unit=world.township).exists()
    register(people.alice, world.township, people.bob)
    inactive = make_user(world.township, is_active=False)
    candidates = set(informant_candidates(world.township))
    assert people.clerk in candidates and people.alice in candidates
    assert people.bob not in candidates and inactive not in candidates and people.outsider not in candidates


def test_units_without_informant_never_and_lapsed(world, people):
    gaps = {g.unit: g for g in units_without_informant(user=people.sysadmin)}
    assert set(gaps) == {
        world.county_party_office,
        world.county_gov_office,
        world.county_dept,
        world.township,
        world.township2,
    }  # reporting units of the county only: no regions, nothing above, nothing of 石桥县
    assert all(g.status == "never" for g in gaps.values())

    record = register(people.alice, world.township, people.clerk, days_ago=40)
    assert world.township not in {g.unit for g in units_without_informant(user=people.sysadmin)}
    informant_end(actor=people.alice, record=record, end_date=TODAY() - timedelta(days=2), reason="调离")
    gap = next(g for g in units_without_informant(user=people.sysadmin) if g.unit == world.township)
    assert (gap.status, gap.lapsed_since, gap.last_person) == (
        "lapsed",
        TODAY() - timedelta(days=2),
        "王小明",
    )


def test_part_time_only_does_not_count(world, people):
    register(people.alice, world.township, people.clerk, kind=InformantKind.PART_TIME)
    gap = next(g for g in units_without_informant(user=people.sysadmin) if g.unit == world.township)
    assert gap.status == "never"


def test_registration_lapses_when_person_leaves_or_is_deactivated(world, people):
    register(people.alice, world.township, people.clerk)
    people.clerk.is_active = False
    people.clerk.save()
    gap = next(g for g in units_without_informant(user=people.sysadmin) if g.unit == world.township)
    assert gap.status == "lapsed" and gap.lapsed_since == TODAY()
    register(people.alice, world.township, people.bob)
    people.bob.unit = world.township2
    people.bob.save()
    assert world.township in {g.unit for g in units_without_informant(user=people.sysadmin)}


def test_units_without_informant_for_unit_admin_is_own_unit(world, people):
    assert [g.unit for g in units_without_informant(user=people.alice)] == [world.township]
    register(people.alice, world.township, people.clerk)
    assert units_without_informant(user=people.alice) == []
    assert units_without_informant_count(user=people.sysadmin) == 4


# --- Permission decisions -----------------------------------------------------------------------------------------


def test_can_manage_decisions(world, people):
    assert can_manage_unit(people.sysadmin, world.township)
    assert can_manage_unit(people.sysadmin, world.county)
    assert not can_manage_unit(people.sysadmin, world.city)
    assert not can_manage_unit(people.alice, world.township)
    assert not can_manage_unit(people.charlie, world.township)
    assert can_manage_informants(people.alice, world.township)
    assert not can_manage_informants(people.alice, world.township2)
    assert can_manage_informants(people.sysadmin, world.township2)
    assert not can_manage_informants(people.bob, world.township)
    assert not can_manage_informants(people.editor, world.township)
    assert not can_manage_informants(people.charlie, world.township)


def test_can_view_registry(world, people):
    assert can_view_registry(people.alice) and can_view_registry(people.alice, world.township)
    assert not can_view_registry(people.alice, world.township2)
    assert can_view_registry(people.editor, world.township2)
    assert not can_view_registry(people.bob) and not can_view_registry(people.bob, world.township)
    assert not can_view_registry(people.charlie, world.township)
    dept_editor = make_user(world.county_dept, Role.EDITOR)  # an editor outside a receiving office
    assert can_view_registry(dept_editor, world.county_dept)
    assert not can_view_registry(dept_editor, world.township)


# --- 待办 ---------------------------------------------------------------------------------------------------------


def test_todo_provider(world, people):
    [todo] = informant_gaps(people.sysadmin)
    assert todo.count == 5 and "5个单位" in todo.title
    [todo] = informant_gaps(people.editor)
    assert todo.count == 5
    [todo] = informant_gaps(people.alice)
    assert todo.level == "danger" and str(world.township.pk) in todo.url
    assert informant_gaps(people.bob) == []
    register(people.alice, world.township, people.clerk)
    assert informant_gaps(people.alice) == []
    assert informant_gaps(people.sysadmin)[0].count == 4
