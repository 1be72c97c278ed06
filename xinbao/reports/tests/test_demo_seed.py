"""The reports demo step on the small test world: items in every state, chains credited to their origins, the
year's dates consistent, the same seed giving the same items."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.services import audit_verify_chain
from xinbao.demo.catalog import SCALES
from xinbao.demo.registry import SeedContext, discover
from xinbao.notifications.models import Notification
from xinbao.orgs.models import Level, UnitKind
from xinbao.orgs.tests.factories import build_world
from xinbao.reports.demo_seed import seed_reports
from xinbao.reports.models import (
    Adoption,
    AdoptionCredit,
    AdoptionMode,
    Escalation,
    Report,
    ReportOrigin,
    ReportSource,
    ReportState,
    ReportType,
    Revision,
    SignOff,
    SignOffDecision,
    Submission,
    SubmissionState,
    Visibility,
)
from xinbao.reports.services.review import origins_of

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ITEMS = 160


class Rollback(Exception):
    pass


def staff(world) -> None:
    """Informants and signers in every reporting unit, editors in every office (two at the county office)."""
    for unit in (world.township, world.township2, world.county_dept, world.other_township):
        make_user(unit, Role.INFORMANT)
        make_user(unit, Role.SIGNER)
    make_user(world.township, Role.INFORMANT)
    for office in (
        world.county_party_office,
        world.county_party_office,
        world.county_gov_office,
        world.city_party_office,
        world.city_gov_office,
        world.province_party_office,
        world.other_party_office,
    ):
        make_user(office, Role.EDITOR)


def run_step(world, seed: int = 7, items: int = ITEMS) -> SeedContext:
    context = SeedContext(
        scale=SCALES["demo"],
        seed=seed,
        today=NOW.date(),
        now=NOW,
        password_hash="",
        log=lambda message: None,
        anchors={"township": world.township},
        extra={"report_items": items},
    )
    with time_machine.travel(NOW, tick=False):
        seed_reports(context.rng_for("reports"), context)
    return context


@pytest.fixture(scope="module")
def seeded_world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """One run for the read-only checks, inside an outer transaction rolled back when the module is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            staff(world)
            yield world, run_step(world)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(seeded_world):  # the shared function-scoped world, replaced here by the seeded one
    return seeded_world[0]


@pytest.fixture
def seeded(seeded_world):
    return seeded_world[1]


def test_the_step_is_discovered_after_people():
    steps = [(s.order, s.name) for s in discover().steps()]
    assert (30, "reports") in steps
    assert steps.index((30, "reports")) > steps.index((20, "people"))


def test_items_exist_in_every_state(world, seeded):
    assert Report.objects.filter(origin=ReportOrigin.ORIGINAL).count() == ITEMS
    assert set(Report.objects.values_list("state", flat=True)) >= {
        ReportState.DRAFT,
        ReportState.PENDING_SIGNOFF,
        ReportState.SIGNOFF_REFUSED,
        ReportState.SENT,
    }
    sub_states = set(Submission.objects.values_list("state", flat=True))
    assert sub_states >= {s for s in SubmissionState.values if s != SubmissionState.WITHDRAWN}
    assert {m for m in Adoption.objects.values_list("mode", flat=True)} == set(AdoptionMode.values)
    assert set(Adoption.objects.values_list("level", flat=True)) >= {Level.COUNTY, Level.CITY, Level.PROVINCE}
    assert Report.objects.filter(origin=ReportOrigin.COMBINED).exists()
    assert Report.objects.filter(origin=ReportOrigin.FORWARDED).exists()
    assert Escalation.objects.exists()
    assert set(Report.objects.values_list("report_type", flat=True)) >= {
        t for t in ReportType.values if t != ReportType.FEEDBACK
    }
    # Problem items are restricted, and restricted items only ever reach offices above.
    problems = Report.objects.filter(report_type=ReportType.PROBLEM, origin=ReportOrigin.ORIGINAL)
    assert problems.exists() and not problems.exclude(visibility=Visibility.RESTRICTED).exists()
    # Refusals carry their reasons, returns their comments; emergencies are signed after sending.
    refused = SignOff.objects.filter(decision=SignOffDecision.REFUSED)
    assert refused.exists() and not refused.filter(reason="").exists()
    returned = Submission.objects.filter(state=SubmissionState.RETURNED)
    assert returned.exists() and not returned.filter(comment="").exists()
    assert SignOff.objects.filter(after_send=True, report__report_type=ReportType.EMERGENCY).exists()
    external = Adoption.objects.filter(external=True)
    assert external.exists()
    assert all(a.publication.startswith("《") and "年第" in a.issue_label for a in external)
    # A returned item was revised by its author and sent again.
    assert Revision.objects.filter(reason="按审核意见修改").exists()


