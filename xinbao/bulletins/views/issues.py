"""Issue pages: the list (bulletins:index), the detail/print view, the .docx download, sign-off and publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.bulletins.forms import NewIssueForm, PublishForm, ReaderAddForm
from xinbao.bulletins.models import IssueState, Series
from xinbao.bulletins.rendering import docx_filename, paper_context, render_docx
from xinbao.bulletins.selectors import (
    is_office_editor,
    is_office_leader,
    issue_list_visible_to,
    issue_readers,
    reader_options,
    series_list_for,
)
from xinbao.bulletins.services import issue_create, issue_discard, issue_publish, issue_sign
from xinbao.bulletins.views.common import current_user, first_error, issue_or_404, refuse
from xinbao.common.errors import DomainError

PAGE_SIZE = 30


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    filters = {k: request.GET.get(k, "") for k in ("series", "state", "year")}
    for key in ("series", "year"):
        if filters[key] and not filters[key].isdigit():
            filters[key] = ""
    if filters["state"] not in IssueState.values:
        filters["state"] = ""
    issues = (
        issue_list_visible_to(user=user, filters=filters)
        .annotate(entry_count=Count("entries"))
        .order_by("-published_at", "-created_at", "-id")
    )
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bulletins/index.html",
        {
            "page": page,
            "filters": filters,
            "series_list": series_list_for(user=user),
            "states": IssueState.choices,
        },
    )


@login_required
@require_POST
def issue_new(request: HttpRequest, series_pk: int) -> HttpResponse:
    user = current_user(request)
    series = Series.objects.filter(pk=series_pk).first()
    if series is None or not is_office_editor(user, series.office_id):
        raise Http404(_("刊物不存在或无权管理"))
    form = NewIssueForm(request.POST)
    form.is_valid()
    try:
        issue = issue_create(
            actor=user, series=series, is_supplement=form.cleaned_data.get("is_supplement", False)
        )
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
        return redirect("bulletins:series_list")
    return redirect("bulletins:compose", pk=issue.pk)


def _instructions_by_entry(user, issue) -> list:  # type: ignore[no-untyped-def]
    """For the office's editors, once published: each entry with the 批示 recorded on it and a link to record one
    (leaders write on the printed issue; PRODUCT 3.2). Read through the followups selector that decides who sees
    which 批示."""
    from xinbao.followups.selectors import instruction_list_visible_to

    if not (issue.is_published and is_office_editor(user, issue.series.office_id)):
        return []
    by_entry: dict[int, list] = {}
    for instruction in instruction_list_visible_to(user=user, filters={"issue": issue.pk}).order_by(
        "instructed_on", "pk"
    ):
        by_entry.setdefault(instruction.issue_entry_id, []).append(instruction)
    return [(entry, by_entry.get(entry.pk, [])) for entry in issue.entries.order_by("position", "id")]


def _readers_context(user, issue) -> dict:  # type: ignore[no-untyped-def]
    """Once published, the office's editors and leaders see who was named to read the issue; editors may add a
    reader (a copy for a newly appointed leader) or remove one named by mistake. Before publication the list is
    set on the compose page."""
    office_id = issue.series.office_id
    editor = is_office_editor(user, office_id)
    if not (issue.is_published and (editor or is_office_leader(user, office_id))):
        return {}
    context: dict = {
        "show_readers": True,
        "readers": list(issue_readers(issue)),
        "can_manage_readers": editor,
    }
    if editor:
        form = ReaderAddForm()
        form.set_options(reader_options(issue))
        context["reader_form"] = form
    return context


def _context(user, issue) -> dict:  # type: ignore[no-untyped-def]
    office_id = issue.series.office_id
    return {
        **paper_context(issue),
        "entry_instructions": _instructions_by_entry(user, issue),
        "can_edit": is_office_editor(user, office_id) and not issue.is_published,
        "can_sign": is_office_leader(user, office_id) and issue.state == IssueState.DRAFT,
        "can_publish": is_office_editor(user, office_id) and issue.state == IssueState.SIGNED,
        "publish_form": PublishForm(),
    }


def _audit_restricted_read(user, issue) -> None:  # type: ignore[no-untyped-def]
    if issue.named_readers_only and issue.is_published:
        audit_record(event_type=EventType.RESTRICTED_READ, actor=user, obj=issue)


@login_required
@require_GET
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    issue = issue_or_404(user, pk)
    _audit_restricted_read(user, issue)
    return render(
        request, "bulletins/issue_detail.html", {**_context(user, issue), **_readers_context(user, issue)}
    )


@login_required
@require_GET
def issue_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable page: the issue alone, A4 print CSS, no site chrome."""
    user = current_user(request)
    issue = issue_or_404(user, pk)
    _audit_restricted_read(user, issue)
    return render(request, "bulletins/print.html", {**_context(user, issue), "standalone": True})


@login_required
@require_GET
def issue_docx(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    issue = issue_or_404(user, pk)
    _audit_restricted_read(user, issue)
    response = HttpResponse(
        render_docx(issue),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{docx_filename(issue)}"'
    return response


@login_required
@require_POST
def issue_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    issue = issue_or_404(user, pk)
    try:
        issue_sign(actor=user, issue=issue)
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已签发。"))
    return redirect("bulletins:issue_detail", pk=pk)


@login_required
@require_POST
def issue_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    issue = issue_or_404(user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("bulletins:issue_detail", pk=pk)
    try:
        issue = issue_publish(actor=user, issue=issue, issue_date=form.cleaned_data.get("issue_date"))
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已印发：%(issue)s。") % {"issue": issue})
    return redirect("bulletins:issue_detail", pk=pk)


@login_required
@require_POST
def issue_discard_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    issue = issue_or_404(user, pk)
    try:
        issue_discard(actor=user, issue=issue)
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
        return redirect("bulletins:issue_detail", pk=pk)
    messages.success(request, _("已删除这期草稿。"))
    return redirect("bulletins:index")
