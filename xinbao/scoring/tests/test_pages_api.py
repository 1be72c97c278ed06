"""Pages, exports and API with the permission matrix: the office's editors and leaders see its rankings, a unit
sees its own score, another county's editor is refused (404) — PRODUCT 3.5/4, house habit 8."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from xinbao.accounts.models import Role
from xinbao.accounts.services import token_issue
from xinbao.accounts.tests.factories import make_user
from xinbao.api.tests.conftest import ApiClient
from xinbao.reports.tests.factories import make_cast
from xinbao.scoring.models import LedgerBuild, RuleSet
from xinbao.scoring.rules import default_rules
from xinbao.scoring.tests.support import adopted_item, at, record_external

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world):
    c = make_cast(world)
    item = adopted_item(world, c, day=date(2026, 3, 10), city=True)
    record_external(c, item, level="province", publication="明江信息专报", day=date(2026, 3, 12))
    return c


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api(user) -> ApiClient:
    return ApiClient(token_issue(user=user, name="测试")[1])


def rankings_url(world, period="2026Q1", **extra):
    params = "&".join(
        f"{k}={v}" for k, v in {"office": world.county_party_office.pk, "period": period, **extra}.items()
    )
    return f"{reverse('scoring:rankings')}?{params}"


def test_office_editor_and_leader_see_the_ranking_and_drill_down(world, cast):
    with at(date(2026, 4, 2)):
        for who in (cast.county_editor, cast.county_leader, cast.city_editor):
            page = login(who).get(rankings_url(world))
            assert page.status_code == 200, who
            html = page.content.decode()
            assert "城关镇" in html and "30.00" in html  # 市 10 + 省 20
        unit_page = login(cast.county_editor).get(
            reverse("scoring:unit", args=[world.county_party_office.pk, world.township.pk]) + "?period=2026Q1"
        )
    html = unit_page.content.decode()
    assert "adoption.province" in html and "adoption.city" in html
    assert reverse("reports:detail", args=[cast.informant.authored_reports.first().pk]) in html


def test_a_unit_sees_its_own_score_only(world, cast):
    with at(date(2026, 4, 2)):
        # The ledger is built by the office (the township's people only read).
        assert login(cast.county_editor).get(rankings_url(world)).status_code == 200
        informant = login(cast.informant)
        own = informant.get(
            reverse("scoring:unit", args=[world.county_party_office.pk, world.township.pk]) + "?period=2026Q1"
        )
        assert own.status_code == 200 and "30.00" in own.content.decode()
        assert (
            informant.get(
                reverse("scoring:unit", args=[world.county_party_office.pk, world.township2.pk])
            ).status_code
            == 404
        )
        # The ranking page sends them to their own score.
        assert informant.get(rankings_url(world)).status_code == 302
        assert (
            informant.get(
                reverse("scoring:rankings_export") + f"?office={world.county_party_office.pk}"
            ).status_code
            == 404
        )
        sibling = login(cast.sibling_informant)
        assert (
            sibling.get(
                reverse("scoring:unit", args=[world.county_party_office.pk, world.township.pk])
            ).status_code
            == 404
        )


def test_another_countys_editor_is_refused_everywhere(world, cast):
    office = world.county_party_office
    c = login(cast.other_editor)
    with at(date(2026, 4, 2)):
        assert c.get(rankings_url(world)).status_code == 404
        assert c.get(reverse("scoring:unit", args=[office.pk, world.township.pk])).status_code == 404
        assert c.get(reverse("scoring:rules", args=[office.pk])).status_code == 404
        assert c.get(reverse("scoring:quotas") + f"?office={office.pk}").status_code == 404
        assert c.post(reverse("scoring:rebuild"), {"office": office.pk, "year": 2026}).status_code == 404
        client = api(cast.other_editor)
        for path in (
            "rankings",
            "informant-rankings",
            "quotas",
            "rule-sets",
            f"units/{world.township.pk}/ledger",
        ):
            assert client.get(f"/scoring/offices/{office.pk}/{path}").status_code == 404, path
        assert client.post(f"/scoring/offices/{office.pk}/rebuild", {"year": 2026}).status_code == 404
    assert not LedgerBuild.objects.filter(office=office).exists()


def test_rankings_export_is_the_pages_table(world, cast):
    with at(date(2026, 4, 2)):
        response = login(cast.county_editor).get(
            reverse("scoring:rankings_export") + f"?office={world.county_party_office.pk}&period=2026Q1"
        )
    assert response.status_code == 200
    rows = list(
        load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[0][:6] == ("名次", "单位编码", "单位", "层级", "本级得分", "总分")
    assert (rows[1][1], rows[1][5]) == (world.township.code, 30)


def test_rule_editor_saves_a_version_and_refuses_an_invalid_edit(world, cast):
    office = world.county_party_office
    url = reverse("scoring:rules", args=[office.pk]) + "?year=2026"
    editor = login(cast.county_editor)
    page = editor.get(url)
    assert page.status_code == 200 and "central_party" in page.content.decode()
    rules = default_rules()
    rules["adoption"]["several"] = "highest"
    ok = editor.post(
        url, {"name": "2026年度计分办法", "rules": json.dumps(rules), "note": "只计最高", "base_version": 0}
    )
    assert ok.status_code == 302
    assert RuleSet.objects.get(office=office, year=2026).rules["adoption"]["several"] == "highest"
    bad = default_rules()
    bad["rollup"]["method"] = "median"
    refused = editor.post(url, {"rules": json.dumps(bad), "base_version": 1})
    assert refused.status_code == 200 and "rollup.method" in refused.content.decode()
    assert editor.post(url, {"rules": "{not json", "base_version": 1}).status_code == 200
    assert RuleSet.objects.filter(office=office).count() == 1
    # bob: the county's government office editor sees the rules of the party office but may not change them.
    bob = login(cast.county_gov_editor)
    assert bob.get(url).status_code == 200
    assert bob.post(url, {"rules": json.dumps(rules), "base_version": 1}).status_code == 404
    assert RuleSet.objects.filter(office=office).count() == 1


def test_api_rule_sets_rankings_ledger_quotas(world, cast):
    office = world.county_party_office
    client = api(cast.county_editor)
    bad = client.post(
        f"/scoring/offices/{office.pk}/rule-sets",
        {"year": 2026, "rules": {"adoption": {"points": {"city": "十"}}}},
    )
    assert bad.status_code == 400 and "adoption.points.city" in bad.json()["message"]
    assert not RuleSet.objects.filter(office=office).exists()
    rules = default_rules()
    rules["adoption"]["points"]["city"] = 12
    created = client.post(
        f"/scoring/offices/{office.pk}/rule-sets", {"year": 2026, "rules": rules, "base_version": 0}
    )
    assert created.status_code == 201 and created.json()["version"] == 1
    built = client.post(f"/scoring/offices/{office.pk}/rebuild", {"year": 2026})
    assert built.status_code == 200 and built.json()["rule_version"] == 1 and built.json()["entry_count"] == 2
    ranking = client.get(f"/scoring/offices/{office.pk}/rankings", {"period": "2026Q1"}).json()
    top = ranking[0]
    assert (top["unit"], top["total"], top["rank"]) == (world.township.code, 32.0, 1)
    assert client.get(f"/scoring/offices/{office.pk}/rankings", {"period": "2026Q9"}).status_code == 400
    ledger = client.get(
        f"/scoring/offices/{office.pk}/units/{world.township.pk}/ledger", {"period": "2026"}
    ).json()
    assert ledger["count"] == 2 and {e["rule_key"] for e in ledger["results"]} == {
        "adoption.city",
        "adoption.province",
    }
    people = client.get(f"/scoring/offices/{office.pk}/informant-rankings", {"period": "2026"}).json()
    assert people[0]["person_id"] == cast.informant.pk and people[0]["total"] == 32.0
    quotas = client.get(f"/scoring/offices/{office.pk}/quotas", {"period": "2026Q1"})
    assert quotas.status_code == 200 and "units" in quotas.json()
    circular = client.get(f"/scoring/offices/{office.pk}/circular", {"period": "2026Q1"}).json()
    assert circular["title"] == "关于2026年第一季度信息工作情况的通报"
    assert circular["rows"][0]["adopted"] == {"city": 1, "province": 1, "central": 0}
    honours = client.get(f"/scoring/offices/{office.pk}/commendations", {"year": 2026}).json()
    assert [p["name"] for p in honours["informants"]] == ["朱建国"] and honours["items"][0]["points"] == 32.0
    # The informant reaches their own unit's ledger, not the ranking.
    own = api(cast.informant)
    assert (
        own.get(f"/scoring/offices/{office.pk}/units/{world.township.pk}/ledger", {"period": "2026"}).json()[
            "count"
        ]
        == 2
    )
    assert own.get(f"/scoring/offices/{office.pk}/rankings").status_code == 404


def test_quotas_page_and_exports(world, cast):
    make_user(world.township, Role.UNIT_ADMIN, username="bob", full_name="鲍勃")
    c = login(cast.county_editor)
    with at(date(2026, 4, 2)):
        page = c.get(reverse("scoring:quotas") + f"?office={world.county_party_office.pk}&period=2026Q1")
        assert page.status_code == 200 and "重点督查" in page.content.decode()
        for table in ("informants", "units", "supervision", "inactive"):
            r = c.get(
                reverse("scoring:quotas_export")
                + f"?office={world.county_party_office.pk}&period=2026Q1&table={table}"
            )
            assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml"), table


def test_informant_tab_rebuild_button_and_read_only_rules(world, cast):
    office = world.county_party_office
    c = login(cast.county_leader)
    with at(date(2026, 4, 2)):
        page = c.get(rankings_url(world, tab="informants"))
        assert page.status_code == 200 and "朱建国" in page.content.decode()
        first = LedgerBuild.objects.get(office=office, year=2026, is_current=True)
        done = c.post(reverse("scoring:rebuild"), {"office": office.pk, "year": 2026, "period": "2026Q1"})
        assert done.status_code == 302
        again = LedgerBuild.objects.get(office=office, year=2026, is_current=True)
        assert again.pk != first.pk and again.digest == first.digest
        bad = login(cast.county_editor).get(rankings_url(world, period="2026Q7"))
        assert bad.status_code == 200 and "考核期间“2026Q7”无效" in bad.content.decode()
    # The leader may edit (an office's editors and leaders own its rules); bob from the 政府办 reads only.
    rules_page = login(cast.county_gov_editor).get(reverse("scoring:rules", args=[office.pk]))
    assert rules_page.status_code == 200 and 'id="rules-json"' in rules_page.content.decode()
