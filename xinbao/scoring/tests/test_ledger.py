"""The ledger from real adoptions: credits back to origins, rule versions, deterministic rebuilds, refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xinbao.audit.models import AuditEvent
from xinbao.common.errors import NotPermitted, ValidationFailed
from xinbao.scoring.models import LedgerBuild, LedgerEntry, RuleSet
from xinbao.scoring.rules import default_rules
from xinbao.scoring.services import ledger_dump, ledger_rebuild, ruleset_save
from xinbao.scoring.tests.support import adopted_item, record_external

pytestmark = pytest.mark.django_db


def entries(build):
    return list(
        LedgerEntry.objects.filter(build=build)
        .order_by("seq")
        .values_list("unit_id", "person_id", "points", "rule_key")
    )


def test_adoptions_credit_the_originating_township_and_author(world, cast):
    item = adopted_item(world, cast, day=date(2026, 3, 10), city=True)
    record_external(cast, item, level="province", publication="明江信息专报", day=date(2026, 3, 20))
    record_external(cast, item, level="central", publication="国办《政务信息》", day=date(2026, 4, 2))
    build = ledger_rebuild(actor=cast.county_editor, office=world.county_party_office, year=2026)
    # County adoption 0 (PRODUCT is silent), 市委办 10 (partial counts fully by default), 省 20, 国办 30: they add up.
    assert entries(build) == [
        (world.township.pk, cast.informant.pk, Decimal("10.00"), "adoption.city"),
        (world.township.pk, cast.informant.pk, Decimal("20.00"), "adoption.province"),
        (world.township.pk, cast.informant.pk, Decimal("30.00"), "adoption.central_gov"),
    ]
    assert build.is_current and build.entry_count == 3 and build.rule_set.version == 1
    assert set(LedgerEntry.objects.filter(build=build).values_list("rule_version", flat=True)) == {1}


def test_rule_edit_is_a_new_version_and_the_rebuild_records_it(world, cast):
    item = adopted_item(world, cast, day=date(2026, 3, 10), city=True)
    record_external(cast, item, level="province", publication="明江信息专报", day=date(2026, 3, 20))
    office = world.county_party_office
    first = ledger_rebuild(actor=cast.county_editor, office=office, year=2026)
    rules = default_rules()
    rules["adoption"]["several"] = "highest"
    rules["adoption"]["forwarded_multiplier"]["city"] = 2
    v2 = ruleset_save(
        actor=cast.county_editor, office=office, year=2026, rules=rules, note="只计最高", base_version=1
    )
    assert v2.version == 2 and RuleSet.objects.filter(office=office, year=2026).count() == 2
    second = ledger_rebuild(actor=cast.county_editor, office=office, year=2026)
    # Highest only: max(市 10 × 2 forwarded, 省 20) = 20, and the 市 one is forwarded (×2) → tie → the earlier (市).
    assert entries(second) == [
        (world.township.pk, cast.informant.pk, Decimal("20.00"), "adoption.city.forwarded")
    ]
    assert LedgerEntry.objects.filter(build=second, rule_version=2).count() == 1
    first.refresh_from_db()
    assert not first.is_current and not LedgerEntry.objects.filter(build=first).exists()


def test_rebuild_is_deterministic_byte_for_byte(world, cast):
    for n, day in enumerate([date(2026, 2, 3), date(2026, 5, 6), date(2026, 9, 9)]):
        item = adopted_item(world, cast, day=day, title=f"城关镇第{n}条信息", city=True)
        record_external(cast, item, level="province", publication="明江简报", day=day)
    office = world.county_party_office
    a = ledger_rebuild(actor=cast.county_editor, office=office, year=2026)
    dump_a = "".join(ledger_dump(a)).encode()
    b = ledger_rebuild(actor=cast.county_editor, office=office, year=2026)
    dump_b = "".join(ledger_dump(b)).encode()
    assert a.pk != b.pk and dump_a == dump_b and len(dump_a) > 0
    assert a.digest == b.digest and len(a.digest) == 64
    import hashlib

    assert hashlib.sha256(dump_b).hexdigest() == b.digest


def test_other_county_adoptions_are_outside_the_ledger(world, cast):
    adopted_item(world, cast, day=date(2026, 3, 10), city=True)
    build = ledger_rebuild(actor=None, office=world.other_party_office, year=2026)
    assert build.entry_count == 0
    city = ledger_rebuild(actor=cast.city_editor, office=world.city_party_office, year=2026)
    assert city.entry_count == 1  # the city office's ledger covers the county's township


def _state(office):
    return (
        list(RuleSet.objects.filter(office=office).values_list("pk", "version", "rules")),
        LedgerBuild.objects.count(),
        AuditEvent.objects.count(),
    )


def test_invalid_rule_edit_is_refused_and_changes_nothing(world, cast):
    office = world.county_party_office
    ruleset_save(actor=cast.county_editor, office=office, year=2026, rules=default_rules())
    before = _state(office)
    bad = default_rules()
    bad["adoption"]["points"]["province"] = "二十"
    with pytest.raises(ValidationFailed) as info:
        ruleset_save(actor=cast.county_editor, office=office, year=2026, rules=bad)
    assert info.value.field == "adoption.points.province"
    assert "采用分值" in info.value.message and "必须是数字" in info.value.message
    assert _state(office) == before
    with pytest.raises(ValidationFailed) as info:
        ruleset_save(
            actor=cast.county_editor, office=office, year=2026, rules=default_rules(), base_version=0
        )
    assert info.value.field == "base_version" and _state(office) == before


def test_only_the_office_editors_edit_its_rules(world, cast):
    office = world.county_party_office
    for who in (cast.county_gov_editor, cast.city_editor, cast.other_editor, cast.informant):
        with pytest.raises(NotPermitted):
            ruleset_save(actor=who, office=office, year=2026, rules=default_rules())
    assert not RuleSet.objects.filter(office=office).exists()
    with pytest.raises(NotPermitted):
        ledger_rebuild(actor=cast.other_editor, office=office, year=2026)
