"""Request and response shapes of the reporting API (信息报送). Out-schemas read model instances; labels are resolved
here so a client never needs the choice tables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, gettext_lazy
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from xinbao.common.choices import choice_label
from xinbao.orgs.models import Level
from xinbao.reports.models import (
    BODY_MAX,
    TITLE_MAX,
    Adoption,
    AdoptionMode,
    Report,
    ReportOrigin,
    ReportState,
    ReportType,
    Revision,
    SignOff,
    SignOffDecision,
    Submission,
    SubmissionState,
    Visibility,
)

TypeValue = Literal[tuple(ReportType.values)]  # type: ignore[valid-type]
StateValue = Literal[tuple(ReportState.values)]  # type: ignore[valid-type]
VisibilityValue = Literal[tuple(Visibility.values)]  # type: ignore[valid-type]
LevelValue = Literal[tuple(Level.values)]  # type: ignore[valid-type]
#: The inbox accepts "open" (待审核, 审核中 and 退回) besides the submission states, as the inbox page does.
InboxStateValue = Literal[("open", *SubmissionState.values)]  # type: ignore[valid-type]
AdoptModeValue = Literal["full", "partial"]
ExternalModeValue = Literal["full", "partial", "combined"]

#: An idempotency key is stored in 64 characters; a longer one could never match again, so it is refused.
KEY_MAX = 64


def _person(user) -> str:  # type: ignore[no-untyped-def]
    return (user.full_name or user.username) if user else ""


# --- Out ----------------------------------------------------------------------------------------------------------


class PersonBrief(Schema):
    id: int
    full_name: str


# An item's list columns. A plain pydantic model (a comment, not a docstring: the OpenAPI document would show it),
# so that a page of items is validated from dicts (``report_rows``) in pydantic's compiled code: through ninja's
# per-field getter the list API spent ~1.8 of ~7.8 ms of CPU on 50 rows (bench/RESULTS.md, issue 3). ``ReportOut``
# adds the resolvers for one item read as an object.
class ReportFields(BaseModel):
    id: int
    title: str
    report_type: str
    type_label: str
    state: str
    state_label: str
    visibility: str
    visibility_label: str
    origin: str
    origin_label: str
    unit_id: int
    unit_name: str
    created_by: str
    version: int
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime


def _report_row(v: Mapping[str, Any], p: str, language: str) -> dict[str, Any]:
    """One item's list columns from its values (``selectors.LIST_VALUES``, each key prefixed with ``p``)."""
    return {
        "id": v[f"{p}id"],
        "title": v[f"{p}title"],
        "report_type": v[f"{p}report_type"],
        "type_label": choice_label(ReportType, v[f"{p}report_type"], language),
        "state": v[f"{p}state"],
        "state_label": choice_label(ReportState, v[f"{p}state"], language),
        "visibility": v[f"{p}visibility"],
        "visibility_label": choice_label(Visibility, v[f"{p}visibility"], language),
        "origin": v[f"{p}origin"],
        "origin_label": choice_label(ReportOrigin, v[f"{p}origin"], language),
        "unit_id": v[f"{p}unit_id"],
        "unit_name": v[f"{p}unit__name"],
        "created_by": v[f"{p}created_by__full_name"] or v[f"{p}created_by__username"] or "",
        "version": v[f"{p}version"],
        "submitted_at": v[f"{p}submitted_at"],
        "created_at": v[f"{p}created_at"],
        "updated_at": v[f"{p}updated_at"],
    }


