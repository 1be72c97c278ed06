"""The duty demo step on the test world: 30 days of rosters with exactly the deliberate gaps, a log with a
correction, handovers, and the same seed giving the same roster."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.demo.catalog import SCALES
from xinbao.demo.registry import SeedContext
from xinbao.duty.coverage import coverage_gaps
from xinbao.duty.demo_seed import MOBILE_OR_LANDLINE, seed_duty
from xinbao.duty.models import DutyLogEntry, DutyRole, Handover, RosterEntry

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def run(world, seed: int = 7) -> SeedContext:
    context = SeedContext(
        scale=SCALES["demo"],
        seed=seed,
        today=NOW.date(),
        now=NOW,
        password_hash="",
        log=lambda message: None,
        anchors={"county_office": world.county_party_office, "city_office": world.city_party_office},
    )
    with time_machine.travel(NOW, tick=False):
        seed_duty(context.rng_for("duty"), context)
    return context


@pytest.fixture
def people(world):
    make_user(world.county_party_office, Role.DUTY_OFFICER, full_name="陈爱丽", phone="13907910001")
    make_user(world.county_party_office, Role.DUTY_OFFICER, full_name="吴怡", phone="15807910004")
    make_user(world.county_party_office, Role.LEADER, full_name="周建华", phone="18607910006")
    make_user(world.city_party_office, Role.DUTY_OFFICER, full_name="郑海涛", phone="13307960001")


def test_demo_rosters_have_exactly_the_deliberate_gaps(world, people):
    context = run(world)
    assert context.counts["roster_lines"] == RosterEntry.objects.count() > 200
    with time_machine.travel(NOW, tick=False):
        county = coverage_gaps(office=world.county_party_office)
        city = coverage_gaps(office=world.city_party_office)
    # No holiday in the 30 days after 26 Nov 2026: the county's gap is a Saturday night without 带班领导.
    assert [(g.role, g.hours, g.start.weekday()) for g in county] == [(DutyRole.LEADER, 14, 5)]
    assert [(g.role, g.hours) for g in city] == [(DutyRole.STAFF, 10)]
    assert all(MOBILE_OR_LANDLINE.match(p) for p in RosterEntry.objects.values_list("phone", flat=True))
    assert RosterEntry.objects.filter(person__isnull=False, office=world.county_party_office).exists()


def test_demo_log_and_handovers(world, people):
    context = run(world)
    assert context.counts["duty_log_entries"] == DutyLogEntry.objects.count() > 0
    assert DutyLogEntry.objects.filter(corrects__isnull=False).exists()
    assert all(e.at <= NOW for e in DutyLogEntry.objects.all())
    assert Handover.objects.filter(acknowledged_at__isnull=True).count() == 1
    assert Handover.objects.count() == context.counts["handovers"] == 6


def test_same_seed_same_roster(world, people):
    run(world)
    first = list(
        RosterEntry.objects.order_by("starts_at", "role", "name").values_list("day", "role", "name", "phone")
    )
    RosterEntry.objects.all().delete()
    DutyLogEntry.objects.filter(corrects__isnull=False).delete()
    DutyLogEntry.objects.all().delete()
    Handover.objects.all().delete()
    run(world)
    assert first == list(
        RosterEntry.objects.order_by("starts_at", "role", "name").values_list("day", "role", "name", "phone")
    )
    assert DutyLogEntry.objects.count() == 18  # 8 lines and a correction per office
