"""People pages: list, detail, create, edit, (de)activate, password reset — with alice (may), bob (same office,
other role) and charlie (another county) on every one."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from xinbao.accounts.models import Role, User
from xinbao.accounts.tests.factories import PASSWORD, make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.orgs.models import InformantKind, InformantRecord

NEW = "Chuzhi#2026"


def create_data(unit, **over):  # type: ignore[no-untyped-def]
    data = {
        "username": "liming",
        "full_name": "李明",
        "unit": unit.pk,
        "title": "办公室主任",
        "phone": "13900000002",
        "email": "",
        "password": NEW,
        "password2": NEW,
    }
    data.update(over)
    return data


def field_errors(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# --- List ----------------------------------------------------------------------------------------------------------


def test_list_shows_people_in_scope_with_the_columns(signed_in, cast):
    response = signed_in(cast.alice).get(reverse("accounts:people"))
    assert response.status_code == 200
    body = response.content.decode()
    for header in ("姓名", "用户名", "单位", "职务", "角色", "手机", "状态"):
        assert f'<th scope="col">{header}</th>' in body
    names = {p.username for p in response.context["page"].object_list}
    assert {"zhang3", "bob", "ua_cg", "alice"} <= names
    assert not names & {"charlie", "charlie_ua"}
    assert "13800000001" in body and "信息员" in body


def test_charlie_does_not_see_alices_people(signed_in, cast):
    for charlie in (cast.charlie, cast.charlie_ua):
        names = {
            p.username for p in signed_in(charlie).get(reverse("accounts:people")).context["page"].object_list
        }
        assert "zhang3" not in names and "alice" not in names
        assert charlie.username in names


def test_people_of_other_units_see_only_their_own_unit(signed_in, cast, world):
    colleague = make_user(world.township, Role.SIGNER, username="tongshi")
    names = {
        p.username for p in signed_in(colleague).get(reverse("accounts:people")).context["page"].object_list
    }
    assert names == {"zhang3", "ua_cg", "tongshi"}


def test_list_filters(signed_in, cast, world):
    make_user(world.township2, Role.INFORMANT, username="baisha1", full_name="王白沙", phone="13700000009")
    make_user(world.county_dept, Role.INFORMANT, username="jiaoyu1", full_name="赵教育", is_active=False)
    client = signed_in(cast.alice)

    def names(**params):  # type: ignore[no-untyped-def]
        response = client.get(reverse("accounts:people"), params)
        return {p.username for p in response.context["page"].object_list}

    assert names(q="王白") == {"baisha1"}
    assert names(q="baisha") == {"baisha1"}
    assert names(q="1370000") == {"baisha1"}
    assert names(unit_name="白沙镇") == {"baisha1"}
    assert names(unit=world.township.pk) == {"zhang3", "ua_cg"}
    narrowed = client.get(reverse("accounts:people"), {"unit": world.township.pk, "role": Role.INFORMANT})
    body = narrowed.content.decode()
    assert "仅显示安平县城关镇的人员" in body and 'href="?role=informant">显示全部单位' in body
    assert names(role=Role.INFORMANT) == {"zhang3", "baisha1", "jiaoyu1"}
    assert names(role=Role.INFORMANT, active="0") == {"jiaoyu1"}
    assert "jiaoyu1" not in names(active="1")
    # A bad filter is ignored rather than breaking the page.
    assert client.get(reverse("accounts:people"), {"role": "emperor"}).status_code == 200


def test_list_pages_by_fifty(signed_in, cast, world):
    for i in range(55):
        make_user(world.county_dept, username=f"p{i:03d}")
    client = signed_in(cast.alice)
    first = client.get(reverse("accounts:people"), {"unit_name": "教育局"})
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 55
    assert "unit_name=%E6%95%99%E8%82%B2%E5%B1%80&amp;page=2" in first.content.decode()
    second = client.get(reverse("accounts:people"), {"unit_name": "教育局", "page": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get(reverse("accounts:people"), {"page": "x"}).status_code == 200


# --- Detail --------------------------------------------------------------------------------------------------------


def test_detail_shows_unit_roles_registrations_and_actions_for_alice(signed_in, cast, world):
    InformantRecord.objects.create(
        unit=world.township,
        person=cast.person,
        kind=InformantKind.FULL_TIME,
        start_date="2026-01-05",
        start_reason="新任专职信息员",
        filed_by=cast.unit_admin,
    )
    response = signed_in(cast.alice).get(reverse("accounts:person_detail", args=[cast.person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("张三", "安平县城关镇", "信息员", "新任专职信息员", "专职", "从未登录", "在用"):
        assert text in body
    for name in ("person_edit", "person_active", "person_password", "person_roles"):
        assert reverse(f"accounts:{name}", args=[cast.person.pk]) in body


def test_detail_hides_actions_from_bob_and_refuses_charlie(signed_in, cast):
    url = reverse("accounts:person_detail", args=[cast.person.pk])
    body = signed_in(cast.bob).get(url).content.decode()
    assert "张三" in body
    for name in ("person_edit", "person_active", "person_password", "person_roles"):
        assert reverse(f"accounts:{name}", args=[cast.person.pk]) not in body
    for charlie in (cast.charlie, cast.charlie_ua):
        assert signed_in(charlie).get(url).status_code == 404
    assert signed_in(cast.alice).get(reverse("accounts:person_detail", args=[999999])).status_code == 404


# --- Create --------------------------------------------------------------------------------------------------------


def test_system_admin_creates_a_person_who_must_change_the_password(signed_in, cast, world):
    client = signed_in(cast.alice)
    page = client.get(reverse("accounts:person_create"))
    units = list(page.context["form"].fields["unit"].queryset)
    assert world.township in units and world.county_dept in units
    assert world.other_township not in units and world.county not in units  # no region nodes, no other county

    response = client.post(reverse("accounts:person_create"), create_data(world.township))
    person = User.objects.get(username="liming")
    assert response.status_code == 302
    assert person.unit == world.township and person.must_change_password and person.check_password(NEW)
    assert AuditEvent.objects.filter(
        event_type=EventType.USER_CREATE, actor=cast.alice, object_id=str(person.pk)
    )

    # The new person logs in and is sent to change the initial password.
    first = Client().post(reverse("accounts:login"), {"username": "liming", "password": NEW})
    assert first["Location"].startswith(reverse("accounts:password_change"))


def test_unit_admin_creates_people_in_his_own_unit_only(signed_in, cast, world):
    client = signed_in(cast.unit_admin)
    page = client.get(reverse("accounts:person_create"))
    assert list(page.context["form"].fields["unit"].queryset) == [world.township]
    response = client.post(reverse("accounts:person_create"), create_data(world.township))
    assert response.status_code == 302
    # Created by a unit admin, the new person goes on to the roles page where he may grant business roles.
    assert response["Location"] == reverse(
        "accounts:person_roles", args=[User.objects.get(username="liming").pk]
    )

    response = client.post(reverse("accounts:person_create"), create_data(world.township2, username="other1"))
    assert response.status_code == 200
    assert field_errors(response)["unit"] == ["请选择您有权管理的单位"]
    assert not User.objects.filter(username="other1").exists()


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"password": "abc12345", "password2": "abc12345"}, "password", "至少3类"),
        ({"password": "Ab1#x", "password2": "Ab1#x"}, "password", "密码太短"),
        ({"password": "Password1", "password2": "Password1"}, "password", "太常见"),
        ({"password2": "Other#2026"}, "password2", "两次输入的密码不一致"),
        ({"username": "ab"}, "username", "用户名须为3至150位"),
        ({"username": "zhang3"}, "username", "已被使用"),
        ({"username": "ZHANG3"}, "username", "已被使用"),
        ({"phone": "12345"}, "phone", "格式不正确"),
        ({"email": "not-an-email"}, "email", "电子邮箱格式不正确"),
        ({"full_name": "  "}, "full_name", "这个字段是必填项"),
    ],
)
def test_create_refuses_bad_input_in_chinese_next_to_the_field(signed_in, cast, world, over, field, message):
    before = User.objects.count()
    response = signed_in(cast.alice).post(
        reverse("accounts:person_create"), create_data(world.township, **over)
    )
    assert response.status_code == 200
    errors = field_errors(response)
    assert any(message in e for e in errors.get(field, [])), errors
    assert User.objects.count() == before
    # Shown next to the field in the page.
    assert re.search(
        r'invalid-feedback d-block" role="alert">[^<]*' + re.escape(message), response.content.decode()
    )


def test_create_permissions(signed_in, cast, world):
    url = reverse("accounts:person_create")
    assert signed_in(cast.bob).get(url).status_code == 403
    assert signed_in(cast.bob).post(url, create_data(world.county_party_office)).status_code == 403
    assert signed_in(cast.person).get(url).status_code == 403
    # charlie may create people in his county, never in alice's.
    charlie = signed_in(cast.charlie)
    assert charlie.get(url).status_code == 200
    assert charlie.get(url, {"unit": world.township.pk}).status_code == 404
    response = charlie.post(url, create_data(world.township))
    assert field_errors(response)["unit"] == ["请选择您有权管理的单位"]
    assert signed_in(cast.charlie_ua).post(url, create_data(world.township)).status_code == 200
    assert not User.objects.filter(username="liming").exists()
    # alice arriving from a unit page gets that unit chosen.
    page = signed_in(cast.alice).get(url, {"unit": world.county_dept.pk})
    assert page.context["form"].initial["unit"] == world.county_dept


# --- Edit ----------------------------------------------------------------------------------------------------------


def test_edit_saves_and_audits(signed_in, cast, world):
    client = signed_in(cast.alice)
    url = reverse("accounts:person_edit", args=[cast.person.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["full_name"] == "张三"
    data = {
        "full_name": "张三丰",
        "unit": world.township2.pk,
        "title": "宣传委员",
        "phone": "13800000001",
        "email": "",
    }
    assert client.post(url, data).status_code == 302
    cast.person.refresh_from_db()
    assert (cast.person.full_name, cast.person.unit, cast.person.title) == (
        "张三丰",
        world.township2,
        "宣传委员",
    )
    row = AuditEvent.objects.get(event_type=EventType.USER_UPDATE, actor=cast.alice)
    assert row.detail["changes"]["full_name"] == ["张三", "张三丰"]


def test_edit_refuses_bad_input(signed_in, cast, world):
    url = reverse("accounts:person_edit", args=[cast.person.pk])
    data = {"full_name": "张三", "unit": world.township.pk, "title": "", "phone": "999", "email": ""}
    response = signed_in(cast.alice).post(url, data)
    assert "手机号或电话号码格式不正确" in field_errors(response)["phone"][0]
    cast.person.refresh_from_db()
    assert cast.person.phone == "13800000001"


def test_edit_permissions(signed_in, cast, world):
    url = reverse("accounts:person_edit", args=[cast.person.pk])
    data = {"full_name": "改名", "unit": world.township.pk, "title": "", "phone": "", "email": ""}
    assert signed_in(cast.bob).get(url).status_code == 403
    assert signed_in(cast.bob).post(url, data).status_code == 403
    for charlie in (cast.charlie, cast.charlie_ua):
        assert signed_in(charlie).get(url).status_code == 404
        assert signed_in(charlie).post(url, data).status_code == 404
    # The unit admin of the township may; moving the person to another unit he does not manage is refused.
    ua = signed_in(cast.unit_admin)
    assert ua.get(url).status_code == 200
    moved = ua.post(url, {**data, "unit": world.township2.pk})
    assert field_errors(moved)["unit"] == ["请选择您有权管理的单位"]
    cast.person.refresh_from_db()
    assert cast.person.full_name == "张三" and cast.person.unit == world.township


def test_unit_admin_cannot_manage_an_admin_of_his_unit(signed_in, world):
    unit_admin = make_user(world.county_party_office, Role.UNIT_ADMIN, username="ua_xw")
    auditor = make_user(world.county_party_office, Role.AUDIT_ADMIN, username="shenji")
    client = signed_in(unit_admin)
    for name in ("person_edit", "person_active", "person_password"):
        assert client.get(reverse(f"accounts:{name}", args=[auditor.pk])).status_code == 403
    system = make_user(world.county_party_office, Role.SYSTEM_ADMIN, username="xitong")
    assert signed_in(system).get(reverse("accounts:person_edit", args=[auditor.pk])).status_code == 200


# --- Activate / deactivate -------------------------------------------------------------------------------------------


def test_deactivate_needs_a_reason_and_reactivate(signed_in, cast):
    client = signed_in(cast.alice)
    url = reverse("accounts:person_active", args=[cast.person.pk])
    assert "停用“张三”的账号" in client.get(url).content.decode()
    missing = client.post(url, {"reason": ""})
    assert field_errors(missing)["reason"] == ["请填写原因"]
    cast.person.refresh_from_db()
    assert cast.person.is_active

    assert client.post(url, {"reason": "调离本单位"}).status_code == 302
    cast.person.refresh_from_db()
    assert not cast.person.is_active
    row = AuditEvent.objects.get(event_type=EventType.USER_DEACTIVATE)
    assert row.detail == {"active": False, "reason": "调离本单位"}
    refused = Client().post(reverse("accounts:login"), {"username": "zhang3", "password": PASSWORD})
    assert refused.status_code == 200

    assert client.post(url, {"reason": "返回原单位"}).status_code == 302
    cast.person.refresh_from_db()
    assert cast.person.is_active


def test_deactivated_person_is_logged_out_of_open_sessions(signed_in, cast):
    session = signed_in(cast.person)
    assert session.get(reverse("home")).status_code == 200
    signed_in(cast.alice).post(reverse("accounts:person_active", args=[cast.person.pk]), {"reason": "离职"})
    assert session.get(reverse("home")).status_code == 302


def test_active_permissions(signed_in, cast):
    url = reverse("accounts:person_active", args=[cast.person.pk])
    assert signed_in(cast.bob).post(url, {"reason": "x"}).status_code == 403
    for charlie in (cast.charlie, cast.charlie_ua):
        assert signed_in(charlie).post(url, {"reason": "x"}).status_code == 404
    assert (
        signed_in(cast.alice).get(reverse("accounts:person_active", args=[cast.alice.pk])).status_code == 403
    )
    cast.person.refresh_from_db()
    assert cast.person.is_active


# --- Password reset by an administrator ------------------------------------------------------------------------------


def test_reset_with_a_generated_temporary_password(signed_in, cast):
    response = signed_in(cast.alice).post(reverse("accounts:person_password", args=[cast.person.pk]), {})
    assert response.status_code == 200
    temporary = response.context["temporary"]
    assert temporary and temporary in response.content.decode()
    cast.person.refresh_from_db()
    assert cast.person.check_password(temporary) and cast.person.must_change_password
    login = Client().post(reverse("accounts:login"), {"username": "zhang3", "password": temporary})
    assert login["Location"].startswith(reverse("accounts:password_change"))
    assert AuditEvent.objects.filter(
        event_type=EventType.PASSWORD_CHANGE, actor=cast.alice, detail__reset_by_admin=True
    )


def test_reset_with_a_chosen_password_follows_the_policy(signed_in, cast):
    client = signed_in(cast.unit_admin)
    url = reverse("accounts:person_password", args=[cast.person.pk])
    weak = client.post(url, {"new_password": "abcdefgh", "new_password2": "abcdefgh"})
    assert "至少3类" in field_errors(weak)["new_password"][0]
    cast.person.refresh_from_db()
    assert cast.person.check_password(PASSWORD)
    done = client.post(url, {"new_password": NEW, "new_password2": NEW})
    assert done.status_code == 200 and done.context["temporary"] is None
    assert NEW not in done.content.decode()
    cast.person.refresh_from_db()
    assert cast.person.check_password(NEW)


def test_reset_permissions(signed_in, cast):
    url = reverse("accounts:person_password", args=[cast.person.pk])
    assert signed_in(cast.bob).post(url, {}).status_code == 403
    for charlie in (cast.charlie, cast.charlie_ua):
        assert signed_in(charlie).post(url, {}).status_code == 404
    assert (
        signed_in(cast.alice).get(reverse("accounts:person_password", args=[cast.alice.pk])).status_code
        == 403
    )
    cast.person.refresh_from_db()
    assert cast.person.check_password(PASSWORD)


def test_people_pages_need_login(client, cast):
    for url in (
        reverse("accounts:people"),
        reverse("accounts:person_create"),
        reverse("accounts:person_detail", args=[cast.person.pk]),
        reverse("accounts:person_edit", args=[cast.person.pk]),
        reverse("accounts:person_roles", args=[cast.person.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_pages_carry_no_inline_script_or_style(signed_in, cast):
    admin, person = signed_in(cast.alice_sec), signed_in(cast.person)
    for client, url in (
        (admin, reverse("accounts:people")),
        (admin, reverse("accounts:person_detail", args=[cast.person.pk])),
        (admin, reverse("accounts:person_roles", args=[cast.person.pk])),
        (admin, reverse("accounts:tokens")),
        (person, reverse("accounts:otp_setup")),
        (Client(), reverse("accounts:login")),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "style=" not in body, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), url
        assert not re.search(r"\son[a-z]+=", body), url
