"""Receiving-office pages (PRODUCT 3.1, issue 3 item 5): the inbox with filters and bulk actions, the sign-off
watch list (下级审签情况) and the review page with its decisions; forward, external adoption and combine live in
review_compose.py. Thin views: reads through the reports selectors, writes through the review services; every
refusal comes back as the service's Chinese message and changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinbao.accounts.models import OFFICE_ROLES, Role
from xinbao.common.errors import Conflict, DomainError, NotFound, NotPermitted
from xinbao.reports.models import (
    AdoptionMode,
    Report,
    ReportOrigin,
    ReportReach,
    ReportSource,
    ReportState,
    SignOff,
    SignOffDecision,
    Submission,
    SubmissionState,
)
from xinbao.reports.review_forms import (
    BULK_ADOPT,
    BULK_NOT_ADOPT,
    BULK_TAKE_UP,
    STATE_ALL,
    STATE_OPEN,
    AdoptForm,
    BulkActionForm,
    InboxFilterForm,
    NotAdoptForm,
    ReturnForm,
)
from xinbao.reports.selectors import (
    REVIEWABLE_STATES,
    inbox_for_office,
    report_get_visible,
    report_list_visible_to,
    submission_get_for_office,
)
from xinbao.reports.services import (
    submission_adopt,
    submission_not_adopt,
    submission_return,
    submission_take_up,
)
from xinbao.reports.services.reading import report_record_read
from xinbao.reports.services.review import FORWARDABLE
from xinbao.reports.views.inbox_rows import INBOX_ROW_FIELDS, render_inbox_rows

if TYPE_CHECKING:
    from django import forms

    from xinbao.accounts.models import User

PAGE_SIZE = 50
#: A bulk request handles at most this many rows, so one click stays within a request's time budget.
BULK_MAX = 200
OFFICE_ONLY = gettext_lazy("只有接收单位的编辑、值班员和领导可以查看信息审核")
EDITORS_ONLY = gettext_lazy("只有接收单位的编辑可以处理信息")


# --- Access ------------------------------------------------------------------------------------------------------


def current_user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _is_office_member(user: User) -> bool:
    unit = user.unit
    return unit is not None and unit.is_receiving_office and user.has_role(*OFFICE_ROLES)


def may_act(user: User) -> bool:
    return _is_office_member(user) and user.has_role(Role.EDITOR)


def require_office_member(user: User) -> None:
    if not _is_office_member(user):
        raise PermissionDenied(str(OFFICE_ONLY))


def require_actor(user: User) -> None:
    # Leaders and duty officers read the inbox but do not decide (PRODUCT 1: editors review and adopt).
    if not may_act(user):
        raise PermissionDenied(str(EDITORS_ONLY))


def submission_or_404(user: User, pk: int | str) -> Submission:
    # Another office's submission is answered like a missing one, so ids cannot be probed.
    try:
        return submission_get_for_office(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def report_or_404(user: User, pk: int | str) -> Report:
    try:
        return report_get_visible(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def form_error(form: forms.Form, exc: DomainError) -> None:
    """A refused write shows its Chinese reason next to the field it names (or above the form)."""
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(exc.message)
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def optional_url(name: str, *args: Any) -> str | None:
    # The author pages are built alongside; link to them only once their URL exists.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- Inbox -------------------------------------------------------------------------------------------------------


def _inbox_filters(form: InboxFilterForm) -> tuple[dict[str, Any], str]:
    """Selector filters from the form (valid fields only), plus a unit name/code text to narrow by."""
    data = form.cleaned_data if form.is_bound else {}
    state = data.get("state") or STATE_OPEN
    filters: dict[str, Any] = {
        "state": "" if state == STATE_ALL else state,
        "type": data.get("type") or "",
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
        "q": data.get("q") or "",
        "quota": data.get("quota") or "",
    }
    unit_text = (data.get("unit") or "").strip()
    if unit_text.isdigit():
        filters["unit"] = int(unit_text)
        unit_text = ""
    return filters, unit_text


def inbox_queryset(request: HttpRequest, user: User) -> tuple[InboxFilterForm, QuerySet[Submission]]:
    """The office's submissions under the page's filters; the page and its .xlsx export show the same rows."""
    form = InboxFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # invalid fields are dropped from cleaned_data and shown with their message
    filters, unit_text = _inbox_filters(form)
    rows = inbox_for_office(user=user, filters=filters)
    if unit_text:
        rows = rows.filter(
            Q(report__unit__name__contains=unit_text)
            | Q(report__unit__short_name__contains=unit_text)
            | Q(report__unit__code=unit_text)
        )
    return form, rows


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_office_member(user)
    if request.method == "POST":
        return _bulk(request, user)
    if request.GET.get("tab") == "signoff":
        return _signoff_watch(request, user)
    form, rows = inbox_queryset(request, user)
    # Counted on the submissions alone (the row values' joins would be counted along: a county office's 4,000
    # rows, 25 ms instead of 2); the page's rows are read as the values a row shows (inbox_rows.py).
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    values = (
        rows.values_list(*INBOX_ROW_FIELDS)[page.start_index() - 1 : page.end_index()]
        if page.paginator.count
        else []
    )
    query = request.GET.copy()
    query.pop("page", None)
    acting = may_act(user)
    return render(
        request,
        "reports/inbox.html",
        {
            "filter_form": form,
            "page": page,
            "rows": render_inbox_rows(values, may_act=acting),
            "query": query.urlencode(),
            "back": request.GET.urlencode(),
            "may_act": acting,
            "tab": "inbox",
            "open_states": list(REVIEWABLE_STATES),
        },
    )


def _bulk(request: HttpRequest, user: User) -> HttpResponse:
    """Each ticked row goes through the service on its own, so one row decided meanwhile by a colleague is
    reported and skipped while the others are processed."""
    require_actor(user)
    form = BulkActionForm(request.POST)
    back = QueryDict(request.POST.get("back", "")).urlencode()
    target = reverse("reports:inbox") + (f"?{back}" if back else "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(target)
    action = form.cleaned_data["action"]
    selected = form.cleaned_data["selected"][:BULK_MAX]
    done = already = missing = 0
    for pk in selected:
        try:
            submission = submission_get_for_office(user=user, pk=pk)
        except NotFound:
            missing += 1
            continue
        try:
            if action == BULK_TAKE_UP:
                submission_take_up(actor=user, submission=submission)
            elif action == BULK_ADOPT:
                submission_adopt(actor=user, submission=submission, mode=AdoptionMode.FULL)
            else:
                submission_not_adopt(actor=user, submission=submission)
            done += 1
        except NotPermitted:
            missing += 1
        except DomainError:
            already += 1
    verb = {
        BULK_TAKE_UP: _("%(n)d条已受理"),
        BULK_ADOPT: _("%(n)d条已采用"),
        BULK_NOT_ADOPT: _("%(n)d条已不采用（存档）"),
    }[action]
    parts = [verb % {"n": done}]
    if already:
        parts.append(_("%(n)d条已被他人处理") % {"n": already})
    if missing:
        parts.append(_("%(n)d条不存在或无权处理") % {"n": missing})
    summary = _("，").join(parts)
    if done and not (already or missing):
        messages.success(request, summary)
    else:
        messages.warning(request, summary)
    return redirect(target)


def _signoff_watch_rows(user: User, state: str) -> QuerySet[Report]:
    """Items of units below the office still waiting for sign-off or refused at it: the office sees them through
    ReportReach (recorded at submission), so a signer cannot bury an item silently (PRODUCT 3.1)."""
    states = [state] if state else [ReportState.PENDING_SIGNOFF, ReportState.SIGNOFF_REFUSED]
    reached = Exists(ReportReach.objects.filter(report=OuterRef("pk"), office_id=user.unit_id))
    refusals = SignOff.objects.filter(decision=SignOffDecision.REFUSED).select_related("signer")
    return (
        report_list_visible_to(user=user)
        .filter(reached, state__in=states)
        .exclude(unit_id=user.unit_id)
        .prefetch_related(Prefetch("signoffs", queryset=refusals, to_attr="refusals"))
        .order_by("-updated_at", "-id")
    )


def _signoff_watch(request: HttpRequest, user: User) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in (ReportState.PENDING_SIGNOFF, ReportState.SIGNOFF_REFUSED):
        state = ""
    page = Paginator(_signoff_watch_rows(user, state), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/inbox_signoff.html",
        {
            "page": page,
            "state": state,
            "query": query.urlencode(),
            "tab": "signoff",
            "state_choices": [
                ("", _("全部")),
                (ReportState.PENDING_SIGNOFF, ReportState.PENDING_SIGNOFF.label),
                (ReportState.SIGNOFF_REFUSED, ReportState.SIGNOFF_REFUSED.label),
            ],
        },
    )


# --- Review page -------------------------------------------------------------------------------------------------


def forwarded_copy(user: User, report: Report) -> Report | None:
    """The item this office already made by forwarding ``report`` upward, if any."""
    link = (
        ReportSource.objects.filter(source=report, kind=ReportOrigin.FORWARDED, report__unit_id=user.unit_id)
        .select_related("report")
        .first()
    )
    return link.report if link else None


def _render_review(
    request: HttpRequest, user: User, submission: Submission, forms: dict[str, Any]
) -> HttpResponse:
    report = submission.report
    context = {
        "submission": submission,
        "report": report,
        "signoffs": report.signoffs.select_related("signer"),
        "escalations": report.escalations.select_related("by"),
        "others": report.submissions.exclude(pk=submission.pk).select_related("office", "reviewer"),
        "adoptions": report.adoptions.select_related("office", "recorded_by"),
        "sources": report.source_links.select_related("source", "source__unit"),
        "revision_count": report.revisions.count(),
        "may_act": may_act(user),
        "reviewable": submission.state in REVIEWABLE_STATES,
        "can_take_up": submission.state == SubmissionState.SUBMITTED,
        "edit_url": optional_url("reports:edit", report.pk)
        if submission.state in REVIEWABLE_STATES
        else None,
        "forwarded": forwarded_copy(user, report),
        "forwardable": submission.state in FORWARDABLE,
        **forms,
    }
    return render(request, "reports/review_detail.html", context)


def _review_forms(data: Any = None, only: str = "") -> dict[str, Any]:
    def bound(name: str) -> Any:
        return data if only == name else None

    return {
        "return_form": ReturnForm(bound("return"), prefix="ret"),
        "adopt_form": AdoptForm(bound("adopt"), prefix="adopt"),
        "not_adopt_form": NotAdoptForm(bound("not_adopt"), prefix="na"),
    }


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    submission = submission_or_404(user, pk)
    if request.method != "POST":
        report_record_read(user=user, report=submission.report, what="review")
        return _render_review(request, user, submission, _review_forms())
    require_actor(user)
    action = request.POST.get("action", "")
    forms = _review_forms(request.POST, action)
    here = reverse("reports:review", args=[submission.pk])
    form = None
    try:
        if action == "take_up":
            submission_take_up(actor=user, submission=submission)
            messages.success(request, _("已受理，这条信息由您审核"))
            return redirect(here)
        form = forms.get(f"{action}_form")
        if form is None:
            messages.error(request, _("请选择要执行的操作"))
            return redirect(here)
        if not form.is_valid():
            return _render_review(request, user, submission, forms)
        data = form.cleaned_data
        if action == "return":
            submission_return(actor=user, submission=submission, comment=data["comment"])
            messages.success(request, _("已退回修改，起草人会收到通知"))
        elif action == "adopt":
            submission_adopt(
                actor=user,
                submission=submission,
                mode=data["mode"],
                publication=data["publication"],
                issue_label=data["issue_label"],
                note=data["note"],
            )
            messages.success(request, _("已采用"))
        else:
            submission_not_adopt(actor=user, submission=submission, comment=data["comment"])
            messages.success(request, _("已不采用（存档）"))
    except Conflict as exc:
        # Someone decided first: say so and show the item as it now stands; nothing of ours was written.
        messages.error(request, exc.message)
        return redirect(here)
    except DomainError as exc:
        if form is None:
            if isinstance(exc, NotPermitted):
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
            return redirect(here)
        form_error(form, exc)
        submission.refresh_from_db()
        return _render_review(request, user, submission, forms)
    return redirect(here)
