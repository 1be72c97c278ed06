"""/api/v1/bulletins: series, issues (compose, sign, publish, render). Reads go through bulletins.selectors (an
issue the caller may not read is 404 like a missing one); writes go through bulletins.services (403 for a visible
issue the caller may not act on, 409 when someone else changed it first)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status

from xinbao.accounts.models import User
from xinbao.api.pagination import Page, PageParams, paginate
from xinbao.api.schemas import READ_ERRORS, WRITE_ERRORS, reject_nulls
from xinbao.bulletins.models import IssueEntry, RecipientKind, Series
from xinbao.bulletins.rendering import docx_filename, render_docx
from xinbao.bulletins.schemas import (
    DistributionIn,
    EntryIn,
    EntryOut,
    EntryPatch,
    IssueCreateIn,
    IssueDetailOut,
    IssueDistributionIn,
    IssueFilters,
    IssueOut,
    IssuePatch,
    MoveIn,
    OrderIn,
    PublishIn,
    ReaderIn,
    ReaderOut,
    SeriesIn,
    SeriesOut,
)
from xinbao.bulletins.selectors import (
    distribution_units,
    is_office_editor,
    issue_get_visible,
    issue_list_visible_to,
    reader_candidates,
    series_get_for_editor,
    series_list_for,
)
from xinbao.bulletins.services import (
    entry_add,
    entry_move,
    entry_remove,
    entry_reorder,
    entry_update,
    issue_create,
    issue_discard,
    issue_publish,
    issue_reader_add,
    issue_reader_remove,
    issue_readers_set,
    issue_recipients_set,
    issue_sign,
    issue_update,
    series_create,
    series_update,
)
from xinbao.common.errors import NotFound, NotPermitted, ValidationFailed
from xinbao.orgs.models import Unit
from xinbao.reports.selectors import report_get_visible

router = Router(tags=[gettext_lazy("信息刊物")])


def _units(office: Unit, ids: list[int]) -> list[Unit]:
    allowed = {u.pk: u for u in distribution_units(office).filter(pk__in=ids)}
    if missing := [i for i in dict.fromkeys(ids) if i not in allowed]:
        raise ValidationFailed(
            _("分送单位（ID %(ids)s）不存在或不在可分送范围内") % {"ids": "、".join(map(str, missing))},
            field="distribution",
        )
    return [allowed[i] for i in dict.fromkeys(ids)]


def _recipients(office: Unit, d: DistributionIn) -> dict[str, list[Unit]]:
    return {
        RecipientKind.REPORT: _units(office, d.report),
        RecipientKind.SEND: _units(office, d.send),
        RecipientKind.ISSUE: _units(office, d.issue),
    }


def _editor_office(user: User) -> Unit:
    if user.unit is None:
        raise ValidationFailed(_("没有所属单位的人员不能创建刊物"))
    return user.unit


# --- Series -------------------------------------------------------------------------------------------------------


@router.get(
    "/bulletins/series", response={200: list[SeriesOut], **READ_ERRORS}, summary=gettext_lazy("刊物列表")
)
def list_series(request: HttpRequest):  # type: ignore[no-untyped-def]
    return list(series_list_for(user=request.auth))


@router.post("/bulletins/series", response={201: SeriesOut, **WRITE_ERRORS}, summary=gettext_lazy("创建刊物"))
def create_series(request: HttpRequest, payload: SeriesIn):  # type: ignore[no-untyped-def]
    data = payload.dict(exclude={"distribution", "is_active"})
    office = _editor_office(request.auth)
    if not (office.is_receiving_office and is_office_editor(request.auth, office.pk)):
        raise NotPermitted(_("只有接收单位的编辑可以创建刊物"))
    recipients = _recipients(office, payload.distribution) if payload.distribution else None
    return Status(201, series_create(actor=request.auth, recipients=recipients, **data))


@router.get(
    "/bulletins/series/{series_id}",
    response={200: SeriesOut, **READ_ERRORS},
    summary=gettext_lazy("刊物设置"),
)
def get_series(request: HttpRequest, series_id: int):  # type: ignore[no-untyped-def]
    return series_get_for_editor(user=request.auth, pk=series_id)


@router.put(
    "/bulletins/series/{series_id}",
    response={200: SeriesOut, **WRITE_ERRORS},
    summary=gettext_lazy("修改刊物设置"),
)
def update_series(request: HttpRequest, series_id: int, payload: SeriesIn):  # type: ignore[no-untyped-def]
    series = series_get_for_editor(user=request.auth, pk=series_id)
    data = payload.dict(exclude={"distribution"})
    recipients = _recipients(series.office, payload.distribution) if payload.distribution else None
    return series_update(actor=request.auth, series=series, recipients=recipients, **data)


# --- Issues -------------------------------------------------------------------------------------------------------


@router.get(
    "/bulletins/issues", response={200: Page[IssueOut], **READ_ERRORS}, summary=gettext_lazy("期刊列表")
)
def list_issues(request: HttpRequest, filters: Query[IssueFilters], paging: Query[PageParams]):  # type: ignore[no-untyped-def]
    qs = issue_list_visible_to(user=request.auth, filters=filters.dict(exclude_none=True)).select_related(
        "signed_by"
    )
    return paginate(qs.order_by("-published_at", "-created_at", "-id"), paging)


@router.post(
    "/bulletins/issues", response={201: IssueDetailOut, **WRITE_ERRORS}, summary=gettext_lazy("新编一期")
)
def create_issue(request: HttpRequest, payload: IssueCreateIn):  # type: ignore[no-untyped-def]
    series = Series.objects.filter(pk=payload.series_id).select_related("office").first()
    if series is None or not is_office_editor(request.auth, series.office_id):
        raise NotFound(_("刊物不存在或无权管理"), field="series_id")
    return Status(201, issue_create(actor=request.auth, series=series, is_supplement=payload.is_supplement))


@router.get(
    "/bulletins/issues/{issue_id}",
    response={200: IssueDetailOut, **READ_ERRORS},
    summary=gettext_lazy("期刊详情"),
)
def get_issue(request: HttpRequest, issue_id: int):  # type: ignore[no-untyped-def]
    return issue_get_visible(user=request.auth, pk=issue_id)


@router.patch(
    "/bulletins/issues/{issue_id}",
    response={200: IssueDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("修改编者按、密级、印数、编号（须带 version）"),
)
def patch_issue(request: HttpRequest, issue_id: int, payload: IssuePatch):  # type: ignore[no-untyped-def]
    issue = issue_get_visible(user=request.auth, pk=issue_id)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(data, {})
    issue_update(
        actor=request.auth,
        issue=issue,
        editor_note=data.get("editor_note", issue.editor_note),
        classification=data.get("classification", issue.classification),
        copies=data.get("copies", issue.copies),
        serial=data.get("serial", issue.serial),
        version=payload.version,
    )
    return issue_get_visible(user=request.auth, pk=issue_id)


@router.delete(
    "/bulletins/issues/{issue_id}", response={204: None, **WRITE_ERRORS}, summary=gettext_lazy("删除草稿")
)
def delete_issue(request: HttpRequest, issue_id: int):  # type: ignore[no-untyped-def]
    issue_discard(actor=request.auth, issue=issue_get_visible(user=request.auth, pk=issue_id))
    return Status(204, None)


@router.put(
    "/bulletins/issues/{issue_id}/distribution",
    response={200: IssueDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("设置分送范围（报/送/发）和指定阅读人"),
)
def put_distribution(request: HttpRequest, issue_id: int, payload: IssueDistributionIn):  # type: ignore[no-untyped-def]
    issue = issue_get_visible(user=request.auth, pk=issue_id)
    office = issue.series.office
    recipients = _recipients(office, payload)
    people = {u.pk: u for u in reader_candidates(office=office).filter(pk__in=payload.readers)}
    if missing := [i for i in dict.fromkeys(payload.readers) if i not in people]:
        raise ValidationFailed(
            _("阅读人（人员ID %(ids)s）不存在或不在可分送范围内") % {"ids": "、".join(map(str, missing))},
            field="readers",
        )
    issue_recipients_set(actor=request.auth, issue=issue, recipients=recipients)
    issue_readers_set(actor=request.auth, issue=issue, readers=list(people.values()))
    return issue_get_visible(user=request.auth, pk=issue_id)


@router.post(
    "/bulletins/issues/{issue_id}/readers",
    response={201: ReaderOut, **WRITE_ERRORS},
    summary=gettext_lazy("增加一位指定阅读人（印发后也可增加，并通知本人）"),
)
def add_reader(request: HttpRequest, issue_id: int, payload: ReaderIn):  # type: ignore[no-untyped-def]
    issue = issue_get_visible(user=request.auth, pk=issue_id)
    return Status(201, issue_reader_add(actor=request.auth, issue=issue, person_id=payload.person_id))


@router.delete(
    "/bulletins/issues/{issue_id}/readers/{person_id}",
    response={204: None, **WRITE_ERRORS},
    summary=gettext_lazy("移除一位指定阅读人"),
)
def remove_reader(request: HttpRequest, issue_id: int, person_id: int):  # type: ignore[no-untyped-def]
    issue = issue_get_visible(user=request.auth, pk=issue_id)
    issue_reader_remove(actor=request.auth, issue=issue, person_id=person_id)
    return Status(204, None)


@router.post(
    "/bulletins/issues/{issue_id}/entries",
    response={201: EntryOut, **WRITE_ERRORS},
    summary=gettext_lazy("编入一条信息（本单位已采用或待审核的）"),
)
def add_entry(request: HttpRequest, issue_id: int, payload: EntryIn):  # type: ignore[no-untyped-def]
    issue = issue_get_visible(user=request.auth, pk=issue_id)
    try:
        report = report_get_visible(user=request.auth, pk=payload.report_id)
    except NotFound as exc:
        raise NotFound(_("信息不存在或无权查看"), field="report_id") from exc
    return Status(201, entry_add(actor=request.auth, issue=issue, report=report))


@router.put(
    "/bulletins/issues/{issue_id}/order",
    response={200: IssueDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("调整条目顺序（列出全部条目ID）"),
)
def put_order(request: HttpRequest, issue_id: int, payload: OrderIn):  # type: ignore[no-untyped-def]
    issue = issue_get_visible(user=request.auth, pk=issue_id)
    entry_reorder(actor=request.auth, issue=issue, order=payload.order, version=payload.version)
    return issue_get_visible(user=request.auth, pk=issue_id)


def _entry(request: HttpRequest, entry_id: int) -> IssueEntry:
    entry = IssueEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("条目不存在或无权查看"))
    issue_get_visible(user=request.auth, pk=entry.issue_id)
    return entry


@router.patch(
    "/bulletins/entries/{entry_id}",
    response={200: EntryOut, **WRITE_ERRORS},
    summary=gettext_lazy("修改条目标题、正文、来源署名、采用方式（正文修改记为信息的新版本）"),
)
def patch_entry(request: HttpRequest, entry_id: int, payload: EntryPatch):  # type: ignore[no-untyped-def]
    entry = _entry(request, entry_id)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    reject_nulls(data, {})
    return entry_update(
        actor=request.auth,
        entry=entry,
        title=data.get("title", entry.title),
        body=data.get("body", entry.body),
        source_line=data.get("source_line", entry.source_line),
        mode=data.get("mode", entry.mode),
        version=payload.version,
    )


@router.delete(
    "/bulletins/entries/{entry_id}", response={204: None, **WRITE_ERRORS}, summary=gettext_lazy("移除条目")
)
def delete_entry(request: HttpRequest, entry_id: int):  # type: ignore[no-untyped-def]
    entry_remove(actor=request.auth, entry=_entry(request, entry_id))
    return Status(204, None)


@router.post(
    "/bulletins/entries/{entry_id}/move",
    response={200: EntryOut, **WRITE_ERRORS},
    summary=gettext_lazy("上移或下移"),
)
def move_entry(request: HttpRequest, entry_id: int, payload: MoveIn):  # type: ignore[no-untyped-def]
    return entry_move(actor=request.auth, entry=_entry(request, entry_id), direction=payload.direction)


@router.post(
    "/bulletins/issues/{issue_id}/sign",
    response={200: IssueDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("签发"),
)
def sign_issue(request: HttpRequest, issue_id: int):  # type: ignore[no-untyped-def]
    issue_sign(actor=request.auth, issue=issue_get_visible(user=request.auth, pk=issue_id))
    return issue_get_visible(user=request.auth, pk=issue_id)


@router.post(
    "/bulletins/issues/{issue_id}/publish",
    response={200: IssueDetailOut, **WRITE_ERRORS},
    summary=gettext_lazy("印发（编号、记录采用、通知来源单位）"),
)
def publish_issue(request: HttpRequest, issue_id: int, payload: PublishIn | None = None):  # type: ignore[no-untyped-def]
    issue = issue_get_visible(user=request.auth, pk=issue_id)
    issue_publish(actor=request.auth, issue=issue, issue_date=payload.issue_date if payload else None)
    return issue_get_visible(user=request.auth, pk=issue_id)


@router.get(
    "/bulletins/issues/{issue_id}/docx",
    response={200: None, **READ_ERRORS},
    summary=gettext_lazy("下载 Word 文档（GB/T 9704-2012 版式）"),
)
def issue_docx(request: HttpRequest, issue_id: int):  # type: ignore[no-untyped-def]
    issue = issue_get_visible(user=request.auth, pk=issue_id)
    response = HttpResponse(
        render_docx(issue),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{docx_filename(issue)}"'
    return response
