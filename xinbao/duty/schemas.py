"""Request and response shapes of the duty API (rosters, coverage, duty log, handovers)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from xinbao.duty.models import CONTENT_MAX, NAME_MAX, PHONE_MAX, DutyRole, LogKind

RoleValue = Literal[tuple(DutyRole.values)]  # type: ignore[valid-type]
KindValue = Literal[tuple(LogKind.values)]  # type: ignore[valid-type]


class RosterEntryOut(Schema):
    id: int
    day: date
    shift_name: str
    starts_at: datetime
    ends_at: datetime
    role: str
    role_label: str = Field(..., alias="get_role_display")
    name: str
    phone: str
    person_id: int | None


class RosterEntryIn(Schema):
    day: date
    shift_name: str = Field(..., max_length=20)
    role: RoleValue
    name: str = Field("", max_length=NAME_MAX)
    phone: str = Field("", max_length=PHONE_MAX)
    person_id: int | None = None


class RosterEntryPatch(Schema):
    name: str = Field("", max_length=NAME_MAX)
    phone: str = Field("", max_length=PHONE_MAX)
    person_id: int | None = None


class RosterFilters(Schema):
    start: date | None = None
    end: date | None = None


class CopyWeekIn(Schema):
    source: date
    target: date
    replace: bool = False


class CopyWeekOut(Schema):
    copied: int


class GapOut(Schema):
    role: str
    role_label: str
    start: datetime
    end: datetime
    hours: int
    have: int
    need: int
    holidays: list[str]


class DutyPersonOut(Schema):
    name: str
    phone: str
    person_id: int | None
    shift_name: str
    starts_at: datetime
    ends_at: datetime


class OnDutyOut(Schema):
    at: datetime
    office_phone: str
    covered: bool
    leaders: list[DutyPersonOut]
    staff: list[DutyPersonOut]


class LogEntryOut(Schema):
    id: int
    at: datetime
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    content: str
    recorded_by_id: int
    corrects_id: int | None
    link: str
    created_at: datetime


class LogEntryIn(Schema):
    at: datetime
    kind: KindValue
    content: str = Field(..., max_length=CONTENT_MAX)
    corrects_id: int | None = None


class LogFilters(Schema):
    kind: KindValue | None = None
    start: datetime | None = None
    end: datetime | None = None


class HandoverOut(Schema):
    id: int
    at: datetime
    from_shift: str
    to_shift: str
    handed_by_id: int
    incoming_id: int
    outstanding: str
    acknowledged_at: datetime | None


class HandoverIn(Schema):
    from_shift: str = Field(..., max_length=40)
    to_shift: str = Field(..., max_length=40)
    incoming_id: int
    outstanding: str = Field(..., max_length=CONTENT_MAX)
