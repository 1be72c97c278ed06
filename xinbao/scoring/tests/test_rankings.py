"""Rankings with the roll-up (seed: 市总分 = 本级 + 所辖县之和 / 县数) and the ``rankings`` command."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from xinbao.orgs.models import Level, UnitKind
from xinbao.orgs.tests.factories import make_unit
from xinbao.scoring.models import RuleSet
from xinbao.scoring.periods import parse_period
from xinbao.scoring.rankings import unit_ranking
from xinbao.scoring.rules import default_rules
from xinbao.scoring.tests.support import put_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(world):
    """A second city (海宁市, one county) next to 江州市 (安平县, 石桥县), scored by the province office."""
    w = world
    city2 = make_unit(parent=w.province, name="海宁市", level=Level.CITY, kind=UnitKind.REGION, code="HN")
    c2o = make_unit(
        parent=city2,
        name="中共海宁市委办公室",
        level=Level.CITY,
        kind=UnitKind.PARTY_OFFICE,
        receiving=True,
        code="HNO",
    )
    c2county = make_unit(parent=city2, name="临江县", level=Level.COUNTY, kind=UnitKind.REGION, code="LJ")
    c2town = make_unit(
        parent=c2county, name="临江镇", level=Level.TOWNSHIP, kind=UnitKind.TOWNSHIP, code="LJZ"
    )
    w.extra.update(city2=city2, c2o=c2o, c2county=c2county, c2town=c2town)
    day = date(2026, 2, 10)
    put_entries(
        w.province_party_office,
        2026,
        [
            (w.city_party_office.pk, "30"),  # 江州市本级 30
            (w.township.pk, "40"),  # 安平县 = 城关镇 40 + 县委办 20 = 60
            (w.county_party_office.pk, "20"),
            (w.other_township.pk, "10"),  # 石桥县 = 10
            (c2o.pk, "50"),  # 海宁市本级 50
            (c2town.pk, "20"),  # 临江县 = 20
        ],
        day=day,
    )
    return w


def by_code(rows):
    return {r.code: r for r in rows}


def test_city_total_is_own_plus_mean_of_counties(province):
    w = province
    rows = unit_ranking(office=w.province_party_office, period=parse_period("2026Q1"), level=Level.CITY)
    got = by_code(rows)
    jz, hn = got[w.city.code], got["HN"]
    # 江州市 = 30 + (60 + 10) / 2 = 65; 海宁市 = 50 + 20 / 1 = 70.
    assert (jz.own, jz.total) == (Decimal("30.00"), Decimal("65.00"))
    assert (hn.own, hn.total) == (Decimal("50.00"), Decimal("70.00"))
    assert [r.code for r in rows] == ["HN", w.city.code] and [r.rank for r in rows] == [1, 2]
    assert sorted(jz.children) == sorted([w.county.code, w.other_county.code])


def test_other_rollups_sum_own_weighted(province):
    w = province
    office = w.province_party_office
    period = parse_period("2026")
    for rollup, expected in [
        ({"method": "sum"}, Decimal("100.00")),  # 30 + 60 + 10
        ({"method": "own"}, Decimal("30.00")),
        (
            {"method": "weighted", "own_weight": 0.6, "children_weight": 0.4},
            Decimal("32.00"),
        ),  # 18 + 35 × 0.4
    ]:
        rules = default_rules()
        rules["rollup"].update(rollup)
        RuleSet.objects.filter(office=office, year=2026).update(rules=rules)
        assert by_code(unit_ranking(office=office, period=period))[w.city.code].total == expected, rollup


def test_period_outside_the_entries_ranks_everyone_at_zero_with_shared_rank(province):
    rows = unit_ranking(
        office=province.province_party_office, period=parse_period("2026-05"), level=Level.CITY
    )
    assert [(r.total, r.rank) for r in rows] == [(Decimal("0.00"), 1), (Decimal("0.00"), 1)]


def run(*args):
    out = StringIO()
    call_command("rankings", *args, stdout=out)
    return out.getvalue()


def test_rankings_command_json(province):
    w = province
    data = json.loads(
        run(
            "--office",
            w.province_party_office.code,
            "--period",
            "2026-01-01..2026-06-30",
            "--json",
            "--level",
            "city",
        )
    )
    assert [(r["unit"], r["own"], r["total"], r["rank"]) for r in data] == [
        ("HN", 50.0, 70.0, 1),
        (w.city.code, 30.0, 65.0, 2),
    ]
    assert {"unit", "name", "level", "own", "total", "rank", "children"} <= set(data[0])
    assert data[0]["children"] == ["LJ"] and data[0]["level"] == "city"
    # Composite (default weights: 信息采用 70, 领导批示 30) over the rolled-up category points: every entry here
    # is an adoption, so 海宁市 (70, the best) gets 700 and 江州市 70 × 10 × 65 / 70 = 650; nobody has a 批示.
    assert [(r["unit"], r["composite"]) for r in data] == [("HN", 700.0), (w.city.code, 650.0)]
    # Without --office: under the root (明江省), assessed by its party office — the same figures.
    rows = {r["unit"]: r for r in json.loads(run("--period", "2026", "--json"))}
    assert rows[w.city.code]["total"] == 65.0 and rows["HN"]["total"] == 70.0
    # A region code stands for its party office.
    assert (
        json.loads(run("--office", "MJ", "--period", "2026Q1", "--json", "--level", "city"))[0]["unit"]
        == "HN"
    )


def test_rankings_command_builds_a_missing_ledger(world):
    data = json.loads(run("--office", world.county_party_office.code, "--period", "2026", "--json"))
    assert {r["unit"] for r in data} == {
        u.code
        for u in [
            world.county_dept,
            world.township,
            world.township2,
        ]
    }
    assert all(r["total"] == 0 for r in data)  # the county's two offices assess; they are not ranked


@pytest.mark.parametrize(
    "args, message",
    [
        (["--period", "2026Q5"], "考核期间“2026Q5”无效"),
        (["--period", "2026-13"], "考核期间“2026-13”无效"),
        (["--period", "2026-06-30..2026-01-01"], "无效"),
        (["--period", "去年"], "无效"),
        (["--office", "NOPE", "--period", "2026"], "单位编码“NOPE”不存在"),
    ],
)
def test_rankings_command_exit_2(world, capsys, args, message):
    with pytest.raises(SystemExit) as info:
        call_command("rankings", *args, "--json")
    assert info.value.code == 2
    assert message in capsys.readouterr().err
