"""/api/v1 endpoints for items (信息报送) and office review (审核采用), issue 3 item 10.

Reads go through reports.selectors, so an item the caller may not see is 404 exactly as a missing one (a restricted
item never reveals that it exists); writes go through reports.services, which answer 403 for a visible item the
caller may not act on and 409 when someone else got there first."""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status

from xinbao.accounts.models import User
from xinbao.accounts.selectors import person_get_visible
from xinbao.api.pagination import Page, PageParams, page_of, page_start
from xinbao.api.schemas import READ_ERRORS, WRITE_ERRORS, reject_nulls
from xinbao.common.errors import Conflict, NotFound, ValidationFailed
from xinbao.orgs.models import Level, Unit
from xinbao.reports.diff import Hop, change_ratio, char_diff, lineage_hops, lineage_paths, revision_text
from xinbao.reports.models import Adoption, Escalation, Report, ReportSource, SignOff, Submission
from xinbao.reports.schemas import (
    KEY_MAX,
    AdoptIn,
    AdoptionOut,
    CombineIn,
    CommentIn,
    ConflictOut,
    DiffOut,
    ExternalAdoptionIn,
    ForwardIn,
    InboxFilters,
    InboxItemOut,
    InboxRow,
    LineageOut,
    OptionalCommentIn,
    ReasonIn,
    ReportDetailOut,
    ReportFields,
    ReportFilters,
    ReportIn,
    ReportPatch,
    RevisionOut,
    SignOffIn,
    SubmitIn,
    inbox_rows,
    report_rows,
)
from xinbao.reports.selectors import (
    INBOX_LIST_VALUES,
    inbox_for_office,
    report_get_visible,
    report_page_visible_to,
    submission_get_for_office,
)
from xinbao.reports.services import (
    adoption_record_external,
    report_combine,
    report_create,
    report_escalate,
    report_forward,
    report_signoff,
    report_submit,
    report_update,
    report_withdraw,
    submission_adopt,
    submission_not_adopt,
    submission_return,
    submission_take_up,
)
from xinbao.reports.services.reading import report_record_read

router = Router(tags=[gettext_lazy("信息报送")])

#: Field names in error messages; lazy so that each request gets its own language.
PATCH_LABELS = {
    "title": gettext_lazy("标题"),
    "body": gettext_lazy("正文"),
    "reason": gettext_lazy("修改说明（可为空字符串）"),
    "report_type": gettext_lazy("信息类型"),
    "visibility": gettext_lazy("密级范围"),
    "tags": gettext_lazy("主题词（可为空列表）"),
    "authors": gettext_lazy("作者"),
}


def _detail(user: User, pk: int) -> Report:
    report = report_get_visible(user=user, pk=pk)
    # One query per list rather than one per row; the detail schema reads these prefetched lists.
    prefetch_related_objects(
        [report],
        "authors",
        "tags",
        Prefetch(
            "submissions",
            queryset=Submission.objects.select_related("office", "reviewer").order_by("submitted_at", "id"),
        ),
        Prefetch("signoffs", queryset=SignOff.objects.select_related("signer", "revision")),
        Prefetch("escalations", queryset=Escalation.objects.select_related("by")),
        Prefetch("adoptions", queryset=Adoption.objects.select_related("office", "recorded_by")),
        Prefetch("source_links", queryset=ReportSource.objects.select_related("source_revision")),
    )
    return report


def _authors(request: HttpRequest, ids: list[int]) -> list[User]:
    people = []
    for pk in dict.fromkeys(ids):
        try:
            people.append(person_get_visible(user=request.auth, pk=pk))
        except NotFound as exc:
            raise NotFound(_("作者（人员ID %(id)s）不存在或无权查看") % {"id": pk}, field="authors") from exc
    return people


def _submission(request: HttpRequest, pk: int) -> Submission:
    return submission_get_for_office(user=request.auth, pk=pk)


def _submission_out(request: HttpRequest, pk: int) -> Submission:
    return submission_get_for_office(user=request.auth, pk=pk)


# --- Items ---------------------------------------------------------------------------------------------------------


