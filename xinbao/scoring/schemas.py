"""API schemas of the scoring capability."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy
from ninja import Field, Schema


class PeriodQuery(Schema):
    period: str = Field(
        "", description=gettext_lazy("考核期间：2026、2026Q1、2026-03 或 2026-01-01..2026-06-30；默认本季度")
    )
    level: str = Field("", description=gettext_lazy("只列该层级的单位"))
    kind: str = Field("", description=gettext_lazy("只列该类型的单位"))
    order: str = Field(
        "total",
        description=gettext_lazy("排序：total 按总分（默认）；composite 按千分制综合得分（名次随之）"),
    )


class RuleSetIn(Schema):
    year: int
    rules: dict[str, Any]
    name: str = ""
    note: str = ""
    base_version: int | None = Field(
        None, description=gettext_lazy("所依据的版本号；他人已保存新版本时返回 400")
    )


class RuleSetOut(Schema):
    id: int
    office: int = Field(alias="office_id")
    year: int
    version: int
    name: str
    rules: dict[str, Any]
    note: str
    created_at: datetime
    created_by: int | None = Field(None, alias="created_by_id")


class RebuildIn(Schema):
    year: int


class BuildOut(Schema):
    id: int
    office: int = Field(alias="office_id")
    year: int
    rule_version: int = Field(alias="rule_set.version")
    entry_count: int
    digest: str
    finished_at: datetime | None


class UnitRankOut(Schema):
    unit: str
    unit_id: int
    name: str
    level: str
    kind: str
    own: float
    total: float
    composite: float = Field(description=gettext_lazy("千分制综合得分（按计分规则中“千分制类别权重”）"))
    rank: int
    children: list[str]


class PersonRankOut(Schema):
    person_id: int
    name: str
    unit_id: int | None
    unit_name: str
    total: float
    rank: int


class EntryOut(Schema):
    id: int
    unit: int = Field(alias="unit_id")
    person: int | None = Field(None, alias="person_id")
    points: float
    kind: str
    rule_key: str
    rule_version: int
    source_type: str
    source_id: int
    event_date: date
    note: str


class InformantQuotaOut(Schema):
    person_id: int
    name: str
    unit_id: int
    unit_name: str
    months: int
    expected: int
    submitted: int
    analysis: int
    months_met: int
    rate: float | None


class UnitQuotaOut(Schema):
    unit_id: int
    code: str
    name: str
    submitted: int
    expected: int
    months_met: int
    adopted: int
    adopted_target: int
    rate: float | None
    supervise: bool


class QuotasOut(Schema):
    period: str
    expected: int
    submitted: int
    rate: float | None
    informants: list[InformantQuotaOut]
    units: list[UnitQuotaOut]
    supervision: list[UnitQuotaOut]
    inactive: list[InformantQuotaOut]


class CircularRowOut(Schema):
    rank: int
    code: str
    name: str
    submitted: int
    adopted: dict[str, int]
    instructions: int
    score: float
    composite: float
    completion: float | None


class CircularOut(Schema):
    title: str
    period: str
    rows: list[CircularRowOut]


class ProposedItemOut(Schema):
    report_id: int
    title: str
    unit_name: str
    points: float


class CommendationsOut(Schema):
    year: int
    units: list[UnitRankOut]
    informants: list[PersonRankOut]
    items: list[ProposedItemOut]
