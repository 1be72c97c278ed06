"""The bulletins demo step on a seeded demo database: published issues in several series at the county and city
party offices, numbered without gaps, composed from items adopted there, one issue waiting for sign-off."""

import pytest
from django.core.management import call_command

from xinbao.bulletins.models import Classification, Issue, IssueEntry, IssueState, Series
from xinbao.demo.services import demo_seed
from xinbao.reports.models import Adoption


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    import os

    from django.db import transaction

    os.environ["XINBAO_DEMO_REPORT_ITEMS"] = "400"
    try:
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                yield demo_seed(scale="demo", seed=2026, log=lambda message: None)
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
    finally:
        del os.environ["XINBAO_DEMO_REPORT_ITEMS"]


@pytest.mark.django_db
def test_published_issues_in_several_series(seeded, tmp_path):
    published = Issue.objects.filter(state=IssueState.PUBLISHED)
    series = Series.objects.filter(issues__in=published).distinct()
    assert series.count() >= 3
    assert {s.office_id for s in series} == {
        seeded.anchors["county_office"].pk,
        seeded.anchors["city_office"].pk,
    }
    assert series.filter(classification=Classification.RESTRICTED).exists()
    for s in series:
        for year in set(s.issues.filter(state=IssueState.PUBLISHED).values_list("year", flat=True)):
            numbers = sorted(s.issues.filter(year=year, is_supplement=False).values_list("number", flat=True))
            assert numbers == list(range(1, len(numbers) + 1)), s.code
    # Every entry is an item adopted at the publishing office, and its adoption is recorded on the entry.
    for entry in IssueEntry.objects.filter(issue__in=published).select_related("issue__series", "adoption"):
        assert entry.adoption.office_id == entry.issue.series.office_id
        assert entry.adoption.report_id == entry.report_id
    assert Adoption.objects.exclude(publication="").exists()
    assert Issue.objects.filter(state=IssueState.DRAFT, entries__isnull=False).exists()
    # Restricted issues have named readers.
    assert all(i.readers.exists() for i in published.filter(classification=Classification.RESTRICTED))
    out = tmp_path / "latest.docx"
    call_command("export_issue", "--latest", "--out", str(out))
    assert out.stat().st_size > 10000
