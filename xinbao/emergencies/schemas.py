"""Request and response shapes of the emergency API. Grades and categories are plain strings in requests so an
unknown value gets the service's Chinese message (事件等级无效…) rather than a schema error."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from xinbao.emergencies.models import Deadline, Incident, IncidentReport, PhoneReport, ReportingIssue


class PhoneIn(Schema):
    received_at: datetime
    caller: str = Field(..., max_length=40)
    caller_phone: str = Field(..., max_length=30)
    summary: str


class CasualtiesIn(Schema):
    deaths: int = 0
    injured: int = 0
    missing: int = 0
    trapped: int = 0
    direct_loss: Decimal = Decimal(0)


class IncidentIn(Schema):
    unit_id: int
    title: str
    category: str
    grade: str
    occurred_at: datetime
    learned_at: datetime
    place: str
    summary: str
    casualties: CasualtiesIn = CasualtiesIn()
    other_unit_ids: list[int] = []
    phone: PhoneIn | None = None


class WrittenIn(Schema):
    kind: str
    body: str
    title: str = ""
    casualties: CasualtiesIn | None = None
    key: str = Field("", max_length=64)


class IssueIn(Schema):
    """漏报 or 瞒报, recorded by the office's 信息科 with where it learned of it, when, and the evidence."""

    kind: str
    source: str
    learned_at: datetime
    evidence: str


class AnswerIn(Schema):
    answer: str


class IncidentFilters(Schema):
    status: str | None = None
    grade: str | None = None
    category: str | None = None
    unit: int | None = None


class DeadlineFilters(Schema):
    state: str | None = None
    incident: int | None = None
    overdue: bool | None = None


class DeadlineOut(Schema):
    id: int
    incident_id: int
    kind: str
    kind_label: str
    opens_at: datetime
    due_at: datetime
    state: str
    state_label: str
    met_at: datetime | None
    minutes_late: int
    alerted_at: datetime | None
    escalated_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj: Deadline) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj: Deadline) -> str:
        return str(obj.get_state_display())


class PhoneOut(Schema):
    id: int
    received_at: datetime
    caller: str
    caller_phone: str
    summary: str
    taken_by: str

    @staticmethod
    def resolve_taken_by(obj: PhoneReport) -> str:
        return obj.taken_by.full_name


class WrittenOut(Schema):
    id: int
    kind: str
    label: str
    number: int
    report_id: int
    title: str
    submitted_at: datetime

    @staticmethod
    def resolve_label(obj: IncidentReport) -> str:
        from xinbao.emergencies.services.incidents import written_label

        return written_label(obj)

    @staticmethod
    def resolve_title(obj: IncidentReport) -> str:
        return obj.report.title


class IssueOut(Schema):
    id: int
    incident_id: int
    unit_id: int
    kind: str
    kind_label: str
    source: str
    source_label: str
    learned_at: datetime
    evidence: str
    recorded_by: str
    answer: str
    answered_by: str | None
    answered_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj: ReportingIssue) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_source_label(obj: ReportingIssue) -> str:
        return str(obj.get_source_display())

    @staticmethod
    def resolve_recorded_by(obj: ReportingIssue) -> str:
        return obj.recorded_by.full_name

    @staticmethod
    def resolve_answered_by(obj: ReportingIssue) -> str | None:
        return obj.answered_by.full_name if obj.answered_by else None


class IncidentOut(Schema):
    id: int
    title: str
    unit_id: int
    unit_name: str
    office_id: int
    category: str
    category_label: str
    grade: str
    grade_label: str
    occurred_at: datetime
    learned_at: datetime
    learned_via: str
    place: str
    summary: str
    deaths: int
    injured: int
    missing: int
    trapped: int
    direct_loss: Decimal
    status: str
    closed_at: datetime | None

    @staticmethod
    def resolve_unit_name(obj: Incident) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_category_label(obj: Incident) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_grade_label(obj: Incident) -> str:
        return str(obj.get_grade_display())


class IncidentDetailOut(IncidentOut):
    phone_reports: list[PhoneOut]
    written_reports: list[WrittenOut]
    deadlines: list[DeadlineOut]
    issues: list[IssueOut]

    @staticmethod
    def resolve_phone_reports(obj: Incident) -> list:
        return list(obj.phone_reports.all())

    @staticmethod
    def resolve_written_reports(obj: Incident) -> list:
        return list(obj.written_reports.all())

    @staticmethod
    def resolve_deadlines(obj: Incident) -> list:
        return list(obj.deadlines.all())

    @staticmethod
    def resolve_issues(obj: Incident) -> list:
        return list(obj.issues.all())
