"""/api/v1 endpoints of the quality gate: check a text, a report's secrecy status and the signer's confirmation,
reference documents, the wording lists."""

from __future__ import annotations

from typing import Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from xinbao.api.pagination import Page, PageParams, paginate
from xinbao.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, reject_nulls
from xinbao.quality import services
from xinbao.quality.checks import secrecy_cleared
from xinbao.quality.models import WordingKind
from xinbao.quality.secrecy import hit_words
from xinbao.quality.selectors import (
    public_release_allowed,
    quality_check,
    report_for_secrecy,
    secrecy_findings,
    wording_rule_get,
    wording_rule_list,
)
from xinbao.reports.models import BODY_MAX
from xinbao.reports.selectors import report_get_visible

router = Router(tags=["quality"])


class CheckIn(Schema):
    title: str = Field("", max_length=200)
    body: str = Field("", max_length=BODY_MAX * 2)
    report_id: int | None = Field(None, ge=1)
    reuse: bool = True


class FindingOut(Schema):
    kind: str
    level: str
    field: str
    start: int
    end: int
    message: str
    excerpt: str
    suggestion: str


class PassageOut(Schema):
    mine: str
    theirs: str


class ReuseOut(Schema):
    score: float
    kind: str
    visible: bool
    title: str
    source: str
    year: int
    report_id: int | None
    passages: list[PassageOut]


class SuggestionOut(Schema):
    report_type: str
    label: str
    confidence: float
    reasons: list[str]


class CheckOut(Schema):
    blocking: bool
    findings: list[FindingOut]
    reuse: list[ReuseOut]
    suggestion: SuggestionOut | None


class SecrecyOut(Schema):
    keywords: list[str]
    findings: list[FindingOut]
    cleared: bool
    public_release_allowed: bool


class ConfirmIn(Schema):
    reason: str = Field(..., max_length=500)


class ReferenceIn(Schema):
    title: str = Field(..., max_length=200)
    source: str = Field("", max_length=300)
    text: str = Field(..., max_length=services.REFERENCE_MAX)


class ReferenceOut(Schema):
    id: int
    title: str
    source: str


@router.post(
    "/quality/check",
    response={200: CheckOut, **WRITE_ERRORS},
    summary=gettext_lazy("质量检查（用语、保密、查重、类型建议）"),
)
def check(request: HttpRequest, payload: CheckIn):  # type: ignore[no-untyped-def]
    if payload.report_id:
        report_get_visible(user=request.auth, pk=payload.report_id)
    result = quality_check(
        user=request.auth,
        title=payload.title,
        body=payload.body,
        report_id=payload.report_id,
        with_reuse=payload.reuse,
    )
    return {
        "blocking": result.blocking,
        "findings": [f.as_dict() for f in result.findings],
        "reuse": result.reuse,
        "suggestion": result.suggestion,
    }


def _secrecy(user, report_id: int) -> dict:  # type: ignore[no-untyped-def]
    report = report_for_secrecy(user=user, pk=report_id)
    found = secrecy_findings(report.title, report.body)
    return {
        "keywords": hit_words(report.title, report.body),
        "findings": [f.as_dict() for f in found],
        "cleared": secrecy_cleared(title=report.title, body=report.body, report=report),
        "public_release_allowed": public_release_allowed(report),
    }


@router.get(
    "/reports/{report_id}/secrecy",
    response={200: SecrecyOut, **READ_ERRORS},
    summary=gettext_lazy("保密审查结果"),
)
def secrecy(request: HttpRequest, report_id: int):  # type: ignore[no-untyped-def]
    return _secrecy(request.auth, report_id)


@router.post(
    "/reports/{report_id}/secrecy/confirm",
    response={200: SecrecyOut, **WRITE_ERRORS},
    summary=gettext_lazy("审签人确认保密审查（须说明理由）"),
)
def secrecy_confirm(request: HttpRequest, report_id: int, payload: ConfirmIn):  # type: ignore[no-untyped-def]
    report = report_for_secrecy(user=request.auth, pk=report_id)
    services.secrecy_confirm(actor=request.auth, report=report, reason=payload.reason)
    return _secrecy(request.auth, report_id)