def report_rows(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """List rows of items read as ``selectors.LIST_VALUES``, labels in the active language."""
    language = get_language()
    return [_report_row(v, "", language) for v in values]


class ReportOut(Schema, ReportFields):
    @staticmethod
    def resolve_type_label(obj: Report) -> str:
        return choice_label(ReportType, obj.report_type)

    @staticmethod
    def resolve_state_label(obj: Report) -> str:
        return choice_label(ReportState, obj.state)

    @staticmethod
    def resolve_visibility_label(obj: Report) -> str:
        return choice_label(Visibility, obj.visibility)

    @staticmethod
    def resolve_origin_label(obj: Report) -> str:
        return choice_label(ReportOrigin, obj.origin)

    @staticmethod
    def resolve_unit_name(obj: Report) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_created_by(obj: Report) -> str:
        return _person(obj.created_by)


# A submission's columns as a plain pydantic model, for pages of inbox rows built as dicts (``inbox_rows``), like
# ``ReportFields``.
class SubmissionColumns(BaseModel):
    id: int
    office_id: int
    is_copy: bool
    is_direct: bool
    state: str
    state_label: str
    submitted_at: datetime
    decided_at: datetime | None
    reviewer: str | None
    comment: str


class SubmissionFields(Schema, SubmissionColumns):
    """What an item's submission to one office looks like, in the item's detail and in the inbox."""

    @staticmethod
    def resolve_state_label(obj: Submission) -> str:
        return choice_label(SubmissionState, obj.state)

    @staticmethod
    def resolve_reviewer(obj: Submission) -> str | None:
        return _person(obj.reviewer) if obj.reviewer_id else None


class SubmissionBrief(SubmissionFields):
    office_name: str
    merged_into_id: int | None

    @staticmethod
    def resolve_office_name(obj: Submission) -> str:
        return obj.office.name


class SignOffOut(Schema):
    id: int
    signer: str
    decision: str
    decision_label: str
    reason: str
    revision_number: int
    after_send: bool
    created_at: datetime

    @staticmethod
    def resolve_signer(obj: SignOff) -> str:
        return _person(obj.signer)

    @staticmethod
    def resolve_decision_label(obj: SignOff) -> str:
        return choice_label(SignOffDecision, obj.decision)

    @staticmethod
    def resolve_revision_number(obj: SignOff) -> int:
        return obj.revision.number


class EscalationOut(Schema):
    by: str
    waiting_since: datetime
    waited_minutes: int
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_by(obj) -> str:  # type: ignore[no-untyped-def]
        return _person(obj.by)


class AdoptionOut(Schema):
    id: int
    report_id: int
    office_id: int | None
    office_name: str | None
    level: str
    level_label: str
    mode: str
    mode_label: str
    external: bool
    publication: str
    issue_label: str
    adopted_on: date
    recorded_by: str
    note: str

    @staticmethod
    def resolve_office_name(obj: Adoption) -> str | None:
        return obj.office.name if obj.office_id else None

    @staticmethod
    def resolve_level_label(obj: Adoption) -> str:
        return choice_label(Level, obj.level)

    @staticmethod
    def resolve_mode_label(obj: Adoption) -> str:
        return choice_label(AdoptionMode, obj.mode)

    @staticmethod
    def resolve_recorded_by(obj: Adoption) -> str:
        return _person(obj.recorded_by)


class SourceOut(Schema):
    source_id: int
    kind: str
    source_revision_number: int | None


class ReportDetailOut(ReportOut):
    body: str
    signoff_after_send: bool
    escalated_at: datetime | None
    authors: list[PersonBrief]
    tags: list[str]
    submissions: list[SubmissionBrief]
    signoffs: list[SignOffOut]
    escalations: list[EscalationOut]
    adoptions: list[AdoptionOut]
    sources: list[SourceOut]

    # The lists are prefetched by the view (one query each, not one per row).
    @staticmethod
    def resolve_authors(obj: Report) -> list:
        return list(obj.authors.all())

    @staticmethod
    def resolve_tags(obj: Report) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_submissions(obj: Report) -> list:
        return list(obj.submissions.all())

    @staticmethod
    def resolve_signoffs(obj: Report) -> list:
        return list(obj.signoffs.all())

    @staticmethod
    def resolve_escalations(obj: Report) -> list:
        return list(obj.escalations.all())

    @staticmethod
    def resolve_adoptions(obj: Report) -> list:
        return list(obj.adoptions.all())

    @staticmethod
    def resolve_sources(obj: Report) -> list[dict]:
        return [
            {
                "source_id": link.source_id,
                "kind": link.kind,
                "source_revision_number": link.source_revision.number if link.source_revision_id else None,
            }
            for link in obj.source_links.all()
        ]


class RevisionOut(Schema):
    id: int
    number: int
    title: str
    body: str
    author: str
    role: str
    unit_id: int
    unit_name: str
    level: str
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Revision) -> str:
        return _person(obj.author)

    @staticmethod
    def resolve_unit_name(obj: Revision) -> str:
        return obj.unit.name


class SegmentOut(Schema):
    op: str = Field(..., description=gettext_lazy("equal 相同 / insert 新增 / delete 删除"))
    text: str


class DiffOut(Schema):
    a: int
    b: int
    title_segments: list[SegmentOut]
    segments: list[SegmentOut] = Field(..., description=gettext_lazy("正文逐字差异"))
    change_ratio: float = Field(..., description=gettext_lazy("改动比例（标题与正文），0 未改 … 1 全改"))


class HopOut(Schema):
    report_id: int
    level: str
    level_label: str
    unit_name: str
    revision_number: int
    author: str
    created_at: datetime
    title: str
    body: str
    change_ratio: float | None = Field(..., description=gettext_lazy("与上一层级相比的改动比例"))
    unchanged: bool = Field(False, description=gettext_lazy("该层级原样采用、未作修改"))
    segments: list[SegmentOut] | None = Field(
        ..., description=gettext_lazy("与上一层级相比的逐字差异；首个层级为空")
    )


class LineagePathOut(Schema):
    end_report_id: int
    end_title: str
    hops: list[HopOut]


class LineageOut(Schema):
    report_id: int
    hops: list[HopOut] = Field(..., description=gettext_lazy("本条信息由原稿到本层级的轨迹"))
    paths: list[LineagePathOut] = Field(
        ..., description=gettext_lazy("自本条信息起逐级转报的每条路径，直至到达的最高层级")
    )


class InboxItemOut(SubmissionFields):
    report: ReportOut


class InboxRow(SubmissionColumns):
    report: ReportFields


