"""Request and response shapes of the bulletins API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import ConfigDict

from xinbao.bulletins.models import (
    Classification,
    Issue,
    IssueEntry,
    IssueReader,
    IssueRecipient,
    IssueState,
    Series,
    SeriesKind,
)
from xinbao.bulletins.rendering import issue_line
from xinbao.common.choices import choice_label
from xinbao.reports.models import AdoptionMode

KindValue = Literal[tuple(SeriesKind.values)]  # type: ignore[valid-type]
ClassificationValue = Literal[tuple(Classification.values)]  # type: ignore[valid-type]
StateValue = Literal[tuple(IssueState.values)]  # type: ignore[valid-type]
ModeValue = Literal[tuple(AdoptionMode.values)]  # type: ignore[valid-type]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class DistributionIn(Strict):
    report: list[int] = Field(default_factory=list, description=gettext_lazy("报：单位ID"))
    send: list[int] = Field(default_factory=list, description=gettext_lazy("送：单位ID"))
    issue: list[int] = Field(default_factory=list, description=gettext_lazy("发：单位ID"))


class SeriesIn(Strict):
    name: str = Field(max_length=40)
    code: str = Field(max_length=32)
    kind: KindValue = "briefing"
    classification: ClassificationValue = "internal"
    copies: int = 50
    total_start: int = 1
    show_total_number: bool = True
    publisher_name: str = Field("", max_length=60)
    is_active: bool = True
    distribution: DistributionIn | None = None


class RecipientOut(Schema):
    kind: str
    unit_id: int
    unit_name: str

    @staticmethod
    def resolve_unit_name(obj: IssueRecipient) -> str:
        return obj.unit.name


class SeriesOut(Schema):
    id: int
    office_id: int
    office_name: str
    name: str
    code: str
    kind: str
    kind_label: str
    classification: str
    classification_label: str
    copies: int
    total_start: int
    show_total_number: bool
    publisher: str
    is_active: bool
    recipients: list[RecipientOut]

    @staticmethod
    def resolve_office_name(obj: Series) -> str:
        return obj.office.name

    @staticmethod
    def resolve_kind_label(obj: Series) -> str:
        return choice_label(SeriesKind, obj.kind)

    @staticmethod
    def resolve_classification_label(obj: Series) -> str:
        return choice_label(Classification, obj.classification)

    @staticmethod
    def resolve_recipients(obj: Series) -> list:
        return list(obj.recipients.select_related("unit").order_by("id"))


class IssueOut(Schema):
    id: int
    series_id: int
    series_name: str
    series_code: str
    is_supplement: bool
    state: str
    state_label: str
    classification: str
    classification_label: str
    year: int | None
    number: int | None
    total_number: int | None
    label: str
    issue_line: str
    serial: str
    copies: int
    issue_date: date | None
    version: int
    signed_by: str | None
    signed_at: datetime | None
    published_at: datetime | None

    @staticmethod
    def resolve_series_name(obj: Issue) -> str:
        return obj.series.name

    @staticmethod
    def resolve_series_code(obj: Issue) -> str:
        return obj.series.code

    @staticmethod
    def resolve_state_label(obj: Issue) -> str:
        return choice_label(IssueState, obj.state)

    @staticmethod
    def resolve_classification_label(obj: Issue) -> str:
        return choice_label(Classification, obj.classification)

    @staticmethod
    def resolve_issue_line(obj: Issue) -> str:
        return issue_line(obj)

    @staticmethod
    def resolve_signed_by(obj: Issue) -> str | None:
        return obj.signed_by.full_name if obj.signed_by_id else None


class EntryOut(Schema):
    id: int
    report_id: int
    position: int
    title: str
    body: str
    source_line: str
    mode: str
    mode_label: str
    revision_id: int | None
    adoption_id: int | None

    @staticmethod
    def resolve_mode_label(obj: IssueEntry) -> str:
        return choice_label(AdoptionMode, obj.mode)


class IssueDetailOut(IssueOut):
    editor_note: str
    entries: list[EntryOut]
    recipients: list[RecipientOut]
    reader_ids: list[int]

    @staticmethod
    def resolve_entries(obj: Issue) -> list:
        return list(obj.entries.order_by("position", "id"))

    @staticmethod
    def resolve_recipients(obj: Issue) -> list:
        return list(obj.recipients.select_related("unit").order_by("id"))

    @staticmethod
    def resolve_reader_ids(obj: Issue) -> list[int]:
        return list(obj.readers.values_list("person_id", flat=True))


class IssueFilters(Schema):
    series: int | None = None
    state: StateValue | None = None
    year: int | None = None


class IssueCreateIn(Strict):
    series_id: int
    is_supplement: bool = False


class IssuePatch(Strict):
    editor_note: str | None = None
    classification: ClassificationValue | None = None
    copies: int | None = None
    serial: str | None = None
    version: int = Field(description=gettext_lazy("当前版本（他人已修改时返回 409）"))


class IssueDistributionIn(DistributionIn):
    readers: list[int] = Field(default_factory=list, description=gettext_lazy("指定阅读人：人员ID"))


class ReaderIn(Strict):
    person_id: int = Field(description=gettext_lazy("人员ID（本单位或本刊可分送单位的在岗人员）"))


class ReaderOut(Schema):
    person_id: int
    name: str
    unit_name: str
    added_by: str
    added_at: datetime

    @staticmethod
    def resolve_name(obj: IssueReader) -> str:
        return obj.person.full_name or obj.person.username

    @staticmethod
    def resolve_unit_name(obj: IssueReader) -> str:
        return obj.person.unit.name if obj.person.unit is not None else ""

    @staticmethod
    def resolve_added_by(obj: IssueReader) -> str:
        return obj.added_by.full_name or obj.added_by.username

    @staticmethod
    def resolve_added_at(obj: IssueReader) -> datetime:
        return obj.created_at


class EntryIn(Strict):
    report_id: int


class EntryPatch(Strict):
    title: str | None = None
    body: str | None = None
    source_line: str | None = None
    mode: ModeValue | None = None
    version: int | None = None


class MoveIn(Strict):
    direction: Literal["up", "down"]


class OrderIn(Strict):
    order: list[int]
    version: int | None = None


class PublishIn(Strict):
    issue_date: date | None = None
