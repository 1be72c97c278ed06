"""Emergency reporting in the scoring ledger: the circular's outcome per incident, priced by the office's rules."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from xinbao.emergencies.services import incident_report_submit, reporting_issue_record
from xinbao.emergencies.tests.factories import BODY, make_cast, register
from xinbao.scoring.models import LedgerEntry
from xinbao.scoring.rules import default_rules
from xinbao.scoring.services import ledger_rebuild, ruleset_save

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def cast(world):
    return make_cast(world)


def _issue(cast, incident, kind):
    reporting_issue_record(
        actor=cast.editor,
        incident=incident,
        kind=kind,
        source="media",
        learned_at=timezone.now(),
        evidence="江州晚报报道了此事件，单位未如实报告。",
    )


@pytest.fixture
def scene(world, cast):
    """On 10 November 2026: one incident reported on time, one never written up (late by the next day), one
    missed (漏报) and one reported on time but concealed (瞒报); the ledger is rebuilt a day later."""
    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI), tick=False) as clock:
        timely = register(cast, world, title="城关镇南街居民楼火灾")
        incident_report_submit(actor=cast.informant, incident=timely, kind="first", body=BODY)
        late = register(cast, world, title="城关镇北街燃气泄漏")
        missed = register(cast, world, by_phone=False, title="城关镇河道溺水事件")
        _issue(cast, missed, "missed")
        concealed = register(cast, world, title="城关镇工地坍塌")
        incident_report_submit(actor=cast.informant, incident=concealed, kind="first", body=BODY)
        _issue(cast, concealed, "concealed")
        clock.move_to(datetime(2026, 11, 11, 9, 0, tzinfo=SHANGHAI))
        yield clock, {"timely": timely, "late": late, "missed": missed, "concealed": concealed}


def _rules(cast, world):
    rules = default_rules()
    rules["emergency"].update({"late": -2, "missed": -5, "concealed": -10})
    ruleset_save(actor=cast.editor, office=world.county_party_office, year=2026, rules=rules)


def _rows(build):
    return list(
        LedgerEntry.objects.filter(build=build, source_type="emergencies.incident")
        .order_by("source_id", "rule_key")
        .values_list("source_id", "unit_id", "points", "rule_key")
    )


def test_ledger_by_hand(world, cast, scene):
    _clock, inc = scene
    # Default rules price every outcome 0 (PRODUCT 3.5 leaves the penalties to the office): no entries.
    build = ledger_rebuild(actor=cast.editor, office=world.county_party_office, year=2026)
    assert _rows(build) == []
    _rules(cast, world)
    build = ledger_rebuild(actor=cast.editor, office=world.county_party_office, year=2026)
    t = world.township.pk
    assert _rows(build) == [
        (inc["late"].pk, t, Decimal("-2.00"), "emergency.late"),
        (inc["missed"].pk, t, Decimal("-5.00"), "emergency.missed"),
        (inc["concealed"].pk, t, Decimal("-10.00"), "emergency.concealed"),
    ]


def test_rebuild_twice_same_digest_and_other_county_empty(world, cast, scene):
    _rules(cast, world)
    first = ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    second = ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    assert first.digest == second.digest and first.entry_count == second.entry_count == 3
    other = ledger_rebuild(actor=None, office=world.other_party_office, year=2026)
    assert not LedgerEntry.objects.filter(build=other, source_type="emergencies.incident").exists()


def test_unit_score_page_links_each_entry_to_the_incident(client, world, cast, scene):
    _clock, inc = scene
    _rules(cast, world)
    ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    client.force_login(cast.editor)
    html = client.get(
        reverse("scoring:unit", args=[world.county_party_office.pk, world.township.pk]) + "?period=2026"
    ).content.decode()
    for name in ("late", "missed", "concealed"):
        assert reverse("emergencies:detail", args=[inc[name].pk]) in html
    assert reverse("emergencies:detail", args=[inc["timely"].pk]) not in html


def test_incident_counts_in_the_year_it_occurred(world, cast, scene):
    clock, _inc = scene
    _rules(cast, world)
    clock.move_to(datetime(2027, 1, 5, 9, 0, tzinfo=SHANGHAI))
    build = ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    assert len(_rows(build)) == 3
    ruleset_save(actor=cast.editor, office=world.county_party_office, year=2027, rules=default_rules())
    later = ledger_rebuild(actor=None, office=world.county_party_office, year=2027)
    assert _rows(later) == []