@router.get("/reports", response={200: Page[ReportFields], **READ_ERRORS}, summary=gettext_lazy("信息列表"))
def list_reports(request: HttpRequest, filters: Query[ReportFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    results, count = report_page_visible_to(
        user=request.auth,
        filters=filters.dict(exclude_none=True),
        start=page_start(paging),
        size=paging.page_size,
    )
    return page_of(report_rows(results), count, paging)


@router.get(
    "/reports/{report_id}",
    response={200: ReportDetailOut, **READ_ERRORS},
    summary=gettext_lazy("信息详情（含报送、审签、采用记录）"),
)
def get_report(request: HttpRequest, report_id: int):  # type: ignore[no-untyped-def]
    report = _detail(request.auth, report_id)
    report_record_read(user=request.auth, report=report, what="api_detail")
    return report


@router.post("/reports", response={201: ReportDetailOut, **WRITE_ERRORS}, summary=gettext_lazy("起草信息"))
def create_report(request: HttpRequest, payload: ReportIn):  # type: ignore[no-untyped-def]
    report = report_create(
        actor=request.auth,
        title=payload.title,
        body=payload.body,
        report_type=payload.report_type,
        visibility=payload.visibility,
        tags=payload.tags,
        authors=_authors(request, payload.authors) if payload.authors else None,
    )
    return Status(201, _detail(request.auth, report.pk))


@router.patch(
    "/reports/{report_id}",
    response={200: ReportDetailOut, **WRITE_ERRORS, 409: ConflictOut},
    summary=gettext_lazy("修改信息（须带 base_version，他人已修改时返回 409 及对方的修改）"),
)
def update_report(request: HttpRequest, report_id: int, payload: ReportPatch):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=report_id)
    data = payload.dict(exclude_unset=True, exclude={"base_version"})
    reject_nulls(data, PATCH_LABELS)
    authors = _authors(request, data["authors"]) if "authors" in data else None
    try:
        report_update(
            actor=request.auth,
            report=report,
            title=data.get("title", report.title),
            body=data.get("body", report.body),
            base_version=payload.base_version,
            reason=data.get("reason", ""),
            report_type=data.get("report_type"),
            visibility=data.get("visibility"),
            tags=data.get("tags"),
            authors=authors,
        )
    except Conflict as exc:
        if not hasattr(exc, "other_changes"):
            raise
        # Nothing was written; the caller gets the other person's changes so his own text is not lost.
        return Status(
            409,
            {
                "code": exc.code,
                "message": exc.message,
                "field": exc.field,
                "current_version": exc.current_version,  # type: ignore[attr-defined]
                "other_changes": [{"op": s.op, "text": s.text} for s in exc.other_changes],  # type: ignore[attr-defined]
            },
        )
    return _detail(request.auth, report_id)


@router.post(
    "/reports/{report_id}/submit",
    response={200: ReportDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("报送（送审签；紧急信息直接报出）；同一幂等键重复提交只报送一次"),
)
def submit_report(request: HttpRequest, report_id: int, payload: SubmitIn | None = None):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=report_id)
    body_key = (payload.key if payload else None) or ""
    header_key = request.headers.get("Idempotency-Key", "").strip()
    if len(header_key) > KEY_MAX:
        raise ValidationFailed(
            _("Idempotency-Key 过长（最多%(max)d个字符）") % {"max": KEY_MAX}, field="Idempotency-Key"
        )
    if body_key and header_key and body_key != header_key:
        raise ValidationFailed(_("请求体中的 key 与请求头 Idempotency-Key 不一致"), field="key")
    report_submit(actor=request.auth, report=report, key=body_key or header_key)
    return _detail(request.auth, report_id)


@router.post(
    "/reports/{report_id}/signoff",
    response={200: ReportDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("审签（同意报送或不同意并说明理由）"),
)
def signoff_report(request: HttpRequest, report_id: int, payload: SignOffIn):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=report_id)
    report_signoff(actor=request.auth, report=report, approve=payload.approve, reason=payload.reason)
    return _detail(request.auth, report_id)


@router.post(
    "/reports/{report_id}/escalate",
    response={200: ReportDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("审签超时越级报送"),
)
def escalate_report(request: HttpRequest, report_id: int, payload: ReasonIn | None = None):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=report_id)
    report_escalate(actor=request.auth, report=report, reason=payload.reason if payload else "")
    return _detail(request.auth, report_id)


@router.post(
    "/reports/{report_id}/withdraw",
    response={200: ReportDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("撤回（接收单位开始审核前）"),
)
def withdraw_report(request: HttpRequest, report_id: int):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=report_id)
    report_withdraw(actor=request.auth, report=report)
    return _detail(request.auth, report_id)


@router.post(
    "/reports/{report_id}/forward",
    response={201: ReportDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("转报上一级（返回转报后的信息）"),
)
def forward_report(request: HttpRequest, report_id: int, payload: ForwardIn | None = None):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=report_id)
    payload = payload or ForwardIn()
    targets = None
    if payload.targets is not None:
        ids = list(dict.fromkeys(payload.targets))
        targets = list(Unit.objects.filter(pk__in=ids))
        if len(targets) != len(ids):
            # Same words as the service's refusal, so an unknown id does not reveal more than a wrong one.
            raise ValidationFailed(_("转报目标必须是上一级的接收单位"), field="targets")
    forwarded = report_forward(
        actor=request.auth,
        report=report,
        title=payload.title,
        body=payload.body,
        reason=payload.reason,
        targets=targets,
    )
    return Status(201, _detail(request.auth, forwarded.pk))


@router.post(
    "/reports/{report_id}/external-adoptions",
    response={201: AdoptionOut, **WRITE_ERRORS},
    summary=gettext_lazy("登记系统外采用（层级、刊物、期号、日期）"),
)
def record_external_adoption(request: HttpRequest, report_id: int, payload: ExternalAdoptionIn):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=report_id)
    adoption = adoption_record_external(actor=request.auth, report=report, **payload.dict())
    return Status(201, adoption)


