"""The hourly scoring sweep rebuilds exactly the ledgers whose inputs changed, and daily ones that turned."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from xinbao.common.sweeps import all_sweeps
from xinbao.reports.tests.factories import make_cast
from xinbao.scoring.models import LedgerBuild, LedgerEntry
from xinbao.scoring.services import ledger_rebuild, ruleset_ensure
from xinbao.scoring.sweeps import scoring_sweep, stale_offices
from xinbao.scoring.tests.support import SHANGHAI, adopted_item

pytestmark = pytest.mark.django_db


def _builds(office):
    return LedgerBuild.objects.filter(office=office, year=2026).count()


def test_sweep_rebuilds_only_changed_offices(world):
    cast = make_cast(world)
    county, other = world.county_party_office, world.other_party_office
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)) as clock:
        ruleset_ensure(office=other, year=2026)
        ledger_rebuild(actor=None, office=county, year=2026)
        ledger_rebuild(actor=None, office=other, year=2026)
        clock.shift(60)
        # Nothing changed since both builds: nothing to do.
        assert stale_offices(2026) == [] and scoring_sweep() == (0, 0)
        assert "scoring" in {s.name for s in all_sweeps()}
        # An adoption in 安平县 arrives: the sweep rebuilds (this sweep is coarse: both offices) and credits it.
        adopted_item(world, cast, day=date(2026, 3, 10), city=True)  # written at 10:00
        clock.move_to(datetime(2026, 3, 10, 10, 30, tzinfo=SHANGHAI))
        assert stale_offices(2026) == sorted([county.pk, other.pk])
        assert scoring_sweep() == (2, 0)
        current = LedgerBuild.objects.get(office=county, year=2026, is_current=True)
        assert LedgerEntry.objects.filter(build=current, kind="adoption").exists()
        clock.shift(60)
        assert scoring_sweep() == (0, 0)
        before = _builds(county)
    # Next morning: time-dependent outcomes may have turned, so every office is rebuilt once.
    with time_machine.travel(datetime(2026, 3, 11, 8, 0, tzinfo=SHANGHAI)):
        assert scoring_sweep() == (2, 0)
        assert scoring_sweep() == (0, 0)
        assert _builds(county) == before + 1


def test_office_without_rules_for_the_year_is_left_alone(world):
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)):
        assert scoring_sweep() == (0, 0)
        assert not LedgerBuild.objects.exists()
