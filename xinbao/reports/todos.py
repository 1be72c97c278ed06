"""待办 of the author and the signer, and the two lists behind them (the sign-off queue page reads the same one).

Both build on ``report_list_visible_to``, so a 待办 never counts an item its reader could not open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.common.todos import Todo, register
from xinbao.reports.models import Report, ReportState, SignOff, Submission, SubmissionState
from xinbao.reports.selectors import report_list_visible_to

if TYPE_CHECKING:
    from xinbao.accounts.models import User


def signoff_queue_for(user: User) -> QuerySet[Report]:
    """Items of the signer's unit waiting for his sign-off: 待审签, and items already out (emergency or
    escalated) whose sign-off is to be recorded afterwards. Never his own (``can_sign``)."""
    if user.unit_id is None or not user.has_role(Role.SIGNER):
        return Report.objects.none()
    after_done = SignOff.objects.filter(report=OuterRef("pk"), after_send=True)
    waiting = Q(state=ReportState.PENDING_SIGNOFF) | (
        Q(state=ReportState.SENT, signoff_after_send=True) & ~Q(Exists(after_done))
    )
    return (
        report_list_visible_to(user=user)
        .filter(unit_id=user.unit_id)
        .exclude(created_by=user)
        .filter(waiting)
        .order_by("created_at", "id")
    )


def _own_items(user: User) -> QuerySet[Report]:
    authored = Report.authors.through.objects.filter(report_id=OuterRef("pk"), user_id=user.pk)
    return (
        report_list_visible_to(user=user)
        .filter(unit_id=user.unit_id)
        .filter(Q(created_by=user) | Q(Exists(authored)))
    )


def returned_for(user: User) -> QuerySet[Report]:
    """The user's items an office returned for revision and that are not yet resubmitted."""
    returned = Submission.objects.filter(report=OuterRef("pk"), state=SubmissionState.RETURNED)
    return _own_items(user).filter(state=ReportState.SENT).filter(Exists(returned))


def refused_for(user: User) -> QuerySet[Report]:
    return _own_items(user).filter(state=ReportState.SIGNOFF_REFUSED)


@register
def signer_todos(user):  # type: ignore[no-untyped-def]
    if not user.is_authenticated or not user.has_role(Role.SIGNER):
        return []
    count = signoff_queue_for(user).count()
    if not count:
        return []
    return [
        Todo(
            title=_("有%(n)d条信息等待您审签") % {"n": count},
            url=reverse("reports:signoff_queue"),
            count=count,
            level="warning",
        )
    ]


@register
def author_todos(user):  # type: ignore[no-untyped-def]
    if not user.is_authenticated or user.unit_id is None or not user.has_role(Role.INFORMANT):
        return []
    todos = []
    returned = returned_for(user).count()
    if returned:
        todos.append(
            Todo(
                title=_("有%(n)d条信息被退回修改") % {"n": returned},
                url=reverse("reports:mine") + "?state=returned",
                count=returned,
                level="danger",
            )
        )
    refused = refused_for(user).count()
    if refused:
        todos.append(
            Todo(
                title=_("有%(n)d条信息审签未通过") % {"n": refused},
                url=reverse("reports:mine") + f"?state={ReportState.SIGNOFF_REFUSED}",
                count=refused,
                level="warning",
            )
        )
    return todos
