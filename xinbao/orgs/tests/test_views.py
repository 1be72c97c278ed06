"""Pages of the unit tree and unit detail: what alice, bob and charlie may see and do."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.orgs.models import DirectReportingTarget, Level, Unit, UnitKind
from xinbao.orgs.services import direct_targets_set
from xinbao.orgs.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


# --- Tree ---------------------------------------------------------------------------------------------------------


def test_tree_needs_login(client):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_tree_shows_the_chain_to_the_scope_root_and_nothing_of_another_county(world, people, as_user):
    response = as_user(people.alice).get(reverse("orgs:tree"))
    assert response.status_code == 200
    html = body(response)
    for name in ("明江省", "江州市", "安平县", "中共江州市委办公室", "中共明江省委办公厅"):
        assert name in html
    assert "石桥县" not in html
    # The county (the scope root) opens lazily: its toggle loads units/<pk>/children/.
    assert reverse("orgs:unit_children", args=[world.county.pk]) in html
    assert "安平县城关镇" not in html


def test_tree_of_charlie_does_not_contain_anping(world, people, as_user):
    html = body(as_user(people.charlie).get(reverse("orgs:tree")))
    assert "石桥县" in html and "安平县" not in html


def test_children_fragment_lists_nodes_with_badges(world, people, as_user):
    make_unit(
        parent=world.county,
        name="安平县档案馆",
        level=Level.COUNTY,
        kind=UnitKind.AFFILIATED,
        is_active=False,
    )
    direct_targets_set(actor=None, unit=world.township, offices=[world.city_party_office])
    response = as_user(people.bob).get(reverse("orgs:unit_children", args=[world.county.pk]))
    assert response.status_code == 200
    html = body(response)
    assert "中共安平县委办公室" in html and "接收单位" in html
    assert "安平县城关镇" in html and "直报点" in html and "本单位" in html
    assert "乡镇(街道)" in html and "乡镇街道" in html  # level and kind badges
    assert "is-inactive" in html and "已停用" in html
    # Every node is reachable from the keyboard: a link per unit; a toggle button only where there is something below.
    assert html.count('class="node-link"') == 6
    assert "data-tree-toggle" not in html


def test_children_of_another_county_is_404(world, people, as_user):
    assert (
        as_user(people.charlie).get(reverse("orgs:unit_children", args=[world.county.pk])).status_code == 404
    )
    assert (
        as_user(people.alice).get(reverse("orgs:unit_children", args=[world.other_county.pk])).status_code
        == 404
    )


def test_children_of_an_ancestor_show_only_what_is_visible(world, people, as_user):
    html = body(as_user(people.alice).get(reverse("orgs:unit_children", args=[world.city.pk])))
    assert "安平县" in html and "中共江州市委办公室" in html
    assert "石桥县" not in html


def test_search_matches_name_short_name_and_code_with_path(world, people, as_user):
    c = as_user(people.alice)
    html = body(c.get(reverse("orgs:tree_search"), {"q": "城关"}))
    assert "安平县城关镇" in html
    assert "明江省 › 江州市 › 安平县" in html
    assert world.township.code in html
    assert "安平县城关镇" in body(c.get(reverse("orgs:tree_search"), {"q": world.township.code}))
    assert "找到 0" not in html


def test_search_never_reaches_another_county(world, people, as_user):
    html = body(as_user(people.alice).get(reverse("orgs:tree_search"), {"q": "龙潭"}))
    assert "石桥县龙潭镇" not in html
    assert "没有找到" in html
    html = body(as_user(people.charlie).get(reverse("orgs:tree_search"), {"q": "城关"}))
    assert "安平县城关镇" not in html


def test_search_without_words_renders_nothing_and_tree_page_searches_too(world, people, as_user):
    c = as_user(people.bob)
    assert body(c.get(reverse("orgs:tree_search"), {"q": "  "})).strip() == ""
    assert "安平县城关镇" in body(c.get(reverse("orgs:tree"), {"q": "城关"}))


def test_search_is_limited(world, people, as_user):
    for i in range(55):
        make_unit(parent=world.county, name=f"安平县测试局{i}", level=Level.COUNTY, kind=UnitKind.DEPARTMENT)
    html = body(as_user(people.sysadmin).get(reverse("orgs:tree_search"), {"q": "测试局"}))
    assert html.count('class="fw-semibold"') == 50
    assert "仅显示前50个" in html


# --- Unit detail --------------------------------------------------------------------------------------------------


def test_unit_detail_shows_fields_channels_people_and_informants(world, people, as_user):
    from xinbao.orgs.services import informant_register

    informant_register(
        actor=people.alice,
        unit=world.township,
        person=people.bob,
        kind="full_time",
        start_date=timezone.localdate(),
        reason="新任命",
    )
    direct_targets_set(actor=None, unit=world.township, offices=[world.city_party_office])
    response = as_user(people.alice).get(reverse("orgs:unit_detail", args=[world.township.pk]))
    assert response.status_code == 200
    html = body(response)
    assert world.township.code in html and "城关镇" in html
    assert "中共安平县委办公室" in html and "安平县人民政府办公室" in html  # 主渠道
    assert "直报（信息直报点）" in html and "中共江州市委办公室" in html and "抄送" in html
    assert reverse("accounts:person_detail", args=[people.clerk.pk]) in html
    assert "鲍勃" in html and "新任命" in html
    assert reverse("orgs:informant_register", args=[world.township.pk]) in html
    assert reverse("orgs:unit_edit", args=[world.township.pk]) not in html  # unit admin does not edit units


def test_unit_detail_of_office_lists_its_direct_points(world, people, as_user):
    direct_targets_set(actor=None, unit=world.township, offices=[world.city_party_office])
    direct_targets_set(actor=None, unit=world.other_township, offices=[world.city_party_office])
    html = body(as_user(people.sysadmin).get(reverse("orgs:unit_detail", args=[world.city_party_office.pk])))
    assert "向本单位直报的信息直报点" in html
    assert "安平县城关镇" in html
    assert "石桥县龙潭镇" not in html  # another county's direct point stays hidden


def test_unit_detail_for_bob_is_read_only(world, people, as_user):
    html = body(as_user(people.bob).get(reverse("orgs:unit_detail", args=[world.township.pk])))
    assert "安平县城关镇" in html
    assert reverse("orgs:informant_register", args=[world.township.pk]) not in html
    assert reverse("orgs:unit_edit", args=[world.township.pk]) not in html


def test_unit_detail_for_sysadmin_offers_edit(world, people, as_user):
    html = body(as_user(people.sysadmin).get(reverse("orgs:unit_detail", args=[world.county.pk])))
    assert reverse("orgs:unit_edit", args=[world.county.pk]) in html
    assert reverse("orgs:unit_create", args=[world.county.pk]) in html
    assert "安平县城关镇" in html  # the region lists its units


def test_unit_detail_of_another_county_is_404(world, people, as_user):
    assert (
        as_user(people.charlie).get(reverse("orgs:unit_detail", args=[world.township.pk])).status_code == 404
    )
    assert (
        as_user(people.bob).get(reverse("orgs:unit_detail", args=[world.other_township.pk])).status_code
        == 404
    )
    assert as_user(people.bob).get(reverse("orgs:unit_detail", args=[999999])).status_code == 404


# --- Edit / create / direct targets ---------------------------------------------------------------------------------


def unit_post(unit: Unit, **overrides) -> dict:
    data = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "level": unit.level,
        "kind": unit.kind,
        "is_receiving_office": "on" if unit.is_receiving_office else "",
        "is_active": "on" if unit.is_active else "",
        "sort_order": unit.sort_order,
        "phone": unit.phone,
    }
    if unit.parent_id:
        data["parent"] = unit.parent_id
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.parametrize("url_name", ["orgs:unit_edit", "orgs:unit_create", "orgs:unit_direct_targets"])
def test_unit_write_pages_permissions(world, people, as_user, url_name):
    target = world.county if url_name == "orgs:unit_create" else world.township
    url = reverse(url_name, args=[target.pk])
    assert as_user(people.sysadmin).get(url).status_code == 200
    assert as_user(people.alice).get(url).status_code == 403  # a unit admin does not shape the tree
    assert as_user(people.bob).get(url).status_code == 403
    assert as_user(people.charlie).get(url).status_code == 404
    assert as_user(people.charlie).post(url, {"name": "x"}).status_code == 404


def test_edit_unit_saves_and_audits(world, people, as_user):
    c = as_user(people.sysadmin)
    url = reverse("orgs:unit_edit", args=[world.township.pk])
    response = c.post(url, unit_post(world.township, name="安平县城关镇人民政府", phone="0791-1234567"))
    assert response.status_code == 302
    world.township.refresh_from_db()
    assert world.township.name == "安平县城关镇人民政府" and world.township.phone == "0791-1234567"
    assert AuditEvent.objects.filter(
        event_type=EventType.UNIT_UPDATE, object_id=str(world.township.pk)
    ).exists()


def test_edit_scope_root_without_parent_field(world, people, as_user):
    c = as_user(people.sysadmin)
    url = reverse("orgs:unit_edit", args=[world.county.pk])
    assert 'name="parent"' not in body(c.get(url))
    data = unit_post(world.county, phone="0791-7654321")
    data.pop("parent")
    assert c.post(url, data).status_code == 302
    world.county.refresh_from_db()
    assert world.county.phone == "0791-7654321" and world.county.parent_id == world.city.pk


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "请填写单位名称"),
        ({"code": "A B"}, "单位编码不能含空格"),
        ({"code": "MJ"}, "已被使用"),
        ({"level": Level.CITY}, "单位层级不能高于上级单位"),
        ({"kind": UnitKind.REGION}, "已有人员或信息员备案"),
        ({"parent": "OTHER"}, "所选上级单位不在您的管辖范围内"),
        ({"sort_order": "abc"}, "输入整数"),
    ],
)
def test_edit_unit_refuses_bad_input_in_chinese(world, people, as_user, overrides, message):
    if overrides.get("parent") == "OTHER":
        overrides["parent"] = world.other_county.pk
    before = Unit.objects.values().get(pk=world.township.pk)
    response = as_user(people.sysadmin).post(
        reverse("orgs:unit_edit", args=[world.township.pk]), unit_post(world.township, **overrides)
    )
    assert response.status_code == 200
    assert message in body(response)
    assert Unit.objects.values().get(pk=world.township.pk) == before


def test_create_child_unit(world, people, as_user):
    c = as_user(people.sysadmin)
    url = reverse("orgs:unit_create", args=[world.county.pk])
    response = c.post(
        url,
        {
            "code": "AP-NEW",
            "name": "安平县统计局",
            "level": Level.COUNTY,
            "kind": UnitKind.DEPARTMENT,
            "sort_order": 5,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="AP-NEW")
    assert unit.parent == world.county and unit.path == f"{world.county.path}{unit.pk}/" and unit.is_active
    assert response["Location"] == reverse("orgs:unit_detail", args=[unit.pk])


def test_create_child_refuses_bad_input_and_non_region_parent(world, people, as_user):
    c = as_user(people.sysadmin)
    count = Unit.objects.count()
    url = reverse("orgs:unit_create", args=[world.county.pk])
    response = c.post(
        url, {"code": "", "name": "", "level": Level.PROVINCE, "kind": "bogus", "sort_order": 0}
    )
    html = body(response)
    assert "请填写单位编码" in html and "请填写单位名称" in html
    response = c.post(
        url,
        {
            "code": "AP-X",
            "name": "省直属",
            "level": Level.PROVINCE,
            "kind": UnitKind.DEPARTMENT,
            "sort_order": 0,
        },
    )
    assert "单位层级不能高于上级单位" in body(response)
    response = c.get(reverse("orgs:unit_create", args=[world.township.pk]), follow=True)
    assert "只能在行政区" in body(response)
    assert Unit.objects.count() == count


def test_direct_targets_page_sets_and_clears(world, people, as_user):
    c = as_user(people.sysadmin)
    url = reverse("orgs:unit_direct_targets", args=[world.township.pk])
    html = body(c.get(url))
    assert "中共江州市委办公室" in html and "中共明江省委办公厅" in html
    assert f'value="{world.county_party_office.pk}"' not in html  # the main channel is not a direct target
    response = c.post(
        url, {"offices": [world.city_party_office.pk, world.province_party_office.pk], "note": "试点"}
    )
    assert response.status_code == 302
    assert set(world.township.direct_targets.all()) == {world.city_party_office, world.province_party_office}
    assert c.post(url, {"note": ""}).status_code == 302
    assert not world.township.direct_targets.exists()


def test_direct_targets_page_refuses_bad_offices(world, people, as_user):
    c = as_user(people.sysadmin)
    url = reverse("orgs:unit_direct_targets", args=[world.township.pk])
    for bad in (world.county_party_office.pk, world.other_party_office.pk, world.county_dept.pk):
        response = c.post(url, {"offices": [bad]})
        assert response.status_code == 200
        assert "所选单位不能作为本单位的直报目标" in body(response)
    assert not DirectReportingTarget.objects.exists()


def test_charlie_cannot_edit_through_a_region_he_sees(world, people, as_user):
    # charlie sees the city (an ancestor of his county) but may not create units in it.
    url = reverse("orgs:unit_create", args=[world.city.pk])
    assert as_user(people.charlie).get(url).status_code == 403


def test_home_shows_informant_todo(world, people, as_user):
    html = body(as_user(people.alice).get(reverse("home")))
    assert "本单位尚无在册专职信息员" in html
    assert reverse("orgs:informant_register", args=[world.township.pk]) in html
    html = body(as_user(people.sysadmin).get(reverse("home")))
    assert "个单位没有在册专职信息员" in html
    assert "没有在册专职信息员" not in body(as_user(people.bob).get(reverse("home")))


def test_second_office_editor_gets_count(world, people, as_user):
    editor2 = make_user(world.county_gov_office, Role.EDITOR)
    assert "个单位没有在册专职信息员" in body(as_user(editor2).get(reverse("home")))


def test_unit_detail_hides_members_the_user_cannot_see(world, people, as_user):
    # bob sees the county office (his items go there) but not its people or registrations.
    html = body(as_user(people.bob).get(reverse("orgs:unit_detail", args=[world.county_party_office.pk])))
    assert 'id="members-hidden"' in html and "陈编辑" not in html
    html = body(as_user(people.bob).get(reverse("orgs:unit_detail", args=[world.township2.pk])))
    assert 'id="members-hidden"' in html
    html = body(as_user(people.sysadmin).get(reverse("orgs:unit_detail", args=[world.city_party_office.pk])))
    assert 'id="members-hidden"' in html
    html = body(
        as_user(people.sysadmin).get(reverse("orgs:unit_detail", args=[world.county_party_office.pk]))
    )
    assert 'id="members-hidden"' not in html and "陈编辑" in html
