"""Numbering (issue 4 item 1): yearly 第N期, cumulative 总第N期, 增刊 apart, gap-free and race-free."""

import json
import os
import subprocess
import sys
import threading
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.db import connection, connections

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.bulletins.models import Issue, IssueState
from xinbao.bulletins.services import entry_add, issue_create, issue_discard, issue_publish, issue_sign
from xinbao.bulletins.tests.factories import make_adopted_report, make_issue, make_series, publish
from xinbao.common.errors import Conflict, ValidationFailed


@pytest.mark.django_db
def test_numbers_per_year_total_across_years_and_supplements_apart(world, cast):
    series = make_series(world, cast, total_start=356)
    with time_machine.travel(date(2025, 12, 30), tick=False):
        first = publish(world, cast, series)
        second = publish(world, cast, series)
    with time_machine.travel(date(2026, 1, 5), tick=False):
        third = publish(world, cast, series)
        supplement = issue_create(actor=cast.county_editor, series=series, is_supplement=True)
        entry_add(
            actor=cast.county_editor,
            issue=supplement,
            report=make_adopted_report(world, cast, title="增刊稿"),
        )
        issue_sign(actor=cast.county_leader, issue=supplement)
        supplement = issue_publish(actor=cast.county_editor, issue=supplement)
        fourth = publish(world, cast, series)
    assert [(i.year, i.number, i.total_number) for i in (first, second, third, fourth)] == [
        (2025, 1, 356),
        (2025, 2, 357),
        (2026, 1, 358),
        (2026, 2, 359),
    ]
    assert (supplement.year, supplement.number, supplement.total_number) == (2026, 1, None)
    assert supplement.label == "2026年增刊第1期"
    assert fourth.serial == "APXX-2026-002"


@pytest.mark.django_db
def test_discarded_draft_leaves_no_gap(world, cast):
    series = make_series(world, cast)
    draft = make_issue(world, cast, series, sign=True)
    issue_discard(actor=cast.county_editor, issue=draft)
    assert publish(world, cast, series).number == 1
    assert publish(world, cast, series).number == 2


@pytest.mark.django_db
def test_numbers_follow_the_printed_dates(world, cast):
    """第2期 may not be dated before 第1期; a 增刊 keeps its own sequence."""
    series = make_series(world, cast)
    with time_machine.travel(date(2026, 3, 10), tick=False):
        first = make_issue(world, cast, series, sign=True)
        issue_publish(actor=cast.county_editor, issue=first, issue_date=date(2026, 3, 5))
        second = make_issue(world, cast, series, sign=True)
        with pytest.raises(ValidationFailed, match=r"不能早于本刊上一期（2026年第1期，2026-03-05）"):
            issue_publish(actor=cast.county_editor, issue=second, issue_date=date(2026, 3, 4))
        second.refresh_from_db()
        assert (second.state, second.number, second.issue_date) == (IssueState.SIGNED, None, None)
        supplement = issue_create(actor=cast.county_editor, series=series, is_supplement=True)
        entry_add(actor=cast.county_editor, issue=supplement, report=make_adopted_report(world, cast))
        issue_sign(actor=cast.county_leader, issue=supplement)
        supplement = issue_publish(actor=cast.county_editor, issue=supplement, issue_date=date(2026, 3, 1))
        assert (supplement.number, supplement.issue_date) == (1, date(2026, 3, 1))
        second = issue_publish(actor=cast.county_editor, issue=second, issue_date=date(2026, 3, 5))
    assert (second.number, second.issue_date) == (2, date(2026, 3, 5))


@pytest.mark.django_db
def test_publishing_twice_is_refused_and_keeps_the_number(world, cast):
    series = make_series(world, cast)
    issue = publish(world, cast, series)
    stale = Issue.objects.get(pk=issue.pk)
    with pytest.raises(Conflict, match="已经印发"):
        issue_publish(actor=cast.county_editor, issue=stale)
    assert Issue.objects.get(pk=issue.pk).number == 1
    assert Issue.objects.filter(number__isnull=False).count() == 1


def _publish_at_once(issues, editors):
    barrier = threading.Barrier(len(issues))
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(issue, editor):
        try:
            stale = Issue.objects.get(pk=issue.pk)
            barrier.wait(timeout=10)
            result: object = issue_publish(actor=editor, issue=stale)
        except Exception as exc:  # the outcome is what is asserted
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(issues, editors, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the in-memory SQLite test database is shared-cache, where a second writer fails instead of waiting; "
    "the SQLite variant runs on a file database (test_publishing_at_once_on_a_sqlite_file_database_queues)",
)
def test_two_editors_publishing_at_once_get_different_numbers(world, cast):
    series = make_series(world, cast)
    second_editor = make_user(world.county_party_office, Role.EDITOR, full_name="李强")
    issues = [make_issue(world, cast, series, sign=True) for _ in range(4)]
    editors = [cast.county_editor, second_editor] * 2
    outcomes = _publish_at_once(issues, editors)
    assert all(isinstance(o, Issue) for o in outcomes), outcomes
    numbers = sorted(Issue.objects.filter(state=IssueState.PUBLISHED).values_list("number", "total_number"))
    assert numbers == [(1, 1), (2, 2), (3, 3), (4, 4)]


def test_publishing_at_once_on_a_sqlite_file_database_queues(tmp_path):
    """The SQLite variant of the race, on a file database as deployed (see sqlite_race.py)."""
    env = {
        **os.environ,
        "XINBAO_TESTING": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    done = subprocess.run(
        [sys.executable, "-m", "xinbao.bulletins.tests.sqlite_race", "4"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["numbers"] == [[1, 1], [2, 2], [3, 3], [4, 4]]
