"""待办 for emergencies: the duty room sees overdue deadlines in its region, the unit what it still owes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.common.todos import Todo, register
from xinbao.emergencies.models import DeadlineState
from xinbao.emergencies.selectors import deadline_list_visible_to, is_office_staff

if TYPE_CHECKING:
    from xinbao.accounts.models import User


@register
def emergency_todos(user: User) -> list[Todo]:
    if not user.is_authenticated or user.unit_id is None:
        return []
    open_ = deadline_list_visible_to(user=user, filters={"state": DeadlineState.OPEN})
    out = []
    if is_office_staff(user, Role.DUTY_OFFICER, Role.EDITOR):
        overdue = open_.filter(due_at__lte=timezone.now()).count()
        if overdue:
            out.append(
                Todo(
                    title=_("紧急信息逾期未报"),
                    url=reverse("emergencies:board"),
                    count=overdue,
                    level="danger",
                )
            )
    elif user.has_role(Role.INFORMANT, Role.SIGNER):
        owed = open_.filter(incident__unit_id=user.unit_id)
        count = owed.count()
        if count:
            first = owed.first()
            out.append(
                Todo(
                    title=_("突发事件待报送"),
                    url=reverse("emergencies:detail", args=[first.incident_id]) if first else "",
                    count=count,
                    level="danger" if owed.filter(due_at__lte=timezone.now()).exists() else "warning",
                )
            )
    return out
