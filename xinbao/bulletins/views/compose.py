"""The compose page (htmx): candidates to add, the entries with arrows (and drag), each entry's edit form, the
editor's note, distribution and readers. Actions answer htmx with the entries fragment, plain POSTs with a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinbao.bulletins.forms import AddEntryForm, DistributionForm, EntryForm, IssueMetaForm
from xinbao.bulletins.models import IssueEntry, RecipientKind
from xinbao.bulletins.selectors import candidate_reports, is_office_editor, issue_entries
from xinbao.bulletins.services import (
    entry_add,
    entry_move,
    entry_remove,
    entry_reorder,
    entry_update,
    issue_readers_set,
    issue_recipients_set,
    issue_update,
)
from xinbao.bulletins.views.common import current_user, first_error, form_error, issue_or_404, refuse
from xinbao.common.errors import DomainError
from xinbao.reports.models import Report

UNIT_FIELDS = {
    RecipientKind.REPORT: "report_units",
    RecipientKind.SEND: "send_units",
    RecipientKind.ISSUE: "issue_units",
}


def _editable(user, pk: int):  # type: ignore[no-untyped-def]
    issue = issue_or_404(user, pk)
    if not is_office_editor(user, issue.series.office_id):
        raise PermissionDenied(_("只有编印单位的编辑可以编辑这期刊物"))
    return issue


def _distribution_form(issue, data=None) -> DistributionForm:  # type: ignore[no-untyped-def]
    initial: dict = {"readers": [r.person_id for r in issue.readers.all()]}
    for r in issue.recipients.all():
        initial.setdefault(UNIT_FIELDS[RecipientKind(r.kind)], []).append(r.unit_id)
    form = DistributionForm(data, initial=initial)
    form.set_office(issue.series.office)
    return form


def _entries_fragment(request: HttpRequest, issue, error: str = "") -> HttpResponse:  # type: ignore[no-untyped-def]
    issue.refresh_from_db()
    return render(
        request,
        "bulletins/_entries.html",
        {"issue": issue, "entries": issue_entries(issue), "error": error, "can_edit": not issue.is_published},
    )


@login_required
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    issue = _editable(user, pk)
    if issue.is_published:
        return redirect("bulletins:issue_detail", pk=pk)
    meta = IssueMetaForm(
        request.POST or None,
        initial={
            "editor_note": issue.editor_note,
            "classification": issue.classification,
            "copies": issue.copies,
            "serial": issue.serial,
            "version": issue.version,
        },
    )
    if request.method == "POST" and meta.is_valid():
        try:
            issue_update(actor=user, issue=issue, **meta.cleaned_data)
        except DomainError as exc:
            form_error(meta, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("bulletins:compose", pk=pk)
    q = request.GET.get("q", "")
    return render(
        request,
        "bulletins/compose.html",
        {
            "issue": issue,
            "meta": meta,
            "distribution": _distribution_form(issue),
            "entries": issue_entries(issue),
            "candidates": candidate_reports(user=user, issue=issue, q=q)[:50],
            "q": q,
            "can_edit": True,
        },
    )


@login_required
@require_POST
def distribution(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    issue = _editable(user, pk)
    form = _distribution_form(issue, request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("bulletins:compose", pk=pk)
    try:
        issue_recipients_set(actor=user, issue=issue, recipients=form.recipients())
        issue_readers_set(actor=user, issue=issue, readers=form.cleaned_data["readers"])
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("分送范围已保存。"))
    return redirect("bulletins:compose", pk=pk)


def _after(request: HttpRequest, issue, error: str = "") -> HttpResponse:  # type: ignore[no-untyped-def]
    if request.htmx:  # type: ignore[attr-defined]
        return _entries_fragment(request, issue, error)
    if error:
        messages.error(request, error)
    return redirect("bulletins:compose", pk=issue.pk)


@login_required
@require_POST
def entry_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    issue = _editable(user, pk)
    form = AddEntryForm(request.POST)
    if not form.is_valid():
        return (
            redirect("bulletins:compose", pk=pk)
            if not request.htmx
            else _after(request, issue, first_error(form))
        )  # type: ignore[attr-defined]
    report = Report.objects.filter(pk=form.cleaned_data["report"]).first()
    if report is None:
        error = _("所选信息不存在")
    else:
        try:
            entry_add(actor=user, issue=issue, report=report)
            error = ""
        except DomainError as exc:
            refuse(exc)
            error = exc.message
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        return redirect("bulletins:compose", pk=pk)
    # Adding changes the candidate list too: the page reloads the whole compose view.
    response = _entries_fragment(request, issue, error)
    if not error:
        response["HX-Refresh"] = "true"
    return response


def _entry(user, pk: int) -> IssueEntry:  # type: ignore[no-untyped-def]
    entry = IssueEntry.objects.select_related("issue", "issue__series").filter(pk=pk).first()
    if entry is None:
        raise Http404(_("条目不存在"))
    _editable(user, entry.issue_id)
    return entry


@login_required
@require_POST
def entry_move_view(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    user = current_user(request)
    entry = _entry(user, pk)
    error = ""
    try:
        entry_move(actor=user, entry=entry, direction=direction)
    except DomainError as exc:
        refuse(exc)
        error = exc.message
    return _after(request, entry.issue, error)


@login_required
@require_POST
def entry_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    entry = _entry(user, pk)
    error = ""
    try:
        entry_remove(actor=user, entry=entry)
    except DomainError as exc:
        refuse(exc)
        error = exc.message
    return _after(request, entry.issue, error)


@login_required
@require_POST
def entry_reorder_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    issue = _editable(user, pk)
    raw = request.POST.getlist("order")
    error = ""
    if not all(v.isdigit() for v in raw):
        error = _("排序数据无效，请刷新后重试")
    else:
        try:
            entry_reorder(actor=user, issue=issue, order=[int(v) for v in raw])
        except DomainError as exc:
            refuse(exc)
            error = exc.message
    return _after(request, issue, error)


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    entry = _entry(user, pk)
    issue = entry.issue
    form = EntryForm(
        request.POST or None,
        initial={
            "title": entry.title,
            "body": entry.body,
            "source_line": entry.source_line,
            "mode": entry.mode,
            "version": issue.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry_update(actor=user, entry=entry, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存，修改已记为该信息的新版本。"))
            return redirect("bulletins:compose", pk=issue.pk)
    return render(request, "bulletins/entry_form.html", {"form": form, "entry": entry, "issue": issue})