@router.get(
    "/reports/{report_id}/revisions",
    response={200: list[RevisionOut], **READ_ERRORS},
    summary=gettext_lazy("修改版本（全部保留）"),
)
def list_revisions(request: HttpRequest, report_id: int):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=report_id)
    report_record_read(user=request.auth, report=report, what="api_revisions")
    return list(report.revisions.select_related("author", "unit").order_by("number"))


@router.get(
    "/reports/{report_id}/diff",
    response={200: DiffOut, **READ_ERRORS, 400: WRITE_ERRORS[400]},
    summary=gettext_lazy("两个版本之间的逐字差异（默认最新版本与上一版本）"),
)
def diff_revisions(request: HttpRequest, report_id: int, a: int | None = None, b: int | None = None):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=report_id)
    report_record_read(user=request.auth, report=report, what="api_diff")
    revisions = {r.number: r for r in report.revisions.all()}
    b = b if b is not None else max(revisions)
    a = a if a is not None else max(b - 1, 1)
    for name, number in (("a", a), ("b", b)):
        if number not in revisions:
            raise ValidationFailed(
                _("版本号%(n)s不存在（本信息共%(count)d个版本）") % {"n": number, "count": len(revisions)},
                field=name,
            )
    old, new = revisions[a], revisions[b]
    return {
        "a": a,
        "b": b,
        "title_segments": char_diff(old.title, new.title),
        "segments": char_diff(old.body, new.body),
        "change_ratio": change_ratio(revision_text(old), revision_text(new)),
    }


@router.get(
    "/reports/{report_id}/lineage",
    response={200: LineageOut, **READ_ERRORS},
    summary=gettext_lazy("逐级修改轨迹（各层级的文本与改动比例）"),
)
def report_lineage(request: HttpRequest, report_id: int):  # type: ignore[no-untyped-def]
    report = report_get_visible(user=request.auth, pk=report_id)
    report_record_read(user=request.auth, report=report, what="api_lineage")
    # The same lineage as the page (reports.diff.lineage_paths): ``hops`` is the line that led to this item,
    # ``paths`` follows each forwarding chain from it upward — what the informant watches become of the text.
    return {
        "report_id": report.pk,
        "hops": _hops_out(lineage_hops(report)),
        "paths": [
            {"end_report_id": end.pk, "end_title": end.title, "hops": _hops_out(hops)}
            for end, hops in lineage_paths(report)
        ],
    }


