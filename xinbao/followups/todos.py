"""待办 of follow-up: a unit's open and overdue assignments and unanswered commissions; an office editor's feedback
waiting for a decision. Counted through the selectors, so a 待办 never counts what its reader could not open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.common.todos import Todo, register
from xinbao.followups.models import (
    CommissionState,
    CommissionTarget,
    Feedback,
    FeedbackDecision,
    TargetState,
)
from xinbao.followups.selectors import commission_list_visible_to, is_office_editor, target_list_visible_to
from xinbao.reports.models import ReportState

if TYPE_CHECKING:
    from xinbao.accounts.models import User

ANSWERING_ROLES = (Role.INFORMANT, Role.SIGNER, Role.LEADER)


@register
def unit_todos(user: User) -> list[Todo]:
    if not user.is_authenticated or user.unit_id is None or not user.has_role(*ANSWERING_ROLES):
        return []
    todos = []
    owing = target_list_visible_to(user=user).filter(
        unit_id=user.unit_id, state__in=[TargetState.OPEN, TargetState.MORE_REQUESTED]
    )
    overdue = owing.filter(due_on__lt=timezone.localdate()).count()
    if overdue:
        todos.append(
            Todo(
                title=_("有%(n)d件交办事项已超过反馈期限") % {"n": overdue},
                url=reverse("followups:index") + "?state=overdue",
                count=overdue,
                level="danger",
            )
        )
    pending = owing.count() - overdue
    if pending:
        todos.append(
            Todo(
                title=_("有%(n)d件交办事项待反馈") % {"n": pending},
                url=reverse("followups:index"),
                count=pending,
                level="warning",
            )
        )
    mine = CommissionTarget.objects.filter(commission=OuterRef("pk"), unit_id=user.unit_id, answered_at=None)
    unanswered = (
        commission_list_visible_to(user=user)
        .filter(state=CommissionState.PUBLISHED)
        .filter(Exists(mine))
        .count()
    )
    if unanswered:
        todos.append(
            Todo(
                title=_("有%(n)d项约稿待报送") % {"n": unanswered},
                url=reverse("followups:commissions"),
                count=unanswered,
                level="info",
            )
        )
    return todos


@register
def office_todos(user: User) -> list[Todo]:
    if not user.is_authenticated or user.unit_id is None or not is_office_editor(user, user.unit_id):
        return []
    waiting = Feedback.objects.filter(
        decision=FeedbackDecision.PENDING,
        target__state=TargetState.ANSWERED,
        target__assignment__office_id=user.unit_id,
        report__state=ReportState.SENT,
    ).count()
    if not waiting:
        return []
    return [
        Todo(
            title=_("有%(n)d条落实反馈待审核") % {"n": waiting},
            url=reverse("followups:index") + "?state=open",
            count=waiting,
            level="warning",
        )
    ]