def inbox_rows(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Inbox rows of submissions read as ``selectors.INBOX_LIST_VALUES``, labels in the active language."""
    language = get_language()
    return [
        {
            "id": v["id"],
            "office_id": v["office_id"],
            "is_copy": v["is_copy"],
            "is_direct": v["is_direct"],
            "state": v["state"],
            "state_label": choice_label(SubmissionState, v["state"], language),
            "submitted_at": v["submitted_at"],
            "decided_at": v["decided_at"],
            "reviewer": (v["reviewer__full_name"] or v["reviewer__username"]) if v["reviewer_id"] else None,
            "comment": v["comment"],
            "report": _report_row(v, "report__", language),
        }
        for v in values
    ]


class OtherChangeOut(Schema):
    op: str
    text: str


class ConflictOut(Schema):
    code: str
    message: str
    field: str | None = None
    current_version: int
    other_changes: list[OtherChangeOut]


# Lazy like the other OpenAPI texts: the document is built per request, in the request's language.
_title_help = lazy(lambda: gettext("标题，不超过%(n)d个字") % {"n": TITLE_MAX}, str)
_body_help = lazy(lambda: gettext("正文，不超过%(n)d个字") % {"n": BODY_MAX}, str)


# --- In -----------------------------------------------------------------------------------------------------------


class ReportFilters(Schema):
    q: str | None = Field(None, description=gettext_lazy("标题或正文包含"))
    unit: int | None = Field(None, description=gettext_lazy("报送单位ID"))
    type: TypeValue | None = Field(None, description=gettext_lazy("信息类型"))
    state: StateValue | None = None
    date_from: date | None = Field(None, description=gettext_lazy("报送日期起（含）"))
    date_to: date | None = Field(None, description=gettext_lazy("报送日期止（含）"))


class InboxFilters(Schema):
    q: str | None = Field(None, description=gettext_lazy("标题或正文包含"))
    state: InboxStateValue | None = Field(
        None, description=gettext_lazy("open 为待处理（待审核、审核中、退回）")
    )
    unit: int | None = Field(None, description=gettext_lazy("报送单位ID"))
    type: TypeValue | None = Field(None, description=gettext_lazy("信息类型"))
    date_from: date | None = Field(None, description=gettext_lazy("报送日期起（含）"))
    date_to: date | None = Field(None, description=gettext_lazy("报送日期止（含）"))
    quota: Literal["below", "met"] | None = Field(
        None, description=gettext_lazy("报送单位本月报送任务：below 未完成，met 已完成")
    )


# Lengths are checked by the services (with the field named in a Chinese message); the schema only bounds what
# could not be stored at all.
class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., description=_title_help())
    body: str = Field(..., description=_body_help())
    report_type: TypeValue
    visibility: VisibilityValue | None = Field(
        None, description=gettext_lazy("不填时按类型默认：问题类为内参，其余为普通")
    )
    tags: list[str] = Field(default_factory=list, description=gettext_lazy("主题词，最多10个"))
    authors: list[int] = Field(
        default_factory=list, description=gettext_lazy("作者（本单位人员ID），默认本人")
    )


class ReportPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    base_version: int = Field(..., ge=1, description=gettext_lazy("修改所依据的版本号（详情中的 version）"))
    title: str | None = None
    body: str | None = None
    reason: str | None = Field(None, max_length=200, description=gettext_lazy("修改说明"))
    report_type: TypeValue | None = None
    visibility: VisibilityValue | None = None
    tags: list[str] | None = None
    authors: list[int] | None = None


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(
        None,
        max_length=KEY_MAX,
        description=gettext_lazy("幂等键：同一键重复提交只报送一次；也可用请求头 Idempotency-Key"),
    )


class SignOffIn(Schema):
    model_config = ConfigDict(extra="forbid")

    approve: bool = Field(..., description=gettext_lazy("true 同意报送；false 不同意（须填理由）"))
    reason: str = Field("", description=gettext_lazy("理由，不超过500个字"))


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=500)


class ForwardIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, description=gettext_lazy("转报标题，默认沿用原标题"))
    body: str | None = Field(None, description=gettext_lazy("转报正文，默认沿用原文"))
    reason: str = Field("", max_length=200, description=gettext_lazy("修改说明"))
    targets: list[int] | None = Field(None, description=gettext_lazy("上一级接收单位ID，默认主渠道"))


class ExternalAdoptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    level: LevelValue
    publication: str = Field(..., max_length=100, description=gettext_lazy("刊物名称"))
    issue_label: str = Field("", max_length=40, description=gettext_lazy("期号"))
    adopted_on: date
    mode: ExternalModeValue = "full"
    note: str = Field("", max_length=200)


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(..., description=gettext_lazy("退回修改意见"))


class OptionalCommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field("", description=gettext_lazy("不采用说明"))


class AdoptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    mode: AdoptModeValue = Field(..., description=gettext_lazy("full 全文采用 / partial 部分采用"))
    publication: str = Field("", max_length=100)
    issue_label: str = Field("", max_length=40)
    note: str = Field("", max_length=200)


class CombineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    submission_ids: list[int] = Field(..., description=gettext_lazy("本单位收到的报送记录ID，至少两条"))
    title: str
    body: str
    report_type: TypeValue = "analysis"
