"""Request and response shapes of the follow-up API. The item behind an instruction is always the
``ItemForAction`` from the selectors, so the API withholds exactly what the pages withhold (PRODUCT 3.1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import ConfigDict

from xinbao.followups.models import (
    AssignmentTarget,
    Commission,
    CommissionKind,
    Feedback,
    Instruction,
    LeaderRank,
)
from xinbao.reports.models import ReportType

RankValue = Literal[tuple(LeaderRank.values)]  # type: ignore[valid-type]
KindValue = Literal[tuple(CommissionKind.values)]  # type: ignore[valid-type]
AnswerTypeValue = Literal[tuple(v for v in ReportType.values if v != ReportType.FEEDBACK)]  # type: ignore[valid-type]
TargetStateValue = Literal["open", "overdue", "answered", "more_requested", "closed"]


class ItemOut(Schema):
    """The item as this caller may see it; ``withheld``: author, creator and reporting unit are hidden."""

    report_id: int | None
    title: str
    body: str
    type_label: str
    restricted: bool
    withheld: bool
    unit_name: str
    authors: list[str]
    created_by: str
    submitted_at: datetime | None


class InstructionOut(Schema):
    id: int
    issue_entry_id: int | None
    office_id: int
    office_name: str
    leader_name: str
    leader_title: str
    rank: str
    rank_label: str
    text: str
    instructed_on: date
    has_scan: bool
    created_at: datetime

    @staticmethod
    def resolve_office_name(obj: Instruction) -> str:
        return obj.office.name

    @staticmethod
    def resolve_rank_label(obj: Instruction) -> str:
        return str(obj.get_rank_display())

    @staticmethod
    def resolve_has_scan(obj: Instruction) -> bool:
        return bool(obj.image)


class TargetOut(Schema):
    id: int
    assignment_id: int
    instruction_id: int
    unit_id: int
    unit_name: str
    office_id: int
    office_name: str
    state: str
    state_label: str
    assigned_on: date
    workdays: int
    due_on: date
    first_due_on: date
    overdue: bool
    closed_at: datetime | None
    closed_on_time: bool | None

    @staticmethod
    def resolve_assignment_id(obj: AssignmentTarget) -> int:
        return obj.assignment_id

    @staticmethod
    def resolve_instruction_id(obj: AssignmentTarget) -> int:
        return obj.assignment.instruction_id

    @staticmethod
    def resolve_unit_name(obj: AssignmentTarget) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_office_id(obj: AssignmentTarget) -> int:
        return obj.assignment.office_id

    @staticmethod
    def resolve_office_name(obj: AssignmentTarget) -> str:
        return obj.assignment.office.name

    @staticmethod
    def resolve_state_label(obj: AssignmentTarget) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_assigned_on(obj: AssignmentTarget) -> date:
        return obj.assignment.assigned_on

    @staticmethod
    def resolve_workdays(obj: AssignmentTarget) -> int:
        return obj.assignment.workdays

    @staticmethod
    def resolve_overdue(obj: AssignmentTarget) -> bool:
        from xinbao.followups.selectors import is_overdue

        return is_overdue(obj)


class FeedbackOut(Schema):
    id: int
    report_id: int
    title: str
    report_state: str
    decision: str
    decision_label: str
    comment: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_title(obj: Feedback) -> str:
        return obj.report.title

    @staticmethod
    def resolve_report_state(obj: Feedback) -> str:
        return obj.report.state

    @staticmethod
    def resolve_decision_label(obj: Feedback) -> str:
        return str(obj.get_decision_display())


class InstructionDetailOut(InstructionOut):
    item: ItemOut
    targets: list[TargetOut] = Field(..., description=gettext_lazy("交办事项（每个承办单位一条）"))


class TargetDetailOut(TargetOut):
    requirement: str
    instruction: InstructionOut
    item: ItemOut
    feedbacks: list[FeedbackOut] = Field(..., alias="feedback_list")


class InstructionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    report_id: int
    leader_name: str = Field(..., description=gettext_lazy("批示领导姓名，最多40字"))
    leader_title: str = ""
    rank: RankValue
    text: str = Field(..., description=gettext_lazy("批示内容，最多2000字"))
    instructed_on: date
    issue_entry_id: int | None = Field(
        None, description=gettext_lazy("批示写在刊物的哪一条上（刊发条目ID，可选）")
    )


class AssignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit_ids: list[int] = Field(..., description=gettext_lazy("承办单位ID"))
    workdays: int = Field(..., description=gettext_lazy("反馈时限（工作日，1至60）"))
    requirement: str = ""


class FeedbackIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    body: str | None = None
    report_id: int | None = Field(
        None, description=gettext_lazy("关联已提交的本单位落实反馈信息（不填则新写）")
    )


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: str = ""


class MoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: str
    workdays: int = 3


class FiguresOut(Schema):
    unit_id: int
    unit_name: str
    total: int
    open: int
    overdue: int
    closed_on_time: int
    closed_late: int


class CommissionOut(Schema):
    id: int
    office_id: int
    office_name: str
    kind: str
    kind_label: str
    title: str
    body: str
    period: date | None
    is_flagship: bool
    deadline: date
    state: str
    created_at: datetime

    @staticmethod
    def resolve_office_name(obj: Commission) -> str:
        return obj.office.name

    @staticmethod
    def resolve_kind_label(obj: Commission) -> str:
        return str(obj.get_kind_display())


class CommissionTargetOut(Schema):
    unit_id: int
    unit_name: str
    answers: int
    answered_at: datetime | None


class CommissionAnswerOut(Schema):
    id: int
    unit_id: int
    report_id: int
    title: str


class CommissionDetailOut(CommissionOut):
    targets: list[CommissionTargetOut] = Field(..., alias="target_rows")
    answers: list[CommissionAnswerOut] = Field(..., alias="answer_rows")


class CommissionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: KindValue
    title: str
    body: str
    deadline: date
    period: date | None = None
    is_flagship: bool = False
    unit_ids: list[int] | None = Field(None, description=gettext_lazy("约稿单位ID；不填则发给全部下级单位"))


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    report_id: int | None = None
    title: str | None = None
    body: str | None = None
    report_type: AnswerTypeValue | None = None


class CompletionOut(Schema):
    unit_id: int
    unit_name: str
    commissioned: int
    answered: int
    answered_on_time: int


class FlagshipIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit_id: int
    year: int
    pieces: int = Field(..., description=gettext_lazy("3至5篇"))


class FlagshipOut(Schema):
    unit_id: int
    unit_name: str
    year: int
    pieces: int
    done: int
