"""Two editors of the assigning office deciding one feedback at once (one accepts, one asks for more): one decision
wins, the other is refused, and the target is in exactly one state. Two editors assigning one instruction to the same
unit at once produce one open assignment."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from xinbao.accounts.models import Role
from xinbao.accounts.tests.factories import make_user
from xinbao.common.errors import ValidationFailed
from xinbao.followups.models import AssignmentTarget, Feedback, TargetState
from xinbao.followups.services import (
    assignment_create,
    feedback_accept,
    feedback_request_more,
    feedback_submit,
)
from xinbao.followups.tests.factories import make_people, record
from xinbao.reports.services import report_signoff
from xinbao.reports.tests.factories import BODY, make_sent_report

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) are what this exercises; SQLite's test database is per connection",
    ),
]


def _race(*actions: Callable[[], object]) -> list[object]:
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            result: object = action()
        except Exception as exc:  # the outcome, success or refusal, is what is asserted
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def test_accept_and_request_more_at_once(world):
    people = make_people(world)
    second = make_user(world.county_party_office, Role.EDITOR, username="xbj2", full_name="李强")
    instruction = record(people, make_sent_report(people.cast))
    target = assignment_create(
        actor=people.alice, instruction=instruction, units=[world.township], workdays=5
    ).targets.get()
    feedback = feedback_submit(actor=people.informant, target=target, title="落实情况", body=BODY)
    report_signoff(actor=people.signer, report=feedback.report, approve=True)
    stale_a, stale_b = Feedback.objects.get(pk=feedback.pk), Feedback.objects.get(pk=feedback.pk)
    outcomes = _race(
        lambda: feedback_accept(actor=people.alice, feedback=stale_a),
        lambda: feedback_request_more(actor=second, feedback=stale_b, comment="请补充台账"),
    )
    done = [o for o in outcomes if isinstance(o, AssignmentTarget)]
    refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert (len(done), len(refused)) == (1, 1), outcomes
    assert "已审核" in refused[0].message
    target.refresh_from_db()
    assert target.state in (TargetState.CLOSED, TargetState.MORE_REQUESTED)
    assert target.state == done[0].state


def test_two_editors_assigning_the_same_unit(world):
    people = make_people(world)
    second = make_user(world.county_party_office, Role.EDITOR, username="xbj2", full_name="李强")
    instruction = record(people, make_sent_report(people.cast))
    outcomes = _race(
        lambda: assignment_create(
            actor=people.alice, instruction=instruction, units=[world.township], workdays=5
        ),
        lambda: assignment_create(actor=second, instruction=instruction, units=[world.township], workdays=5),
    )
    refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert len(refused) == 1, outcomes
    assert AssignmentTarget.objects.filter(assignment__instruction=instruction).count() == 1
