"""Printed bulletin entries in the scoring ledger: one adoption entry each (no double count), priced by the real
series kind (专报/简报/每日要情) rather than by keywords in the series name."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from xinbao.bulletins.models import SeriesKind
from xinbao.bulletins.scoring_events import printed_publication_kinds
from xinbao.bulletins.tests.factories import make_issue, make_series, publish
from xinbao.scoring.models import LedgerEntry
from xinbao.scoring.rules import default_rules
from xinbao.scoring.services import ledger_rebuild, ruleset_save

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def june():
    with time_machine.travel(datetime(2026, 6, 10, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


def _rules(cast, world):
    """县 adoption 10 points; a 专报 doubles, a 简报 counts once, anything else (name guesses) counts half."""
    rules = default_rules()
    rules["adoption"]["points"]["county"] = 10
    rules["adoption"]["publication_factor"].update({"special": 2, "bulletin": 1, "other": 0.5})
    ruleset_save(actor=cast.county_editor, office=world.county_party_office, year=2026, rules=rules)


def _rows(build):
    return list(
        LedgerEntry.objects.filter(build=build)
        .order_by("seq")
        .values_list("unit_id", "person_id", "points", "rule_key", "source_type")
    )


def test_special_series_is_priced_as_special_once(world, cast):
    # The name 安平信息 holds no keyword: before, it was priced as "other".
    series = make_series(world, cast, kind=SeriesKind.SPECIAL)
    issue = publish(world, cast, series)
    _rules(cast, world)
    build = ledger_rebuild(actor=cast.county_editor, office=world.county_party_office, year=2026)
    assert _rows(build) == [
        (world.township.pk, cast.informant.pk, Decimal("20.00"), "adoption.county", "reports.adoptioncredit")
    ]
    entry = issue.entries.get()
    assert printed_publication_kinds([entry.adoption_id]) == {entry.adoption_id: "special"}


def test_unpublished_or_system_series_falls_back_to_the_name(world, cast):
    signed_only = make_issue(world, cast, make_series(world, cast, kind=SeriesKind.SPECIAL), sign=True)
    system = publish(
        world, cast, make_series(world, cast, name="安平信息简报", code="apjb", kind=SeriesKind.SYSTEM)
    )
    assert printed_publication_kinds([signed_only.entries.get().report.adoptions.get().pk]) == {}
    assert printed_publication_kinds([system.entries.get().adoption_id]) == {}
    _rules(cast, world)
    build = ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    # The signed-only issue's item is adopted (not printed): "other" by its empty name, 5; the 系统刊物's name says
    # 简报: 10.
    assert sorted(p for _u, _p, p, _k, _s in _rows(build)) == [Decimal("5.00"), Decimal("10.00")]


def test_determinism_and_links(client, world, cast):
    publish(world, cast, make_series(world, cast, kind=SeriesKind.DAILY), reports=2)
    _rules(cast, world)
    first = ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    second = ledger_rebuild(actor=None, office=world.county_party_office, year=2026)
    assert first.digest == second.digest and first.entry_count == second.entry_count == 2
    client.force_login(cast.county_editor)
    html = client.get(
        reverse("scoring:unit", args=[world.county_party_office.pk, world.township.pk]) + "?period=2026"
    ).content.decode()
    for report in cast.informant.authored_reports.all():
        assert reverse("reports:detail", args=[report.pk]) in html
