"""The followups demo step on the demo province: 批示 at county and city level, assignments in every state with
working-day deadlines, commissions with answers, 精品稿件 targets; nothing the step writes breaks the audit chain."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from xinbao.audit.services import audit_verify_chain
from xinbao.common.calendar import add_workdays
from xinbao.demo.services import demo_seed
from xinbao.followups.models import (
    AssignmentTarget,
    Commission,
    CommissionAnswer,
    CommissionKind,
    FlagshipTarget,
    Instruction,
    LeaderRank,
    TargetState,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_followups(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with time_machine.travel(NOW, tick=False):
        context = demo_seed(scale="demo", seed=2026, log=lambda message: None)
    ranks = set(Instruction.objects.values_list("rank", flat=True))
    assert ranks & {LeaderRank.COUNTY, LeaderRank.COUNTY_OFFICES}
    assert ranks & {LeaderRank.CITY, LeaderRank.CITY_OFFICES}
    states = set(AssignmentTarget.objects.values_list("state", flat=True))
    assert {TargetState.OPEN, TargetState.CLOSED, TargetState.MORE_REQUESTED, TargetState.ANSWERED} <= states
    assert AssignmentTarget.objects.filter(state=TargetState.OPEN, due_on__lt=NOW.date()).exists()  # overdue
    assert set(
        AssignmentTarget.objects.filter(state=TargetState.CLOSED).values_list("closed_on_time", flat=True)
    ) == {
        True,
        False,
    }
    for target in AssignmentTarget.objects.select_related("assignment"):
        assert target.first_due_on == add_workdays(target.assignment.assigned_on, target.assignment.workdays)
    kinds = set(Commission.objects.values_list("kind", flat=True))
    assert kinds == {CommissionKind.TOPIC, CommissionKind.NEEDS_LIST}
    assert CommissionAnswer.objects.exists()
    assert FlagshipTarget.objects.exists()
    assert context.counts["instructions"] == Instruction.objects.count()
    assert audit_verify_chain().ok
