"""三员分立 and who grants which role (PRODUCT 1 and 4), through the services and through the roles page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xinbao.accounts.models import Role, RoleAssignment
from xinbao.accounts.services import role_grant, role_revoke
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.common.errors import NotPermitted, ValidationFailed


def roles_of(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


@pytest.fixture
def admins(world):
    office = world.county_party_office
    return (
        make_user(office, Role.SYSTEM_ADMIN, username="xitong"),
        make_user(office, Role.SECURITY_ADMIN, username="anquan"),
        make_user(office, Role.AUDIT_ADMIN, username="shenji"),
    )


@pytest.mark.parametrize(
    ("held", "wanted"),
    [
        (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN),
        (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN),
        (Role.AUDIT_ADMIN, Role.SECURITY_ADMIN),
        (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN),
        (Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN),
    ],
)
def test_no_one_holds_two_of_the_three_admin_roles(world, admins, held, wanted):
    system, security, _audit = admins
    person = make_user(world.county_gov_office, held)
    actor = system if wanted == Role.SECURITY_ADMIN else security
    with pytest.raises(ValidationFailed, match="三员分立"):
        role_grant(actor=actor, target=person, role=wanted)
    # Also without an acting person (management commands, imports).
    with pytest.raises(ValidationFailed, match="三员分立"):
        role_grant(actor=None, target=person, role=wanted)
    assert roles_of(person) == {held}


def test_nobody_grants_a_role_to_himself(admins):
    system, security, audit = admins
    for actor, role in (
        (system, Role.EDITOR),
        (system, Role.SECURITY_ADMIN),
        (security, Role.EDITOR),
        (audit, Role.LEADER),
    ):
        with pytest.raises(NotPermitted, match="不能给自己授予或撤销角色"):
            role_grant(actor=actor, target=actor, role=role)
    with pytest.raises(NotPermitted, match="不能给自己"):
        role_revoke(actor=security, target=security, role=Role.SECURITY_ADMIN)
    assert roles_of(system) == {Role.SYSTEM_ADMIN}


def test_security_admin_role_is_granted_by_the_system_admin_only(world, admins):
    system, security, audit = admins
    person = make_user(world.county_dept, Role.INFORMANT)
    for actor in (security, audit, make_user(world.county_dept, Role.UNIT_ADMIN)):
        with pytest.raises(NotPermitted, match="安全管理员角色只能由系统管理员授予"):
            role_grant(actor=actor, target=person, role=Role.SECURITY_ADMIN)
    role_grant(actor=system, target=person, role=Role.SECURITY_ADMIN)
    assert Role.SECURITY_ADMIN in roles_of(person)


def test_system_admin_grants_no_other_role(world, admins):
    system, _security, _audit = admins
    person = make_user(world.county_dept)
    for role in (Role.EDITOR, Role.UNIT_ADMIN, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN):
        with pytest.raises(NotPermitted, match="三员分立"):
            role_grant(actor=system, target=person, role=role)
    assert roles_of(person) == set()


def test_security_admin_grants_and_revokes_within_his_region(world, admins):
    _system, security, _audit = admins
    person = make_user(world.township, Role.INFORMANT)
    role_grant(actor=security, target=person, role=Role.SIGNER)
    role_grant(actor=security, target=person, role=Role.AUDIT_ADMIN)
    assert roles_of(person) == {Role.INFORMANT, Role.SIGNER, Role.AUDIT_ADMIN}
    role_revoke(actor=security, target=person, role=Role.SIGNER)
    assert roles_of(person) == {Role.INFORMANT, Role.AUDIT_ADMIN}
    with pytest.raises(ValidationFailed, match="已有"):
        role_grant(actor=security, target=person, role=Role.INFORMANT)
    with pytest.raises(ValidationFailed, match="没有该角色"):
        role_revoke(actor=security, target=person, role=Role.LEADER)

    stranger = make_user(world.other_township, Role.INFORMANT)
    with pytest.raises(NotPermitted, match="不在您的管辖范围内"):
        role_grant(actor=security, target=stranger, role=Role.SIGNER)


def test_unit_admin_grants_business_roles_in_his_own_unit_only(world):
    unit_admin = make_user(world.township, Role.UNIT_ADMIN)
    colleague = make_user(world.township)
    role_grant(actor=unit_admin, target=colleague, role=Role.INFORMANT)
    role_grant(actor=unit_admin, target=colleague, role=Role.SIGNER)
    assert roles_of(colleague) == {Role.INFORMANT, Role.SIGNER}

    for role in (Role.UNIT_ADMIN, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(NotPermitted):
            role_grant(actor=unit_admin, target=colleague, role=role)
    neighbour = make_user(world.township2)
    with pytest.raises(NotPermitted, match="您没有授予该角色的权限"):
        role_grant(actor=unit_admin, target=neighbour, role=Role.INFORMANT)
    assert roles_of(neighbour) == set()


def test_refusals_are_audited_even_though_nothing_changes(world, admins):
    _system, security, _audit = admins
    with pytest.raises(NotPermitted):
        role_grant(actor=security, target=security, role=Role.EDITOR)
    row = AuditEvent.objects.get(event_type=EventType.ROLE_GRANT, success=False)
    assert row.actor_id == security.pk
    assert row.detail["refused"] == "不能给自己授予或撤销角色"
    person = make_user(world.township)
    role_grant(actor=security, target=person, role=Role.EDITOR)
    granted = AuditEvent.objects.get(event_type=EventType.ROLE_GRANT, success=True)
    assert granted.detail == {"role": Role.EDITOR} and granted.object_id == str(person.pk)


# --- The roles page ------------------------------------------------------------------------------------------------


def test_roles_page_shows_what_the_actor_may_grant(signed_in, cast):
    page = signed_in(cast.alice_sec).get(reverse("accounts:person_roles", args=[cast.person.pk]))
    assert page.status_code == 200
    options = {o.role: o for o in page.context["options"]}
    assert options[Role.INFORMANT].held and options[Role.INFORMANT].allowed
    assert options[Role.EDITOR].allowed and not options[Role.EDITOR].held
    assert options[Role.SECURITY_ADMIN].refusal == "安全管理员角色只能由系统管理员授予"
    body = page.content.decode()
    assert "授予编辑" in body and "撤销信息员" in body and "安全管理员角色只能由系统管理员授予" in body

    # A system admin sees the one role he may grant and the 三员分立 reason for the rest.
    page = signed_in(cast.alice).get(reverse("accounts:person_roles", args=[cast.person.pk]))
    options = {o.role: o for o in page.context["options"]}
    assert [r for r, o in options.items() if o.allowed] == [Role.SECURITY_ADMIN]
    assert "三员分立：系统管理员只能授予安全管理员角色" in page.content.decode()


def test_roles_page_grants_revokes_and_shows_refusals_in_chinese(signed_in, cast):
    client = signed_in(cast.alice_sec)
    url = reverse("accounts:person_roles", args=[cast.person.pk])
    response = client.post(url, {"role": Role.AUDIT_ADMIN, "action": "grant"}, follow=True)
    assert "已授予“审计管理员”角色。" in response.content.decode()
    response = client.post(url, {"role": Role.SYSTEM_ADMIN, "action": "grant"}, follow=True)
    assert "三员分立：张三已是审计管理员，不能再兼任系统管理员" in response.content.decode()
    response = client.post(url, {"role": Role.INFORMANT, "action": "revoke"}, follow=True)
    assert "已撤销“信息员”角色。" in response.content.decode()
    response = client.post(url, {"role": Role.SECURITY_ADMIN, "action": "grant"}, follow=True)
    assert "安全管理员角色只能由系统管理员授予" in response.content.decode()
    response = client.post(url, {"role": "emperor", "action": "grant"}, follow=True)
    assert "角色无效" in response.content.decode()
    assert roles_of(cast.person) == {Role.AUDIT_ADMIN}


def test_roles_page_for_a_unit_admin(signed_in, cast):
    client = signed_in(cast.unit_admin)
    url = reverse("accounts:person_roles", args=[cast.person.pk])
    client.post(url, {"role": Role.SIGNER, "action": "grant"})
    assert roles_of(cast.person) == {Role.INFORMANT, Role.SIGNER}
    response = client.post(url, {"role": Role.UNIT_ADMIN, "action": "grant"}, follow=True)
    assert "单位管理员只能授予本单位人员业务角色" in response.content.decode()
    assert roles_of(cast.person) == {Role.INFORMANT, Role.SIGNER}


def test_roles_page_permissions(signed_in, cast):
    url = reverse("accounts:person_roles", args=[cast.person.pk])
    # bob sees the person (same office, editor) but grants nothing.
    assert signed_in(cast.bob).get(url).status_code == 403
    assert signed_in(cast.bob).post(url, {"role": Role.EDITOR, "action": "grant"}).status_code == 403
    # charlie (another county) does not even see the person.
    for charlie in (cast.charlie, cast.charlie_ua):
        assert signed_in(charlie).get(url).status_code == 404
        assert signed_in(charlie).post(url, {"role": Role.EDITOR, "action": "grant"}).status_code == 404
    # The person himself may not change his own roles.
    assert signed_in(cast.person).get(url).status_code == 403
    assert roles_of(cast.person) == {Role.INFORMANT}