@router.post(
    "/reports/{report_id}/secrecy/request",
    response={200: SecrecyOut, **WRITE_ERRORS},
    summary=gettext_lazy("作者提请本单位审签人确认保密审查"),
)
def secrecy_request(request: HttpRequest, report_id: int):  # type: ignore[no-untyped-def]
    report = report_for_secrecy(user=request.auth, pk=report_id)
    services.secrecy_request(actor=request.auth, report=report)
    return _secrecy(request.auth, report_id)


@router.post(
    "/quality/references",
    response={201: ReferenceOut, **WRITE_ERRORS},
    summary=gettext_lazy("加入查重参考资料"),
)
def reference_create(request: HttpRequest, payload: ReferenceIn):  # type: ignore[no-untyped-def]
    doc = services.reference_create(
        actor=request.auth, title=payload.title, source=payload.source, text=payload.text
    )
    return Status(201, {"id": doc.pk, "title": doc.title, "source": doc.source})


# --- wording lists -------------------------------------------------------------------------------------------------
# Lengths are bounded here only against oversized payloads; the limits people meet (50/200 characters, duplicates,
# a correction equal to the word) are the service's, with the same Chinese messages as the page and the import.


KindValue = Literal[tuple(WordingKind.values)]  # type: ignore[valid-type]


class WordingRuleFilters(Schema):
    kind: KindValue | None = Field(
        None, description=gettext_lazy("类别：miswriting（常见错别字）或 sensitive（敏感或不规范表述）")
    )
    q: str | None = Field(None, max_length=50, description=gettext_lazy("词语、建议写法或说明包含"))
    active: bool | None = Field(None, description=gettext_lazy("true 只列启用的，false 只列停用的"))


class WordingRuleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(..., max_length=20)
    wrong: str = Field(..., max_length=1000)
    correct: str = Field("", max_length=1000)
    note: str = Field("", max_length=1000)


class WordingRulePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str | None = Field(None, max_length=20)
    wrong: str | None = Field(None, max_length=1000)
    correct: str | None = Field(None, max_length=1000)
    note: str | None = Field(None, max_length=1000)
    is_active: bool | None = Field(None, description=gettext_lazy("false 停用（保留记录），true 重新启用"))


class WordingRuleOut(Schema):
    id: int
    kind: str
    wrong: str
    correct: str
    note: str
    is_active: bool


WORDING_LABELS = {
    "kind": gettext_lazy("类别"),
    "wrong": gettext_lazy("词语"),
    "correct": gettext_lazy("建议写法（可为空字符串）"),
    "note": gettext_lazy("说明（可为空字符串）"),
    "is_active": gettext_lazy("启用标志"),
}


@router.get(
    "/quality/wording-rules",
    response={200: Page[WordingRuleOut], **READ_ERRORS, 403: ErrorOut},
    summary=gettext_lazy("用语规则列表"),
)
def wording_rules(request: HttpRequest, filters: Query[WordingRuleFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    return paginate(wording_rule_list(user=request.auth, filters=filters.dict()), paging)


@router.post(
    "/quality/wording-rules",
    response={201: WordingRuleOut, **WRITE_ERRORS},
    summary=gettext_lazy("新增用语规则"),
)
def wording_rule_create(request: HttpRequest, payload: WordingRuleIn):  # type: ignore[no-untyped-def]
    return Status(201, services.wording_rule_save(actor=request.auth, **payload.dict()))


@router.patch(
    "/quality/wording-rules/{rule_id}",
    response={200: WordingRuleOut, **WRITE_ERRORS},
    summary=gettext_lazy("修改、停用或重新启用用语规则"),
)
def wording_rule_update(request: HttpRequest, rule_id: int, payload: WordingRulePatch):  # type: ignore[no-untyped-def]
    rule = wording_rule_get(user=request.auth, pk=rule_id)
    data = payload.dict(exclude_unset=True)
    reject_nulls(data, WORDING_LABELS)
    active = data.pop("is_active", None)
    # Both changes or neither: a refused edit must not leave a deactivation behind.
    with transaction.atomic():
        if data:
            current = {"kind": rule.kind, "wrong": rule.wrong, "correct": rule.correct, "note": rule.note}
            rule = services.wording_rule_save(actor=request.auth, rule=rule, **{**current, **data})
        if active is not None and active != rule.is_active:
            rule = services.wording_rule_set_active(actor=request.auth, rule=rule, active=active)
    return rule