def test_chains_credit_the_originating_units(world, seeded):
    reporting = {world.township.pk, world.township2.pk, world.county_dept.pk, world.other_township.pk}
    higher = Adoption.objects.filter(level__in=[Level.CITY, Level.PROVINCE], external=False)
    assert higher.exists()
    for adoption in Adoption.objects.all():
        credits = AdoptionCredit.objects.filter(adoption=adoption)
        expected = {(o.pk, o.unit_id) for o in origins_of(adoption.report)}
        assert set(credits.values_list("origin_id", "unit_id")) == expected
        assert {unit for _, unit in expected} <= reporting
    # A province adoption credits a township or department through county and city.
    province = Adoption.objects.filter(level=Level.PROVINCE, external=False).first()
    assert province is not None
    hops = ReportSource.objects.filter(report=province.report).select_related("source__unit")
    assert hops.exists() and hops[0].source.unit.level == Level.COUNTY
    origin_units = AdoptionCredit.objects.filter(adoption=province).values_list("unit__kind", flat=True)
    assert set(origin_units) <= {UnitKind.TOWNSHIP, UnitKind.DEPARTMENT}


def test_the_year_is_consistent(world, seeded):
    start = NOW - timedelta(days=366)
    assert not Report.objects.filter(created_at__lt=start).exists()
    assert not Report.objects.filter(created_at__gt=NOW).exists()
    months = {
        timezone.localtime(d).strftime("%Y-%m") for d in Report.objects.values_list("created_at", flat=True)
    }
    assert len(months) >= 10  # spread over the year, not all "today"
    assert not Report.objects.filter(submitted_at__lt=F("created_at")).exists()
    assert not Revision.objects.filter(created_at__lt=F("report__created_at")).exists()
    assert not Submission.objects.filter(submitted_at__lt=F("report__created_at")).exists()
    assert not Submission.objects.filter(decided_at__lt=F("submitted_at")).exists()
    for adoption in Adoption.objects.filter(external=False).exclude(mode=AdoptionMode.COMBINED):
        sub = Submission.objects.get(report=adoption.report, office=adoption.office)
        assert adoption.adopted_on >= timezone.localtime(sub.submitted_at).date()
        assert adoption.adopted_on <= NOW.date()
    for a in Adoption.objects.filter(external=True):
        assert a.report.submitted_at is not None
        assert timezone.localtime(a.report.submitted_at).date() <= a.adopted_on <= NOW.date()
    for esc in Escalation.objects.all():
        assert esc.waited_minutes >= 24 * 60 and esc.waiting_since >= esc.report.created_at
    # Every state of the items is what the services left: open items are the recent ones.
    open_subs = Submission.objects.filter(state=SubmissionState.SUBMITTED, is_copy=False)
    assert not open_subs.filter(submitted_at__lt=NOW - timedelta(days=30), report__origin="original").exists()


def test_notices_are_dated_and_old_ones_read(world, seeded):
    notices = Notification.objects.all()
    assert notices.exists()
    assert not notices.filter(created_at__gt=NOW).exists()
    old = notices.filter(created_at__lt=NOW - timedelta(days=11))
    assert old.exists() and not old.filter(read_at__isnull=True).exists()
    assert not notices.filter(read_at__lt=F("created_at")).exists()
    kinds = set(notices.values_list("kind", flat=True))
    assert {"report_adopted", "report_returned", "signoff_refused", "report_forwarded"} <= kinds


def test_audit_chain_still_verifies(world, seeded):
    result = audit_verify_chain()
    assert result.ok, result


def test_texts_read_like_township_information(world, seeded):
    for report in Report.objects.filter(origin=ReportOrigin.ORIGINAL):
        assert 0 < len(report.title) <= 60
        assert "{" not in report.title + report.body and "}" not in report.body
        assert 90 <= len(report.body) <= 700, (report.title, len(report.body))
    names = {world.township.short_name, world.township2.short_name, "安平县", "石桥县"}
    assert sum(any(n in r.title + r.body for n in names) for r in Report.objects.all()) > ITEMS * 0.8


def titles_for(world, seed: int) -> list[tuple[str, str, str]]:
    result: list[tuple[str, str, str]] = []
    before = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        with transaction.atomic():
            run_step(world, seed=seed, items=40)
            made = Report.objects.filter(pk__gt=before).order_by("pk")
            result = list(made.values_list("title", "state", "unit__name"))
            raise Rollback
    except Rollback:
        pass
    return result


def test_same_seed_same_items_other_seed_other_items(world):
    first = titles_for(world, 11)
    assert first and first == titles_for(world, 11)
    assert titles_for(world, 12) != first
