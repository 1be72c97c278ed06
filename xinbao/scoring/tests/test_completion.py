"""Quotas and completion, with the seed documents' figures (PRODUCT 3.5)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from xinbao.accounts.models import User
from xinbao.orgs.models import InformantKind, InformantRecord
from xinbao.reports.models import Report, ReportOrigin, ReportState, ReportType
from xinbao.scoring.completion import inactive_informants, informant_completion, unit_quotas
from xinbao.scoring.periods import parse_period
from xinbao.scoring.rules import default_rules
from xinbao.scoring.tests.support import SHANGHAI

pytestmark = pytest.mark.django_db
QUOTA = default_rules()["quota"]


def informants(world, n, *, start, unit=None):
    unit = unit or world.township
    people = User.objects.bulk_create(
        User(username=f"i{start:%m}{k:03d}", full_name=f"信息员{k}", unit=unit, password="!")
        for k in range(n)
    )
    InformantRecord.objects.bulk_create(
        InformantRecord(
            unit=unit,
            person=p,
            kind=InformantKind.PART_TIME,
            start_date=start,
            start_reason="备案",
            filed_by=p,
        )
        for p in people
    )
    return people


def items(people, total, *, months, analysis_every=0):
    """``total`` original items spread round-robin over the people and the months (10th of each month)."""
    rows = []
    for k in range(total):
        person = people[k % len(people)]
        month = months[(k // len(people)) % len(months)]
        when = datetime(2026, month, 10, 9, tzinfo=SHANGHAI) + timedelta(minutes=k)
        kind = ReportType.ANALYSIS if analysis_every and k % analysis_every == 0 else ReportType.DYNAMIC
        rows.append(
            Report(
                unit_id=person.unit_id,
                created_by=person,
                report_type=kind,
                title=f"信息{k}",
                body="正文",
                state=ReportState.SENT,
                origin=ReportOrigin.ORIGINAL,
                submitted_at=when,
            )
        )
    Report.objects.bulk_create(rows)


def test_seed_73_informants_3580_expected_2457_submitted_is_68_6_percent(world):
    # 59 informants registered last year owe January–October (10 months); 14 registered in February owe 9:
    # (59 × 10 + 14 × 9) × 5 = 716 × 5 = 3,580 expected (the seed's "73 名信息员 … 应报 3580 条").
    old = informants(world, 59, start=date(2025, 6, 1))
    new = informants(world, 14, start=date(2026, 2, 3), unit=world.township2)
    items(old + new, 2457, months=list(range(2, 11)))
    result = informant_completion(
        scope=world.county,
        period=parse_period("2026-01-01..2026-10-31"),
        quota=QUOTA,
        today=date(2026, 11, 2),
    )
    assert result.informants == 73
    assert (result.expected, result.submitted) == (3580, 2457)
    assert result.rate == Decimal("68.6") and result.rate < 70  # "不到百分之七十"


def test_informant_monthly_quota_needs_five_items_and_one_analysis(world):
    [a, b] = informants(world, 2, start=date(2025, 1, 1))
    items([a], 5, months=[3], analysis_every=5)  # 5 items, one 综合分析 → met
    items([b], 6, months=[3])  # 6 items, no analysis → not met
    result = informant_completion(
        scope=world.county, period=parse_period("2026-03"), quota=QUOTA, today=date(2026, 4, 1)
    )
    met = {r.person_id: r.months_met for r in result.rows}
    assert met == {a.pk: 1, b.pk: 0}
    assert (result.expected, result.submitted) == (10, 11)


def test_future_months_are_not_expected(world):
    informants(world, 1, start=date(2025, 1, 1))
    result = informant_completion(
        scope=world.county, period=parse_period("2026"), quota=QUOTA, today=date(2026, 3, 15)
    )
    assert result.expected == 15  # January to March only


def test_inactive_informants(world):
    [quiet, busy] = informants(world, 2, start=date(2025, 1, 1))
    items([busy], 1, months=[3])
    rows = inactive_informants(scope=world.county, today=date(2026, 3, 20), days=30)
    assert [r.person_id for r in rows] == [quiet.pk]


def test_unit_quotas_and_supervision_list(world):
    from xinbao.reports.models import Adoption, AdoptionCredit

    people = informants(world, 1, start=date(2025, 1, 1))
    items(people, 12, months=[1])  # 城关镇: 12 in January, 0 in February
    reports = list(Report.objects.filter(created_by=people[0]).order_by("pk")[:7])
    for r in reports:  # 7 items adopted → not under the floor of 6
        ad = Adoption.objects.create(
            report=r,
            office=world.county_party_office,
            level="county",
            mode="full",
            adopted_on=date(2026, 2, 1),
            recorded_by=people[0],
        )
        AdoptionCredit.objects.create(adoption=ad, origin=r, unit=world.township)
    rows = {
        r.code: r
        for r in unit_quotas(
            scope=world.county, period=parse_period("2026"), quota=QUOTA, today=date(2026, 2, 28)
        )
    }
    town, town2 = rows[world.township.code], rows[world.township2.code]
    assert (town.submitted, town.expected, town.months_met, town.adopted, town.supervise) == (
        12,
        20,
        1,
        7,
        False,
    )
    assert town.rate == Decimal("60.0")
    assert (town2.submitted, town2.adopted, town2.supervise) == (0, 0, True)
    assert world.county_party_office.code not in rows  # the assessing office is not a reporting unit
