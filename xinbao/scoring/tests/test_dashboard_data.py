"""The dashboard's JSON figures (PRODUCT 3.5 item 7) against hand-computed sums, with the permission matrix."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.reports.tests.factories import make_cast
from xinbao.scoring.tests.support import adopted_item, at, record_external

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world):
    c = make_cast(world)
    item = adopted_item(world, c, day=date(2026, 3, 10), city=True)
    record_external(c, item, level="province", publication="明江信息专报", day=date(2026, 3, 12))
    return c


def url(world, period="2026Q1"):
    return f"{reverse('scoring:dashboard_data')}?office={world.county_party_office.pk}&period={period}"


def get(user, world, period="2026Q1"):
    c = Client()
    c.force_login(user)
    return c.get(url(world, period))


def test_figures_are_the_ledgers_sums(world, cast):
    with at(date(2026, 4, 2)):
        data = get(cast.county_editor, world).json()
    # 城关镇: one city adoption (10) on 10 March and one provincial one (20) on 12 March.
    assert data["by_unit"] == [
        {"unit": world.township.pk, "name": world.township.name, "points": "30.00", "entries": 2}
    ]
    assert {r["rule"]: r["points"] for r in data["by_rule"]} == {
        "adoption.city": "10.00",
        "adoption.province": "20.00",
    }
    assert data["by_month"] == [{"month": "2026-03", "points": "30.00", "entries": 2}]
    assert data["imbalance"] == {"units": 1, "mean": "2.00", "spread": "0.00", "max": 2, "min": 2}


def test_an_empty_period_has_no_figures(world, cast):
    with at(date(2026, 8, 2)):
        data = get(cast.county_editor, world, "2026Q2").json()
    assert data["by_unit"] == [] and data["by_month"] == []
    assert data["imbalance"]["units"] == 0


def test_permissions_and_a_bad_period(world, cast):
    duty = make_user(world.county_party_office, Role.DUTY_OFFICER, username="zbry", full_name="值班员")
    clerk = make_user(world.county_party_office, Role.INFORMANT, username="bgsxxy", full_name="办公室信息员")
    with at(date(2026, 4, 2)):
        assert get(cast.county_leader, world).status_code == 200
        assert get(duty, world).status_code == 200  # the office's duty desk reads the office's figures too
        assert get(clerk, world).status_code == 404  # the office's colleague in a role that does not oversee
        assert get(cast.informant, world).status_code == 404  # a unit sees its own score page only
        assert get(cast.other_editor, world).status_code == 404  # another county
        assert get(cast.county_editor, world, "2026Q9").status_code == 400


def test_page_drills_down_and_exports_its_table(world, cast):
    c = Client()
    c.force_login(cast.county_editor)
    office = world.county_party_office
    with at(date(2026, 4, 2)):
        page = c.get(f"{reverse('scoring:dashboard')}?office={office.pk}&period=2026Q1")
        export = c.get(f"{reverse('scoring:dashboard_export')}?office={office.pk}&period=2026Q1")
        other = Client()
        other.force_login(cast.other_editor)
        refused = other.get(f"{reverse('scoring:dashboard')}?office={office.pk}&period=2026Q1")
        refused_export = other.get(f"{reverse('scoring:dashboard_export')}?office={office.pk}&period=2026Q1")
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("scoring:unit", args=[office.pk, world.township.pk]) + "?period=2026Q1" in html
    assert "30.00" in html and "scoring/dashboard.js" in html
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert [world.township.name, 30, 2] in rows
    assert refused.status_code == 404 and refused_export.status_code == 404


def test_api_gives_the_same_figures(world, cast):
    from xinbao.accounts.services import token_issue
    from xinbao.api.tests.conftest import ApiClient

    office = world.county_party_office
    with at(date(2026, 4, 2)):
        mine = ApiClient(token_issue(user=cast.county_editor, name="测试")[1])
        data = mine.get(f"/scoring/offices/{office.pk}/dashboard", {"period": "2026Q1"}).json()
        assert data == get(cast.county_editor, world).json()
        theirs = ApiClient(token_issue(user=cast.other_editor, name="测试")[1])
        assert theirs.get(f"/scoring/offices/{office.pk}/dashboard", {"period": "2026Q1"}).status_code == 404


def test_completion_and_counts_by_type_and_level(world, cast):
    with at(date(2026, 4, 2)):
        data = get(cast.county_editor, world).json()
    # 城关镇 submitted its one item in March against 10 a month × 3 months; nobody else submitted anything.
    first, *rest = data["completion"]
    assert first == {
        "unit": world.township.pk,
        "name": world.township.display_name,
        "submitted": 1,
        "expected": 30,
        "rate": "3.3",
        "under": True,
    }
    assert rest and all(u["rate"] == "0.0" and u["under"] for u in rest)
    assert world.county_dept.pk in {u["unit"] for u in rest}
    assert world.county_party_office.pk not in {u["unit"] for u in data["completion"]}  # offices assess
    # The item (动态) was adopted by the county, by the city (forwarded) and recorded as adopted by the province.
    by_type = {t["type"]: t for t in data["by_type"]}
    assert by_type["dynamic"] == {"type": "dynamic", "label": "动态", "submitted": 1, "adopted": 1}
    assert (
        sum(t["submitted"] for t in data["by_type"]) == 1 and sum(t["adopted"] for t in data["by_type"]) == 1
    )
    assert [(lv["level"], lv["items"], lv["adoptions"]) for lv in data["by_level"]] == [
        ("central", 0, 0),
        ("province", 1, 1),
        ("city", 1, 1),
        ("county", 1, 1),
        ("township", 0, 0),
    ]


def test_a_unit_meeting_its_quota_is_not_under_it(world, cast):
    from xinbao.scoring.models import RuleSet
    from xinbao.scoring.rules import default_rules
    from xinbao.scoring.services import ruleset_ensure

    office = world.county_party_office
    ruleset_ensure(office=office, year=2026)
    rules = default_rules()
    rules["quota"]["unit_monthly"] = 1
    RuleSet.objects.filter(office=office, year=2026).update(rules=rules)
    with at(date(2026, 4, 2)):
        data = get(cast.county_editor, world, "2026-03").json()
    assert data["completion"][0] == {
        "unit": world.township.pk,
        "name": world.township.display_name,
        "submitted": 1,
        "expected": 1,
        "rate": "100.0",
        "under": False,
    }


def read_xlsx(response) -> list[list]:
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    return [list(r) for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]


def test_every_table_exports_and_each_export_is_audited(world, cast):
    from xinbao.audit.models import AuditEvent, EventType

    c = Client()
    c.force_login(cast.county_leader)
    base = f"{reverse('scoring:dashboard_export')}?office={world.county_party_office.pk}&period=2026Q1"
    with at(date(2026, 4, 2)):
        completion = read_xlsx(c.get(base + "&table=completion"))
        types = read_xlsx(c.get(base + "&table=types"))
        levels = read_xlsx(c.get(base + "&table=levels"))
        units = read_xlsx(c.get(base + "&table=units"))
        assert c.get(base + "&table=nothing").status_code == 404
        page = c.get(f"{reverse('scoring:dashboard')}?office={world.county_party_office.pk}&period=2026Q1")
    assert completion[0] == ["单位", "报送", "应报", "完成率%", "未完成任务"]
    assert completion[1] == [world.township.display_name, 1, 30, 3.3, "是"]
    assert types[0] == ["信息类型", "报送", "采用"] and ["动态", 1, 1] in types
    assert (
        levels[0] == ["采用层级", "采用条数", "采用次数"]
        and ["省", 1, 1] in levels
        and ["中央", 0, 0] in levels
    )
    assert units[1] == [world.township.name, 30, 2]
    events = AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT).order_by("id")
    assert [(e.detail["what"], e.actor_id) for e in events] == [
        ("dashboard_completion", cast.county_leader.pk),
        ("dashboard_types", cast.county_leader.pk),
        ("dashboard_levels", cast.county_leader.pk),
        ("dashboard_units", cast.county_leader.pk),
    ]
    html = page.content.decode()
    for table in ("completion", "types", "levels"):
        assert f"&table={table}" in html, table
        assert f'id="chart-{table}"' in html
    assert 'class="badge text-bg-danger"' in html  # under quota, highlighted


def test_new_exports_refuse_who_may_not_see_the_office(world, cast):
    from xinbao.audit.models import AuditEvent, EventType

    clerk = make_user(world.county_party_office, Role.INFORMANT, username="bgsxxy", full_name="办公室信息员")
    base = f"{reverse('scoring:dashboard_export')}?office={world.county_party_office.pk}&period=2026Q1"
    with at(date(2026, 4, 2)):
        for table in ("completion", "types", "levels"):
            for who, status in (
                (cast.county_editor, 200),  # the office's editor
                (clerk, 404),  # a colleague of the office in a role that does not oversee
                (cast.informant, 404),  # the scored unit's own informant
                (cast.other_editor, 404),  # another county's editor
            ):
                c = Client()
                c.force_login(who)
                assert c.get(f"{base}&table={table}").status_code == status, (table, who.username)
    assert AuditEvent.objects.filter(event_type=EventType.DATA_EXPORT).count() == 3
