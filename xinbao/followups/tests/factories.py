"""People and objects for follow-up tests, on top of the shared ``world`` and the reporting cast.

alice (may): 安平县委办 editor; bob (same office, another role): 安平县委办 leader; charlie (another county):
石桥县委办 editor. The assigned unit is 城关镇 (where the item came from) with its informant, signer and a leader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xinbao.accounts.models import Role, User
from xinbao.accounts.tests.factories import make_user
from xinbao.audit.models import AuditEvent, EventType
from xinbao.followups.models import (
    Assignment,
    AssignmentTarget,
    Commission,
    CommissionAnswer,
    CommissionTarget,
    Feedback,
    FlagshipTarget,
    Instruction,
    LeaderRank,
)
from xinbao.orgs.tests.factories import World
from xinbao.reports.models import Report
from xinbao.reports.tests.factories import Cast, make_cast


@dataclass
class People:
    cast: Cast
    alice: User  # 安平县委办 编辑
    bob: User  # 安平县委办 领导
    charlie: User  # 石桥县委办 编辑
    informant: User  # 城关镇 信息员 (wrote the item)
    signer: User  # 城关镇 审签人
    unit_leader: User  # 城关镇 领导 (assigned unit's leadership)
    sibling: User  # 白沙镇 信息员


def make_people(world: World) -> People:
    cast = make_cast(world)
    return People(
        cast=cast,
        alice=cast.county_editor,
        bob=cast.county_leader,
        charlie=cast.other_editor,
        informant=cast.informant,
        signer=cast.signer,
        unit_leader=make_user(world.township, Role.LEADER, username="czld", full_name="孙卫东"),
        sibling=cast.sibling_informant,
    )


def record(people: People, report: Report, **kwargs) -> Instruction:
    from xinbao.followups.services import instruction_record

    values = {
        "leader_name": "李明华",
        "leader_title": "县委书记",
        "rank": LeaderRank.COUNTY,
        "text": "请城关镇抓紧核实情况，切实解决群众反映的问题，结果报县委办。",
        "instructed_on": date(2026, 9, 28),
    }
    values.update(kwargs)
    return instruction_record(actor=people.alice, report=report, **values)


def snapshot() -> tuple:
    """Everything a refused follow-up action must leave as it was."""
    return (
        tuple(Instruction.objects.order_by("pk").values_list("pk", "text", "rank")),
        Assignment.objects.count(),
        tuple(
            AssignmentTarget.objects.order_by("pk").values_list(
                "pk", "state", "due_on", "closed_at", "reminded_before_for", "reminded_after_for"
            )
        ),
        tuple(Feedback.objects.order_by("pk").values_list("pk", "decision", "comment")),
        tuple(Commission.objects.order_by("pk").values_list("pk", "state")),
        tuple(CommissionTarget.objects.order_by("pk").values_list("pk", "answered_at")),
        CommissionAnswer.objects.count(),
        tuple(FlagshipTarget.objects.order_by("pk").values_list("pk", "pieces")),
        Report.objects.count(),
        # Changes only: issuing a test's API token or logging a refused request is not a change it made.
        AuditEvent.objects.filter(event_type__in=[EventType.STATE_CHANGE, EventType.CONFIG_CHANGE]).count(),
    )
