"""What the demo province looks like, checked on one seed (see conftest.seeded)."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.models import ADMIN_ROLES, Role, RoleAssignment, User
from xinbao.accounts.services import PHONE_RE, USERNAME_RE
from xinbao.audit.models import AuditEvent, EventType
from xinbao.audit.services import audit_verify_chain
from xinbao.demo.key_accounts import DEMO_DEVICE_NAME, DEMO_PASSWORD, KEY_ACCOUNTS, demo_totp_key
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
from xinbao.orgs.services import unit_validate

pytestmark = pytest.mark.django_db

REPORTING = (UnitKind.TOWNSHIP, UnitKind.DEPARTMENT, UnitKind.AFFILIATED)


def roles_by_user() -> dict[int, set[str]]:
    held: dict[int, set[str]] = defaultdict(set)
    for user_id, role in RoleAssignment.objects.values_list("user_id", "role"):
        held[user_id].add(role)
    return held


def current_full_time_units() -> set[int]:
    return set(
        InformantRecord.objects.filter(
            kind=InformantKind.FULL_TIME, end_date__isnull=True, person__is_active=True
        ).values_list("unit_id", flat=True)
    )


def test_counts_are_those_of_a_small_province(seeded):
    assert 280 <= Unit.objects.count() <= 320
    regions = Unit.objects.filter(kind=UnitKind.REGION)
    assert regions.filter(level=Level.PROVINCE).get().name == "明江省"
    assert regions.filter(level=Level.CITY).count() == 3
    counties = list(regions.filter(level=Level.COUNTY))
    assert len(counties) == 12
    assert {c.name[-1] for c in counties} == {"县", "区"}
    for county in counties:
        towns = list(Unit.objects.filter(parent=county, kind=UnitKind.TOWNSHIP))
        assert 8 <= len(towns) <= 13, county.name
        shorts = [t.short_name for t in towns]
        assert len(set(shorts)) == len(shorts), county.name
        assert all(t.name == county.name + t.short_name for t in towns)
        assert all(s[-1] in "镇乡" or s.endswith("街道") for s in shorts)
        assert Unit.objects.filter(parent=county, kind=UnitKind.DEPARTMENT).count() == 8
        offices = Unit.objects.filter(parent=county, is_receiving_office=True)
        assert sorted(offices.values_list("kind", flat=True)) == [UnitKind.GOV_OFFICE, UnitKind.PARTY_OFFICE]
    assert 700 <= User.objects.count() <= 1400
    names = Counter(User.objects.values_list("full_name", flat=True))
    assert len(names) > User.objects.count() * 0.6  # common names repeat, but not a handful of them


def test_the_named_places_and_offices_exist(seeded):
    a = seeded.anchors
    assert (a["province"].code, a["city"].name, a["county"].name) == ("MJ", "江州市", "安平县")
    assert a["township"].name == "安平县城关镇" and a["township"].short_name == "城关镇"
    assert a["province_office"].name == "中共明江省委办公厅"
    assert a["province_gov_office"].name == "明江省人民政府办公厅"
    assert a["city_office"].name == "中共江州市委办公室"
    assert a["county_office"].name == "中共安平县委办公室"
    assert a["county_gov_office"].name == "安平县人民政府办公室"
    assert a["county_department"].name == "安平县教育局"
    organisation = Unit.objects.get(code="MJ-JZ-101")
    assert (organisation.name, organisation.kind, organisation.is_receiving_office) == (
        "中共江州市委组织部",
        UnitKind.SYSTEM_OFFICE,
        True,
    )


def test_paths_depths_and_codes_are_consistent(seeded):
    by_id = {u.pk: u for u in Unit.objects.all()}
    for unit in by_id.values():
        parent = by_id.get(unit.parent_id) if unit.parent_id else None
        assert unit.path == (parent.path if parent else "/") + f"{unit.pk}/"
        assert unit.depth == unit.path.count("/") - 2
        if parent is not None:
            assert unit.code.startswith(parent.code + "-")


def test_every_unit_passes_the_rules_unit_create_enforces(seeded):
    for unit in Unit.objects.select_related("parent"):
        unit_validate(
            code=unit.code,
            name=unit.name,
            level=unit.level,
            kind=unit.kind,
            parent=unit.parent,
            is_receiving_office=unit.is_receiving_office,
            instance=unit,
        )


def test_people_look_like_people_and_can_log_in_at_once(seeded):
    phones = set()
    for user in User.objects.select_related("unit"):
        assert USERNAME_RE.match(user.username)
        assert PHONE_RE.match(user.phone) and user.phone.startswith("139")
        assert 2 <= len(user.full_name) <= 4 and user.title
        assert user.unit.kind != UnitKind.REGION
        assert not user.must_change_password and user.password_changed_at is not None
        phones.add(user.phone)
    assert len(phones) == User.objects.count()
    assert User.objects.get(username="ap_xxy").check_password(DEMO_PASSWORD)


def test_all_but_about_five_percent_of_units_have_a_current_full_time_informant(seeded):
    units = list(Unit.objects.exclude(kind=UnitKind.REGION))
    covered = current_full_time_units()
    missing = [u for u in units if u.pk not in covered]
    assert 0.03 * len(units) <= len(missing) <= 0.07 * len(units)
    assert all(u.kind in REPORTING for u in missing)
    assert not {u.code for u in missing} & {u.code for u in seeded.anchors.values()}
    # Both kinds of gap are there to show: never registered, and registered once but lapsed.
    ever = set(InformantRecord.objects.filter(kind=InformantKind.FULL_TIME).values_list("unit_id", flat=True))
    assert any(u.pk in ever for u in missing) and any(u.pk not in ever for u in missing)


def test_reporting_units_have_signer_and_admin_apart_from_the_informant(seeded):
    held = roles_by_user()
    staff: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for user in User.objects.filter(is_active=True):
        for role in held.get(user.pk, ()):
            staff[user.unit_id][role].add(user.pk)
    for unit in Unit.objects.exclude(kind=UnitKind.REGION):
        roles = staff[unit.pk]
        assert roles[Role.SIGNER] and roles[Role.UNIT_ADMIN], unit.name
        assert not roles[Role.UNIT_ADMIN] & roles[Role.INFORMANT], unit.name
        if unit.is_receiving_office:
            assert roles[Role.EDITOR] and roles[Role.LEADER], unit.name
            if unit.kind != UnitKind.SYSTEM_OFFICE:
                assert roles[Role.DUTY_OFFICER], unit.name


def test_registry_history_is_complete_and_plausible(seeded):
    today = timezone.localdate()
    records = list(InformantRecord.objects.select_related("person", "unit", "filed_by"))
    changes = defaultdict(list)
    for change in InformantChange.objects.order_by("effective_date", "id"):
        changes[change.record_id].append(change)
    ended = Counter()
    for rec in records:
        assert rec.person.unit_id == rec.unit_id
        assert rec.start_date <= today and (rec.end_date is None or rec.start_date <= rec.end_date <= today)
        assert rec.filed_by.unit_id == rec.unit_id and rec.filed_by.has_role(Role.UNIT_ADMIN)
        actions = [c.action for c in changes[rec.pk]]
        assert actions[0] == InformantChange.Action.REGISTER
        assert (InformantChange.Action.END in actions) == (rec.end_date is not None)
        assert rec.created_at.date() == rec.start_date
        if rec.end_date:
            ended[rec.end_reason] += 1
        if rec.end_date is None and rec.person.is_active:
            assert rec.person.has_role(Role.INFORMANT)
    assert set(ended) == {"岗位调整", "退休", "调离本单位"}
    assert any(InformantChange.Action.CHANGE_KIND in [c.action for c in cs] for cs in changes.values())
    assert InformantRecord.objects.filter(kind=InformantKind.PART_TIME, end_date__isnull=True).exists()
    # 城关镇 shows a hand-over in its history.
    town = seeded.anchors["township"]
    assert InformantRecord.objects.filter(unit=town, end_reason="岗位调整").exists()


def test_no_one_holds_two_admin_roles_and_every_party_office_has_all_three(seeded):
    held = roles_by_user()
    assert all(len(roles & ADMIN_ROLES) <= 1 for roles in held.values())
    for office in Unit.objects.filter(kind=UnitKind.PARTY_OFFICE):
        admins = RoleAssignment.objects.filter(user__unit=office, role__in=ADMIN_ROLES)
        assert sorted(admins.values_list("role", flat=True)) == sorted(ADMIN_ROLES), office.name
    # Roles were granted as role_grant_allowed says: never by oneself; the security admin role by the system admin.
    for assignment in RoleAssignment.objects.select_related("granted_by"):
        assert assignment.granted_by_id is not None and assignment.granted_by_id != assignment.user_id
        if assignment.role == Role.SECURITY_ADMIN:
            assert assignment.granted_by.has_role(Role.SYSTEM_ADMIN)
        elif assignment.role != Role.INFORMANT:
            assert assignment.granted_by.has_role(Role.SECURITY_ADMIN)
    for assignment in RoleAssignment.objects.filter(role__in=ADMIN_ROLES).select_related("user"):
        device = TOTPDevice.objects.get(user=assignment.user)
        assert device.confirmed and device.name == DEMO_DEVICE_NAME
        assert device.key == demo_totp_key(2026, assignment.user.username)


def test_key_accounts_sit_where_the_instructions_say(seeded):
    anchors = seeded.anchors
    for username, (anchor, slot, _) in KEY_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.unit_id == anchors[anchor].pk, username
        assert user.role_set == {slot}, username
        assert user.is_active
    assert InformantRecord.objects.filter(
        person__username="ap_xxy",
        unit=anchors["township"],
        kind=InformantKind.FULL_TIME,
        end_date__isnull=True,
    ).exists()


def test_direct_reporting_points_report_to_higher_offices_on_their_own_chain(seeded):
    links = list(DirectReportingTarget.objects.select_related("unit", "office"))
    assert len({link.unit_id for link in links}) == 3
    kinds = {link.unit.kind for link in links}
    assert {UnitKind.TOWNSHIP, UnitKind.DEPARTMENT} <= kinds
    for link in links:
        assert link.office.is_receiving_office
        assert LEVEL_RANK[Level(link.office.level)] < LEVEL_RANK[Level(link.unit.level)]
        assert link.unit.path.startswith(link.office.parent.path)


def test_one_audit_row_records_the_run_and_the_chain_holds(seeded):
    rows = AuditEvent.objects.filter(event_type=EventType.IMPORT, object_type="demo.seed")
    assert rows.count() == 1
    detail = rows.get().detail
    assert detail["seed"] == 2026 and detail["counts"]["units"] == Unit.objects.count()
    assert detail["counts"]["people"] == User.objects.count()
    assert audit_verify_chain().ok


def test_an_informant_logs_in_with_the_demo_password_straight_to_the_home_page(seeded, client):
    response = client.post(reverse("accounts:login"), {"username": "ap_xxy", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_an_admin_logs_in_with_the_demo_authenticator(seeded, client):
    response = client.post(reverse("accounts:login"), {"username": "mj_sjgl", "password": DEMO_PASSWORD})
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    device = TOTPDevice.objects.get(user__username="mj_sjgl")
    done = client.post(reverse("accounts:otp_verify"), {"token": f"{totp(device.bin_key):06d}"})
    assert done.status_code == 302
    assert client.get(reverse("home")).status_code == 200
