"""Who may see which item — the one place it is decided (house habit 2). Pages, API, exports and search all read
through ``report_list_visible_to``.

Normal items: the people of the writing unit (drafts only their creator and authors); the editors of every office
the item or an item derived from it reached (``ReportReach``) from the moment it is submitted for sign-off, so a
sign-off that never comes or a refusal cannot bury it; that office's leaders and duty officers once it has been sent;
named readers. A withdrawn item (back to draft) is again its authors' alone.
Restricted items (内参): only the creator and authors, the unit's signers, the editors of offices it reached and the
named readers — never the rest of the unit, never a lower or sibling unit (PRODUCT 3.1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Window
from django.utils import timezone

from xinbao.accounts.models import Role
from xinbao.common.errors import NotFound
from xinbao.reports.models import (
    OPEN_SUBMISSION_STATES,
    Report,
    ReportReach,
    ReportState,
    SignOff,
    SignOffDecision,
    Submission,
    SubmissionState,
    Visibility,
)
from xinbao.reports.visibility import (
    is_visible,
    reads_as_office,
    visible_ids,
    visible_in_order,
    visible_page,
)
from xinbao.scoring.quotas import QUOTA_MET, Month, units_meeting_quota

#: Submissions an office can still decide on (take up, edit, return, adopt, not adopt, combine).
REVIEWABLE_STATES = (SubmissionState.SUBMITTED, SubmissionState.UNDER_REVIEW)

if TYPE_CHECKING:
    from xinbao.accounts.models import User


def _filter_by_item(qs: QuerySet[Any], filters: dict[str, Any], *, prefix: str) -> QuerySet[Any]:
    """The filters the item list and the inbox share; ``prefix`` reaches the item from the queryset's model
    ("" for items, "report__" for submissions). Dates are the submission date of the row itself."""
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(**{f"{prefix}title__contains": q}) | Q(**{f"{prefix}body__contains": q}))
    if unit := filters.get("unit"):
        qs = qs.filter(**{f"{prefix}unit_id": unit})
    if report_type := filters.get("type"):
        qs = qs.filter(**{f"{prefix}report_type": report_type})
    if date_from := filters.get("date_from"):
        qs = qs.filter(submitted_at__date__gte=date_from)
    if date_to := filters.get("date_to"):
        qs = qs.filter(submitted_at__date__lte=date_to)
    return qs


def report_list_visible_to(
    *, user: User, filters: dict[str, Any] | None = None, among: tuple[str, list[Any]] | None = None
) -> QuerySet[Report]:
    """``among``: SQL for a few candidate ids (a rare search word's matches) that the list is limited to; the
    visibility rule is then asked about those only (``visibility.visible_ids``)."""
    if not user.is_authenticated:
        return Report.objects.none()
    qs = Report.objects.filter(pk__in=visible_ids(user, among))
    filters = filters or {}
    qs = _filter_by_item(qs, filters, prefix="")
    if state := filters.get("state"):
        qs = qs.filter(state=state)
    return qs.select_related("unit", "created_by")


def report_rows_in_order_visible_to(*, user: User) -> tuple[str, list[Any]]:
    """SQL for (id, submitted_at, created_at) of every item the user may see, for walking the item list in order
    without reading the items (``visibility.visible_in_order``); no rows for an anonymous user."""
    if not user.is_authenticated:
        return "SELECT id, submitted_at, created_at FROM reports_report WHERE 1 = 0", []
    return visible_in_order(user)


def report_get_visible(*, user: User, pk: int | str) -> Report:
    if not user.is_authenticated:
        raise NotFound("信息不存在或无权查看")
    try:
        report = Report.objects.select_related("unit", "created_by").get(pk=pk)
    except (Report.DoesNotExist, ValueError) as exc:
        raise NotFound("信息不存在或无权查看") from exc
    if not is_visible(user, report.pk):
        raise NotFound("信息不存在或无权查看")
    return report


#: What a row of an item list shows (the API's ReportFields), read as values: the body (up to 20,000 characters) and
#: the people's and units' other columns were most of a page's loading work, and model instances for the item, its
#: unit and its author a third of what was left (bench/RESULTS.md, issue 3).
LIST_VALUES = (
    "id",
    "title",
    "report_type",
    "state",
    "visibility",
    "origin",
    "version",
    "submitted_at",
    "created_at",
    "updated_at",
    "unit_id",
    "unit__name",
    "created_by__full_name",
    "created_by__username",
)
#: An inbox row of the API: the submission's columns and its item's list columns.
INBOX_LIST_VALUES = (
    "id",
    "office_id",
    "is_copy",
    "is_direct",
    "state",
    "submitted_at",
    "decided_at",
    "comment",
    "reviewer_id",
    "reviewer__full_name",
    "reviewer__username",
    *(f"report__{name}" for name in LIST_VALUES),
)


def report_page_visible_to(
    *, user: User, filters: dict[str, Any] | None = None, start: int, size: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of the user's item list (``LIST_VALUES`` of each item) and the list's length. Unfiltered (the list
    an office opens) it walks the visibility arms in list order (``visibility.visible_page``); with filters it
    narrows the visible ids and finds the page's keys and the count in one query."""
    if not user.is_authenticated:
        return [], 0
    if filters:
        qs = report_list_visible_to(user=user, filters=filters)
        rows = list(qs.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")[start : start + size])
        keys, count = [key for key, _total in rows], (rows[0][1] if rows else qs.count())
    else:
        keys, count = visible_page(user, start=start, size=size)
    if not keys:
        return [], count
    return list(Report.objects.filter(pk__in=keys).values(*LIST_VALUES)), count


def inbox_for_office(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Submission]:
    """The review inbox of the user's office: its submissions, restricted ones only for editors."""
    if not reads_as_office(user):
        return Submission.objects.none()
    qs = Submission.objects.filter(office_id=user.unit_id)
    if not user.has_role(Role.EDITOR):
        qs = qs.filter(report__visibility=Visibility.NORMAL)
    filters = filters or {}
    state = filters.get("state")
    if state == "open":
        qs = qs.filter(state__in=OPEN_SUBMISSION_STATES)
    elif state:
        qs = qs.filter(state=state)
    else:
        # A withdrawn item is its author's draft again: the office no longer has it, unless it asks for them.
        qs = qs.exclude(state=SubmissionState.WITHDRAWN)
    qs = _filter_by_item(qs, filters, prefix="report__")
    if quota := filters.get("quota"):
        # Quota status of the sending unit for the current month (PRODUCT 3.5: 报送任务数).
        met = units_meeting_quota(Month.of(timezone.localdate()))
        qs = qs.filter(report__unit_id__in=met) if quota == QUOTA_MET else qs.exclude(report__unit_id__in=met)
    return qs.select_related("report", "report__unit", "reviewer").order_by("-submitted_at", "-id")


def submission_get_for_office(*, user: User, pk: int | str) -> Submission:
    try:
        return inbox_for_office(user=user).get(pk=pk)
    except (Submission.DoesNotExist, ValueError) as exc:
        raise NotFound("报送记录不存在或无权处理") from exc


# --- Permission decisions ----------------------------------------------------------------------------------------


def can_edit_as_author(user: User, report: Report) -> bool:
    """Authors edit while the item is theirs: a draft, refused at sign-off, or returned by an office."""
    if report.unit_id != user.unit_id:
        return False
    if not (report.created_by_id == user.pk or report.authors.filter(pk=user.pk).exists()):
        return False
    if report.state in (ReportState.DRAFT, ReportState.SIGNOFF_REFUSED):
        return True
    return (
        report.state == ReportState.SENT
        and report.submissions.filter(state=SubmissionState.RETURNED).exists()
    )


def editor_submission(user: User, report: Report) -> Submission | None:
    """The submission of ``report`` the user's office is reviewing, when the user is an editor there. A returned
    submission is with the author until resubmitted, so the office does not edit it meanwhile."""
    if user.unit_id is None or not user.has_role(Role.EDITOR):
        return None
    return report.submissions.filter(office_id=user.unit_id, state__in=REVIEWABLE_STATES).first()


def can_name_readers(user: User, report: Report) -> bool:
    """The item's unit's signer, or an editor of an office the item reached, may name readers (PRODUCT 3.1). An
    office's own item (forwarded or combined there) counts as having reached it."""
    if user.unit_id is None:
        return False
    if user.has_role(Role.SIGNER) and report.unit_id == user.unit_id:
        return True
    unit = user.unit
    if (
        unit is not None
        and unit.is_receiving_office
        and report.unit_id == unit.pk
        and user.has_role(Role.EDITOR)
    ):
        return True
    return (
        user.has_role(Role.EDITOR)
        and ReportReach.objects.filter(report=report, office_id=user.unit_id).exists()
    )


def signoff_refusals_for_office(*, user: User) -> QuerySet[SignOff]:
    """Sign-off refusals of items sent for sign-off to the user's office, newest first: what a lower unit's
    signer declined to send, with the reason (PRODUCT 3.1: sign-off cannot silently bury an item)."""
    unit = user.unit
    if unit is None or not unit.is_receiving_office or not user.has_role(Role.EDITOR):
        return SignOff.objects.none()
    reached = ReportReach.objects.filter(report=OuterRef("report_id"), office_id=unit.pk)
    return (
        SignOff.objects.filter(decision=SignOffDecision.REFUSED)
        .filter(Exists(reached))
        .exclude(report__state=ReportState.DRAFT)
        .select_related("report", "report__unit", "signer")
        .order_by("-created_at", "-id")
    )


def can_sign(user: User, report: Report) -> bool:
    """The unit's signer signs off its items; not his own (someone must read what he wrote)."""
    return user.has_role(Role.SIGNER) and report.unit_id == user.unit_id and report.created_by_id != user.pk


def unit_signers(report: Report) -> QuerySet:
    from xinbao.accounts.models import User

    return User.objects.filter(unit_id=report.unit_id, is_active=True, role_assignments__role=Role.SIGNER)


def office_editors(office_id: int) -> QuerySet:
    from xinbao.accounts.models import User

    return User.objects.filter(unit_id=office_id, is_active=True, role_assignments__role=Role.EDITOR)