def _hops_out(hops: list[Hop]) -> list[dict]:
    out = []
    previous = None
    for hop in hops:
        rev = hop.revision
        segments = char_diff(revision_text(previous), revision_text(rev)) if previous is not None else None
        out.append(
            {
                "report_id": rev.report_id,
                "level": hop.level,
                "level_label": str(Level(hop.level).label) if hop.level in Level.values else hop.level,
                "unit_name": hop.unit_name,
                "revision_number": rev.number,
                "author": rev.author.full_name or rev.author.username,
                "created_at": rev.created_at,
                "title": rev.title,
                "body": rev.body,
                "change_ratio": hop.change_from_previous,
                "unchanged": hop.unchanged,
                "segments": segments,
            }
        )
        previous = rev
    return out


# --- Office review -------------------------------------------------------------------------------------------------


@router.get(
    "/inbox",
    response={200: Page[InboxRow], **READ_ERRORS},
    summary=gettext_lazy("本单位收件箱（待审核信息）"),
)
def inbox(request: HttpRequest, filters: Query[InboxFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    qs = inbox_for_office(user=request.auth, filters=filters.dict(exclude_none=True))
    start = page_start(paging)
    rows = list(qs.values(*INBOX_LIST_VALUES)[start : start + paging.page_size])
    # Counted without the row values' joins (a county office's 4,000 submissions: 2 ms instead of 25).
    return page_of(inbox_rows(rows), qs.count(), paging)


@router.post(
    "/submissions/combine",
    response={201: ReportDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("综合多条信息为一条（各来源保留采用计分）"),
)
def combine_submissions(request: HttpRequest, payload: CombineIn):  # type: ignore[no-untyped-def]
    subs = []
    for pk in dict.fromkeys(payload.submission_ids):
        try:
            subs.append(_submission(request, pk))
        except NotFound as exc:
            raise NotFound(_("报送记录%(id)s不存在或无权处理") % {"id": pk}, field="submission_ids") from exc
    combined = report_combine(
        actor=request.auth,
        submissions=subs,
        title=payload.title,
        body=payload.body,
        report_type=payload.report_type,
    )
    return Status(201, _detail(request.auth, combined.pk))


@router.post(
    "/submissions/{submission_id}/take-up",
    response={200: InboxItemOut, **WRITE_ERRORS},
    summary=gettext_lazy("开始审核"),
)
def take_up(request: HttpRequest, submission_id: int):  # type: ignore[no-untyped-def]
    submission_take_up(actor=request.auth, submission=_submission(request, submission_id))
    return _submission_out(request, submission_id)


@router.post(
    "/submissions/{submission_id}/return",
    response={200: InboxItemOut, **WRITE_ERRORS},
    summary=gettext_lazy("退回修改（须填意见）"),
)
def return_submission(request: HttpRequest, submission_id: int, payload: CommentIn):  # type: ignore[no-untyped-def]
    submission_return(
        actor=request.auth, submission=_submission(request, submission_id), comment=payload.comment
    )
    return _submission_out(request, submission_id)


@router.post(
    "/submissions/{submission_id}/adopt",
    response={201: AdoptionOut, **WRITE_ERRORS},
    summary=gettext_lazy("采用（全文或部分）"),
)
def adopt_submission(request: HttpRequest, submission_id: int, payload: AdoptIn):  # type: ignore[no-untyped-def]
    adoption = submission_adopt(
        actor=request.auth, submission=_submission(request, submission_id), **payload.dict()
    )
    return Status(201, adoption)


@router.post(
    "/submissions/{submission_id}/not-adopt",
    response={200: InboxItemOut, **WRITE_ERRORS},
    summary=gettext_lazy("不采用（存档）"),
)
def not_adopt_submission(request: HttpRequest, submission_id: int, payload: OptionalCommentIn | None = None):  # type: ignore[no-untyped-def]
    submission_not_adopt(
        actor=request.auth,
        submission=_submission(request, submission_id),
        comment=payload.comment if payload else "",
    )
    return _submission_out(request, submission_id)
