"""Hand-computed ledgers for each rule variant of PRODUCT 3.5 (pure engine, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xinbao.common.errors import ValidationFailed
from xinbao.scoring.engine import price_events, split
from xinbao.scoring.events import ScoringEvent
from xinbao.scoring.rules import default_rules, validate_rules

D = Decimal
TOWN, TOWN2, COUNTY = 11, 12, 10
ALICE, BOB = 101, 102


def adoption(
    sid, adopter, *, unit=TOWN, people=(ALICE,), item=1, day=date(2026, 3, 5), mode="full", pub="", fwd=False
):
    from xinbao.scoring.sources.adoptions import publication_kind

    return ScoringEvent(
        kind="adoption",
        unit_id=unit,
        day=day,
        source_type="reports.adoptioncredit",
        source_id=sid,
        people=people,
        group=f"report:{item}",
        attrs={"adopter": adopter, "mode": mode, "publication_kind": publication_kind(pub), "forwarded": fwd},
    )


def instruction(sid, rank, *, item=1, unit=TOWN, day=date(2026, 3, 9)):
    return ScoringEvent(
        kind="instruction",
        unit_id=unit,
        day=day,
        source_type="bulletins.instruction",
        source_id=sid,
        people=(ALICE,),
        group=f"report:{item}",
        attrs={"leader_rank": rank},
    )


def ledger(events, **changes):
    rules = default_rules()
    for path, value in changes.items():
        section, _, key = path.partition("__")
        if key:
            rules[section][key] = value
        else:
            rules[section] = value
    rules = validate_rules(rules)
    return [
        (e.unit_id, e.person_id, e.points, e.rule_key)
        for e in price_events(events, rules, year_end=date(2026, 12, 31))
    ]


def total(rows, unit=TOWN):
    return sum((r[2] for r in rows if r[0] == unit), D(0))


def test_default_county_rule_adds_up_publications():
    # One item adopted by 市委办, 省委办 and 中办 (external, named publication): 10 + 20 + 50 = 80.
    rows = ledger(
        [adoption(1, "city"), adoption(2, "province"), adoption(3, "central_party", pub="中办《每日汇报》")]
    )
    assert rows == [
        (TOWN, ALICE, D("10.00"), "adoption.city"),
        (TOWN, ALICE, D("20.00"), "adoption.province"),
        (TOWN, ALICE, D("50.00"), "adoption.central_party"),
    ]
    assert total(rows) == 80


def test_default_adoption_by_own_county_or_township_earns_nothing():
    assert ledger([adoption(1, "county"), adoption(2, "township")]) == []


def test_highest_publication_only():
    events = [
        adoption(1, "city"),
        adoption(2, "central_gov"),
        adoption(3, "province"),
        adoption(4, "city", item=2),
    ]
    rows = ledger(events, adoption__several="highest")
    assert rows == [
        (TOWN, ALICE, D("30.00"), "adoption.central_gov"),
        (TOWN, ALICE, D("10.00"), "adoption.city"),
    ]


def test_forwarded_multipliers_province_x2_guoban_x5():
    mult = {"province": 2, "central_gov": 5}
    events = [
        adoption(1, "province", fwd=True),
        adoption(2, "central_gov", fwd=True),
        adoption(3, "city", fwd=True),
    ]
    rows = ledger(events, adoption__forwarded_multiplier=mult)
    assert [r[2:] for r in rows] == [
        (D("40.00"), "adoption.province.forwarded"),
        (D("150.00"), "adoption.central_gov.forwarded"),
        (D("10.00"), "adoption.city"),
    ]


def test_mode_and_publication_factors():
    events = [
        adoption(1, "city", mode="partial", pub="网站图片"),
        adoption(2, "province", mode="combined", item=2, pub="信息专报"),
    ]
    rows = ledger(
        events,
        adoption__mode_factor={"full": 1, "partial": 0.5, "combined": 0.8},
        adoption__publication_factor={"website_picture": 0.5, "special": 1.5},
    )
    # 10 × 0.5 × 0.5 = 2.5; 20 × 0.8 × 1.5 = 24
    assert [r[2] for r in rows] == [D("2.50"), D("24.00")]


def test_instruction_points_by_leader_rank_default():
    events = [
        instruction(1, "central"),
        instruction(2, "province"),
        instruction(3, "city"),
        instruction(4, "city_offices"),
        instruction(5, "county"),
    ]
    assert [r[2] for r in ledger(events)] == [D(50), D(40), D(30), D(20), D(10)]


def test_first_instruction_10_further_5():
    events = [
        instruction(1, "province", day=date(2026, 3, 9)),
        instruction(2, "central", day=date(2026, 3, 8)),
        instruction(3, "city"),
    ]
    rows = ledger(events, instruction__first=10, instruction__further=5)
    # The earliest (id 2, 3 月 8 日) is the first, whatever the leader's rank.
    assert sorted((r[3], r[2]) for r in rows) == [
        ("instruction.first", D(10)),
        ("instruction.further", D(5)),
        ("instruction.further", D(5)),
    ]


def test_commission_penalties_and_emergency_penalties():
    def ev(kind, sid, outcome):
        return ScoringEvent(
            kind=kind,
            unit_id=TOWN,
            day=date(2026, 4, 1),
            source_type=f"x.{kind}",
            source_id=sid,
            attrs={"outcome": outcome},
        )

    events = [
        ev("commission", 1, "missed"),
        ev("commission", 2, "late"),
        ev("commission", 3, "answered"),
        ev("emergency", 4, "late"),
        ev("emergency", 5, "missed"),
        ev("emergency", 6, "concealed"),
    ]
    rows = ledger(events, emergency={"timely": 2, "late": -5, "missed": -10, "concealed": -20})
    assert [(r[3], r[2]) for r in rows] == [
        ("commission.missed", D(-10)),
        ("commission.late", D(-10)),
        ("emergency.late", D(-5)),
        ("emergency.missed", D(-10)),
        ("emergency.concealed", D(-20)),
    ]


def test_joint_item_split_evenly_in_cents():
    rows = ledger([adoption(1, "city", people=(BOB, ALICE, 103))])
    assert rows == [
        (TOWN, ALICE, D("3.34"), "adoption.city"),
        (TOWN, BOB, D("3.33"), "adoption.city"),
        (TOWN, 103, D("3.33"), "adoption.city"),
    ]
    assert split(D("10"), ()) == [(None, D("10"))]


def test_joint_split_off_credits_the_unit_only():
    rows = ledger([adoption(1, "city", people=(BOB, ALICE))], joint_split=False)
    assert rows == [(TOWN, None, D("10.00"), "adoption.city")]


def test_monthly_base_score_for_meeting_quota():
    ev = ScoringEvent(
        kind="quota_met", unit_id=TOWN, day=date(2026, 3, 31), source_type="scoring.quota", source_id=202603
    )
    assert ledger([ev], quota__monthly_base=3) == [(TOWN, None, D(3), "quota.monthly_base")]


def test_direct_point_credited_to_county_by_remap():
    rules = validate_rules({"direct_point_to_county": True})
    rows = list(price_events([adoption(1, "city")], rules, remap={TOWN: COUNTY}))
    assert [(r.unit_id, r.points) for r in rows] == [(COUNTY, D(10))]


def test_caps_per_item_month_and_year():
    events = [
        adoption(1, "central_party"),
        adoption(2, "province"),  # item 1: 70, capped at 60 → −10
        adoption(
            3, "province", item=2, day=date(2026, 3, 20)
        ),  # March so far 60 + 20 = 80, month cap 70 → −10
        adoption(4, "central_gov", item=3, day=date(2026, 5, 2)),
    ]  # May 30; year 70 + 30 = 100, cap 90 → −10
    rows = ledger(events, caps={"per_item": 60, "unit_month": 70, "unit_year": 90})
    caps = [(r[3], r[2]) for r in rows if r[3].startswith("caps")]
    assert caps == [("caps.per_item", D(-10)), ("caps.unit_month", D(-10)), ("caps.unit_year", D(-10))]
    assert total(rows) == 90


def test_invalid_rule_documents_name_the_field():
    cases = [
        ({"adoption": {"points": {"city": "十"}}}, "adoption.points.city"),
        ({"adoption": {"several": "max"}}, "adoption.several"),
        ({"adoption": {"points": {"county_x": 1}}}, "adoption.points.county_x"),
        ({"instruction": {"first": 10}}, "instruction.further"),
        ({"rollup": {"method": "median"}}, "rollup.method"),
        ({"caps": {"unit_year": -1}}, "caps.unit_year"),
        ({"quota": {"informant_monthly": 4.5}}, "quota.informant_monthly"),
        ({"bonus": 1}, "bonus"),
    ]
    for doc, field in cases:
        with pytest.raises(ValidationFailed) as info:
            validate_rules(doc)
        assert info.value.field == field, doc
        assert field in info.value.message and "计分规则" in info.value.message
