"""Author pages: my unit's items, draft and edit (also an office editor's edit), the item page, attachments.

Every read goes through ``report_get_visible``: an item someone may not see is answered as missing (404), so ids
cannot be probed; a visible item someone may not act on is refused (403) with the service's Chinese reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinbao.accounts.models import Role
from xinbao.accounts.selectors import person_list_visible_to
from xinbao.common.errors import Conflict, DomainError, NotFound, NotPermitted
from xinbao.followups.selectors import can_record_instruction, instructions_on_item_line
from xinbao.orgs.models import Level
from xinbao.reports.forms import (
    AUTO,
    EscalateForm,
    MineFilterForm,
    ReportForm,
    SignOffForm,
    default_visibility,
    new_key,
)
from xinbao.reports.models import (
    Adoption,
    AdoptionCredit,
    Attachment,
    Report,
    ReportState,
    Submission,
    SubmissionState,
)
from xinbao.reports.selectors import (
    can_edit_as_author,
    can_sign,
    editor_submission,
    report_get_visible,
    report_list_visible_to,
)
from xinbao.reports.services import report_create, report_record_read, report_submit, report_update
from xinbao.reports.services.attachments import attachment_add, attachment_remove

if TYPE_CHECKING:
    from xinbao.accounts.models import User

PAGE_SIZE = 30
#: Who may draft (mirrors report_create, so the button and the page are offered only to them).
DRAFTING_ROLES = (Role.INFORMANT, Role.EDITOR, Role.DUTY_OFFICER)
LEVEL_LABELS = dict(Level.choices)
ROLE_LABELS = dict(Role.choices)


def current_user(request: HttpRequest) -> User:
    return cast("User", request.user)


def visible_or_404(user: User, pk: int) -> Report:
    try:
        return report_get_visible(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def refuse(exc: DomainError) -> None:
    """Permission and existence errors become 403/404; the caller shows the rest (validation, conflict)."""
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(exc.message)
    if isinstance(exc, NotFound):
        raise Http404(exc.message)


def form_error(form, exc: DomainError) -> None:  # type: ignore[no-untyped-def]
    refuse(exc)
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- Body rendering: paragraphs, and tables pasted from Excel/Word (tab-separated lines) -------------------------


@dataclass
class Block:
    kind: str  # "p" | "table"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def body_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[str]] = []
    for line in (body or "").splitlines():
        if "\t" in line:
            rows.append([cell.strip() for cell in line.split("\t")])
            continue
        if rows:
            blocks.append(Block("table", rows=rows))
            rows = []
        if line.strip():
            blocks.append(Block("p", text=line.strip()))
    if rows:
        blocks.append(Block("table", rows=rows))
    return blocks


# --- What the viewer may do --------------------------------------------------------------------------------------


def is_author(user: User, report: Report) -> bool:
    return report.unit_id == user.unit_id and (
        report.created_by_id == user.pk or report.authors.filter(pk=user.pk).exists()
    )


def escalation_due(report: Report) -> bool:
    # Same clock as report_escalate: the wait counts from entering 待审签.
    since = report.pending_since or report.updated_at
    return timezone.now() - since >= timedelta(hours=settings.SIGNOFF_ESCALATE_HOURS)


def awaits_signoff(report: Report) -> bool:
    if report.state == ReportState.PENDING_SIGNOFF:
        return True
    return (
        report.state == ReportState.SENT
        and report.signoff_after_send
        and not report.signoffs.filter(after_send=True).exists()
    )


def actions_for(user: User, report: Report) -> dict:
    author = is_author(user, report)
    reviewing = editor_submission(user, report)
    as_author = can_edit_as_author(user, report)
    live = [s for s in report.submissions.all() if s.state != SubmissionState.WITHDRAWN]
    withdrawable = report.state == ReportState.PENDING_SIGNOFF or (
        report.state == ReportState.SENT
        and bool(live)
        and all(s.state == SubmissionState.SUBMITTED for s in live)
    )
    return {
        "edit": as_author or reviewing is not None,
        "review": reviewing,
        "submit": as_author,
        "withdraw": author and withdrawable,
        "escalate": author and report.state == ReportState.PENDING_SIGNOFF and escalation_due(report),
        "sign": can_sign(user, report) and awaits_signoff(report),
    }


# --- List ----------------------------------------------------------------------------------------------------------


def mine_queryset(request: HttpRequest, user: User) -> tuple[MineFilterForm, QuerySet[Report]]:
    """The unit's items under the page's filters; the page and its .xlsx export show the same rows."""
    if not user.has_role(Role.INFORMANT, Role.SIGNER) or user.unit_id is None:
        raise PermissionDenied(_("只有信息员和审签人可以查看本单位信息"))
    form = MineFilterForm(request.GET or None)
    filters: dict = {}
    state = ""
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        state = filters.pop("state", "")
    if state in ReportState.values:
        filters["state"] = state
    filters["unit"] = user.unit_id
    qs = report_list_visible_to(user=user, filters=filters)
    if state == "returned":
        returned = Submission.objects.filter(report=OuterRef("pk"), state=SubmissionState.RETURNED)
        qs = qs.filter(Exists(returned), state=ReportState.SENT)
    elif state == "adopted":
        qs = qs.filter(Exists(AdoptionCredit.objects.filter(origin=OuterRef("pk"))))
    return form, qs.prefetch_related("submissions__office").order_by("-created_at", "-id")


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form, qs = mine_queryset(request, user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [r.pk for r in page.object_list]
    adopted: dict[int, list[Adoption]] = {}
    for credit in AdoptionCredit.objects.filter(origin_id__in=ids).select_related("adoption__office"):
        adopted.setdefault(credit.origin_id, []).append(credit.adoption)
    rows = [{"report": r, "adoptions": adopted.get(r.pk, [])} for r in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/mine.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "can_draft": user.has_role(*DRAFTING_ROLES),
        },
    )


# --- Draft and edit ------------------------------------------------------------------------------------------------


def _unit_people(user: User):  # type: ignore[no-untyped-def]
    return person_list_visible_to(user=user, filters={"unit": user.unit_id, "active": True})


def _add_files(user: User, report: Report, files: list) -> None:
    for upload in files:
        attachment_add(actor=user, report=report, upload=upload)


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user.unit_id is None or not user.has_role(*DRAFTING_ROLES):
        raise PermissionDenied(_("只有信息员（或接收单位的编辑、值班员）可以起草信息"))
    form = ReportForm(request.POST or None, request.FILES or None, people=_unit_people(user))
    if request.method == "POST":
        key = request.POST.get("submit_key", "")[:64]
        submit = request.POST.get("action") == "submit"
        if submit and key:
            # The same page posted twice (double click, retry): the first created and sent it.
            done = report_list_visible_to(user=user).filter(created_by=user, submit_key=key).first()
            if done is not None:
                messages.info(request, _("这条信息已经报送，无需重复提交。"))
                return redirect("reports:detail", pk=done.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    report = report_create(
                        actor=user,
                        title=data["title"],
                        body=data["body"],
                        report_type=data["report_type"],
                        authors=list(data["authors"]),
                        tags=data["tags"],
                        visibility=form.resolved_visibility(),
                    )
                    _add_files(user, report, data["attachments"])
                    if submit:
                        report = report_submit(actor=user, report=report, key=key)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _submitted_message(report) if submit else _("草稿已保存。"))
                return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/form.html", {"form": form, "report": None})


def _submitted_message(report: Report) -> str:
    if report.state == ReportState.PENDING_SIGNOFF:
        return _("已提交本单位审签人审签。")
    return _("已报送接收单位。")


def _initial(report: Report, mode: str) -> dict:
    initial = {"title": report.title, "body": report.body, "base_version": report.version}
    if mode == "author":
        initial |= {
            "report_type": report.report_type,
            "visibility": AUTO
            if report.visibility == default_visibility(report.report_type)
            else report.visibility,
            "tags": "、".join(t.name for t in report.tags.all()),
            "authors": list(report.authors.all()),
        }
    return initial


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    report = visible_or_404(user, pk)
    key = request.POST.get("submit_key", "")[:64] if request.method == "POST" else ""
    submit = request.method == "POST" and request.POST.get("action") == "submit"
    if submit and key and report.submit_key == key and report.state != ReportState.DRAFT:
        messages.info(request, _("这条信息已经报送，无需重复提交。"))
        return redirect("reports:detail", pk=report.pk)
    as_author = can_edit_as_author(user, report)
    if not as_author and editor_submission(user, report) is None:
        raise PermissionDenied(_("当前状态下您不能修改这条信息"))
    mode = "author" if as_author else "editor"
    people = _unit_people(user) if as_author else None
    conflict = None
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES or None, people=people, mode=mode)
        if form.is_valid():
            data = form.cleaned_data
            extra = {}
            if as_author:
                extra = {
                    "report_type": data["report_type"],
                    "visibility": form.resolved_visibility(),
                    "tags": data["tags"],
                    "authors": list(data["authors"]),
                }
            try:
                with transaction.atomic():
                    report = report_update(
                        actor=user,
                        report=report,
                        title=data["title"],
                        body=data["body"],
                        base_version=data["base_version"] or 0,
                        reason=data["reason"],
                        **extra,
                    )
                    if as_author:
                        _add_files(user, report, data["attachments"])
                    if as_author and submit:
                        report = report_submit(actor=user, report=report, key=key)
            except Conflict as exc:
                conflict = _conflict(exc, request, people, mode)
                form = conflict["form"]
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _submitted_message(report) if submit else _("修改已保存。"))
                return redirect("reports:detail", pk=report.pk)
    else:
        form = ReportForm(initial=_initial(report, mode), people=people, mode=mode)
    attachments = list(report.attachments.all())
    return render(
        request,
        "reports/form.html",
        {
            "form": form,
            "report": report,
            "conflict": conflict,
            "attachments": attachments,
            "can_remove_files": as_author
            and report.state == ReportState.DRAFT
            and not report.submissions.exists(),
        },
    )


def _conflict(exc: Conflict, request: HttpRequest, people, mode: str) -> dict:  # type: ignore[no-untyped-def]
    """Someone saved in between: keep everything the user typed, show what the other person changed, and base the
    next save on the current version — saving again is a deliberate choice made with the other changes in view."""
    data = request.POST.copy()
    data["base_version"] = str(getattr(exc, "current_version", ""))
    form = ReportForm(data, people=people, mode=mode)
    form.is_valid()
    return {
        "form": form,
        "message": exc.message,
        "segments": getattr(exc, "other_changes", []),
        "files_dropped": bool(request.FILES),
    }


# --- The item page ------------------------------------------------------------------------------------------------


def _adoption_rows(report: Report) -> list[Adoption]:
    """Adoptions of this item and of items made from it (转报/综合) that credit it, each once."""
    own = Adoption.objects.filter(report=report)
    credited = Adoption.objects.filter(credits__origin=report)
    rows = list(
        (own | credited)
        .distinct()
        .select_related("office", "report", "recorded_by")
        .prefetch_related("credits__unit")
        .order_by("adopted_on", "id")
    )
    for row in rows:
        row.level_label = LEVEL_LABELS.get(row.level, row.level)  # type: ignore[attr-defined]
    return rows


def revision_rows(report: Report) -> list[dict]:
    return [
        {
            "rev": rev,
            "role": ROLE_LABELS.get(rev.role, rev.role),
            "level": LEVEL_LABELS.get(rev.level, rev.level),
        }
        for rev in report.revisions.select_related("author", "unit").order_by("number")
    ]


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    report = visible_or_404(user, pk)
    report_record_read(user=user, report=report, what="detail")
    revisions = revision_rows(report)
    numbers = [row["rev"].number for row in revisions]
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "blocks": body_blocks(report.body),
            "authors": list(report.authors.all()),
            "tags": list(report.tags.all()),
            "attachments": list(report.attachments.all()),
            "submissions": list(report.submissions.select_related("office", "reviewer", "merged_into")),
            "signoffs": list(report.signoffs.select_related("signer", "revision")),
            "escalations": list(report.escalations.select_related("by")),
            "adoptions": _adoption_rows(report),
            "instructions": list(instructions_on_item_line(report)),
            "can_record_instruction": can_record_instruction(user, report),
            "revisions": revisions,
            "diff_a": numbers[-2] if len(numbers) > 1 else (numbers[0] if numbers else None),
            "diff_b": numbers[-1] if numbers else None,
            "actions": actions_for(user, report),
            "submit_key": new_key(),
            "signoff_form": SignOffForm(),
            "escalate_form": EscalateForm(),
        },
    )


# --- Attachments ---------------------------------------------------------------------------------------------------


def _visible_attachment(user: User, pk: int) -> Attachment:
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404(_("附件不存在"))
    # Permission is the item's: a file of an item someone may not see is answered as missing.
    visible_or_404(user, attachment.report_id)
    return attachment


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    user = current_user(request)
    attachment = _visible_attachment(user, pk)
    report_record_read(user=user, report=attachment.report, what="attachment")
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("附件文件已丢失，请联系系统管理员")) from exc
    return FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    attachment = _visible_attachment(user, pk)
    try:
        attachment_remove(actor=user, attachment=attachment)
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("附件“%(name)s”已删除。") % {"name": attachment.original_name})
    return redirect("reports:edit", pk=attachment.report_id)
