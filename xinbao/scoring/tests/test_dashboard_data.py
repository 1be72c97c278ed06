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
