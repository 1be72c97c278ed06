"""Follow-up work in the scoring ledger: 批示 credited to the origin unit, 约稿 outcomes, late feedback, links."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from xinbao.followups.models import CommissionKind, LeaderRank
from xinbao.followups.scoring_events import commission_outcome
from xinbao.followups.services import assignment_create, commission_answer_submit, commission_publish
from xinbao.followups.tests.conftest import at
from xinbao.followups.tests.factories import record
from xinbao.scoring.models import LedgerEntry
from xinbao.scoring.rules import default_rules
from xinbao.scoring.services import ledger_rebuild, ruleset_save

pytestmark = pytest.mark.django_db


def _rows(build):
    return list(
        LedgerEntry.objects.filter(build=build)
        .exclude(kind="quota_met")
        .order_by("seq")
        .values_list("unit_id", "person_id", "points", "rule_key", "source_type")
    )


@pytest.fixture
def scene(world, people, report, frozen):
    """A 市 and a 县 leader's 批示 on 城关镇's item, a 约稿 to both townships (only 城关镇 answers on time) and an
    assignment to 城关镇 nobody answers; then the clock moves past every deadline."""
    city = record(people, report, rank=LeaderRank.CITY, leader_name="王建国", leader_title="市委书记")
    county = record(people, report, instructed_on=date(2026, 9, 29))
    assignment_create(actor=people.alice, instruction=city, units=[world.township], workdays=3)
    commission = commission_publish(
        actor=people.alice,
        kind=CommissionKind.TOPIC,
        title="秋粮收购进展情况",
        body="请各乡镇报送秋粮收购进展、存在问题和建议。",
        deadline=date(2026, 9, 30),
        units=[world.township, world.township2],
    )
    commission_answer_submit(
        actor=people.informant,
        commission=commission,
        title="城关镇秋粮收购进展顺利",
        body="城关镇已收购秋粮三千吨，农户售粮顺畅。",
        report_type="dynamic",
    )
    frozen.move_to(at(2026, 11, 2, 10, 0))
    return city, county, commission


def test_default_rules_ledger_by_hand(world, people, report, scene):
    _city, _county, _commission = scene
    build = ledger_rebuild(actor=people.alice, office=world.county_party_office, year=2026)
    informant = people.informant.pk
    by_key = sorted(_rows(build), key=lambda r: (r[3], r[0]))
    assert by_key == sorted(
        [
            # 市 leader's 批示 +30, 县 leader's +10, both to the township and the item's author (PRODUCT 3.5).
            (world.township.pk, informant, Decimal("30.00"), "instruction.city", "followups.instruction"),
            (world.township.pk, informant, Decimal("10.00"), "instruction.county", "followups.instruction"),
            # 约稿: missed −10; answered on time and late feedback are 0 by default (no entry: zero is not written).
            (world.township2.pk, None, Decimal("-10.00"), "commission.missed", "followups.commissiontarget"),
        ],
        key=lambda r: (r[3], r[0]),
    )


def test_rebuild_twice_gives_the_same_digest(world, people, scene):
    first = ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    second = ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    assert first.digest and first.digest == second.digest and first.entry_count == second.entry_count


def test_other_county_ledger_has_none_of_it(world, people, scene):
    build = ledger_rebuild(actor=None, office=world.other_party_office, year=2026)
    assert not LedgerEntry.objects.filter(build=build, source_type__startswith="followups.").exists()


def test_unit_score_page_links_each_entry_to_its_source(client, world, people, scene):
    city, county, commission = scene
    rules = default_rules()
    rules["commission"]["answered"] = 2
    rules["instruction"]["feedback_late"] = -3
    ruleset_save(actor=people.alice, office=world.county_party_office, year=2026, rules=rules)
    build = ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    assert (
        world.township.pk,
        None,
        Decimal("-3.00"),
        "instruction.feedback_late",
        "followups.assignmenttarget",
    ) in (_rows(build))
    client.force_login(people.alice)
    html = client.get(
        reverse("scoring:unit", args=[world.county_party_office.pk, world.township.pk]) + "?period=2026"
    ).content.decode()
    target = city.assignments.get().targets.get()
    for url in (
        reverse("followups:instruction", args=[city.pk]),
        reverse("followups:instruction", args=[county.pk]),
        reverse("followups:commission", args=[commission.pk]),
        reverse("followups:target", args=[target.pk]),
    ):
        assert url in html, url


@pytest.mark.parametrize(
    ("answered", "today", "outcome"),
    [
        (date(2026, 9, 30), date(2026, 10, 8), "answered"),
        (date(2026, 10, 1), date(2026, 10, 8), "late"),
        (None, date(2026, 10, 1), "missed"),
        (None, date(2026, 9, 30), None),  # deadline day itself: still open, no event yet
    ],
)
def test_commission_outcome(answered, today, outcome):
    assert commission_outcome(answered, date(2026, 9, 30), today) == outcome


def test_forwarded_item_instruction_credits_the_original_township(world, people, report, frozen):
    from xinbao.reports.services import report_forward

    forwarded = report_forward(actor=people.alice, report=report)
    with time_machine.travel(at(2026, 10, 9, 10, 0), tick=False):
        record(people, forwarded, rank=LeaderRank.CITY, instructed_on=date(2026, 10, 9))
        build = ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    assert _rows(build) == [
        (
            world.township.pk,
            people.informant.pk,
            Decimal("30.00"),
            "instruction.city",
            "followups.instruction",
        )
    ]
