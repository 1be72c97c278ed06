"""Concurrency (issue 3 item 7): two editors adopting one item at once produce one adoption and one clear refusal;
two editors saving one item — the second gets "已被他人修改" with the other's changes, and nothing is lost."""

import threading

import pytest
from django.db import connection, connections

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.common.errors import Conflict
from xinbao.reports.models import Adoption, Submission, SubmissionState
from xinbao.reports.services import report_update, submission_adopt
from xinbao.reports.tests.factories import make_sent_report, snapshot


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers on one file lock and its in-memory test database is per connection; "
    "row locks (select_for_update) are what this test exercises, so it runs on PostgreSQL",
)
def test_two_editors_adopting_at_once_produce_one_adoption(world, cast):
    report = make_sent_report(cast)
    sub = report.submissions.get(office=world.county_party_office)
    second_editor = make_user(world.county_party_office, Role.EDITOR, full_name="李强")
    barrier = threading.Barrier(2)
    outcomes: list[object] = []
    lock = threading.Lock()

    def adopt(editor):
        try:
            # Each thread has its own database connection; both hold a stale copy of the submission.
            stale = Submission.objects.get(pk=sub.pk)
            barrier.wait(timeout=10)
            result: object = submission_adopt(actor=editor, submission=stale)
        except Exception as exc:  # the outcome itself, adoption or refusal, is what is asserted
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=adopt, args=(e,)) for e in (cast.county_editor, second_editor)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)

    adoptions = [o for o in outcomes if isinstance(o, Adoption)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(adoptions), len(conflicts)) == (1, 1), outcomes
    assert "已被处理" in conflicts[0].message
    assert Adoption.objects.filter(report=report).count() == 1
    sub.refresh_from_db()
    assert sub.state == SubmissionState.ADOPTED
    assert sub.reviewer_id == adoptions[0].recorded_by_id
    assert adoptions[0].credits.count() == 1


@pytest.mark.django_db
def test_second_adoption_with_a_stale_copy_is_refused(world, cast):
    """The sequential variant of the race: runs on both databases."""
    report = make_sent_report(cast)
    first_copy = report.submissions.get(office=world.county_party_office)
    second_copy = Submission.objects.get(pk=first_copy.pk)  # loaded before the first adoption
    second_editor = make_user(world.county_party_office, Role.EDITOR)
    submission_adopt(actor=cast.county_editor, submission=first_copy)
    before = snapshot(report)
    with pytest.raises(Conflict, match="已被处理"):
        submission_adopt(actor=second_editor, submission=second_copy)
    assert snapshot(report) == before
    assert Adoption.objects.filter(report=report).count() == 1


@pytest.mark.django_db
def test_conflicting_edit_is_refused_with_the_other_changes_and_loses_nothing(world, cast):
    report = make_sent_report(cast)
    second_editor = make_user(world.county_party_office, Role.EDITOR, full_name="李强")
    base = report.version
    original_body = report.body
    # Both open the item at the same version; the first saves.
    report_update(
        actor=cast.county_editor,
        report=report,
        title=report.title,
        body=original_body.replace("40余人", "四十余人"),
        base_version=base,
        reason="规范数字",
    )
    before = snapshot(report)
    with pytest.raises(Conflict) as info:
        report_update(
            actor=second_editor,
            report=report,
            title="城关镇冬季安全隐患排查见实效",
            body=original_body + "下一步将建立长效机制。",
            base_version=base,
        )
    error = info.value
    assert "已被他人修改" in error.message and "张天宇" in error.message
    assert error.field == "body"
    assert error.current_version == base + 1
    assert error.other_title == report.title
    inserted = "".join(s.text for s in error.other_changes if s.op == "insert")
    deleted = "".join(s.text for s in error.other_changes if s.op == "delete")
    assert "四十" in inserted and "40" in deleted
    assert snapshot(report) == before  # the first editor's save stands; nothing of the second was written
    report.refresh_from_db()
    assert "四十余人" in report.body and "长效机制" not in report.body
    # With the current version the second editor's save goes through.
    report_update(
        actor=second_editor,
        report=report,
        title="城关镇冬季安全隐患排查见实效",
        body=report.body + "下一步将建立长效机制。",
        base_version=error.current_version,
    )
    report.refresh_from_db()
    assert report.version == base + 2 and report.revisions.count() == 3
