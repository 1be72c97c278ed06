"""Two rebuilds of one ledger at once never interleave: the second waits on the (office, year) slot lock and then
replaces the first; exactly one build is current and it holds exactly its own entries (ARCHITECTURE habit 5)."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.db import connection, connections

from xinbao.scoring.events import ScoringEvent
from xinbao.scoring.models import LedgerBuild, LedgerEntry
from xinbao.scoring.services import ledger_rebuild, ruleset_ensure


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers on one file lock; the row lock (select_for_update) is what this test exercises",
)
def test_two_rebuilds_do_not_interleave(world):
    office = world.county_party_office
    ruleset_ensure(office=office, year=2026)
    timeline: list[tuple[str, str]] = []
    guard = threading.Lock()
    barrier = threading.Barrier(2)

    def slow_source(name):
        def source(window):
            with guard:
                timeline.append((name, "start"))
            for i in range(1, 6):
                time.sleep(0.05)
                yield ScoringEvent(
                    kind="adoption",
                    unit_id=world.township.pk,
                    day=date(2026, 3, i),
                    source_type="test.event",
                    source_id=i,
                    attrs={"adopter": "city"},
                )
            with guard:
                timeline.append((name, "end"))

        return source

    errors: list[Exception] = []

    def run(name):
        try:
            barrier.wait(timeout=10)
            ledger_rebuild(actor=None, office=office, year=2026, sources=[("slow", slow_source(name))])
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors and not any(t.is_alive() for t in threads)
    first = timeline[0][0]
    assert timeline[:2] == [(first, "start"), (first, "end")], timeline  # the other started only after
    current = LedgerBuild.objects.get(office=office, year=2026, is_current=True)
    assert LedgerBuild.objects.filter(office=office, year=2026).count() == 2
    assert LedgerEntry.objects.count() == current.entry_count == 5
    assert set(LedgerEntry.objects.values_list("build_id", flat=True)) == {current.pk}
