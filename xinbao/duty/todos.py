"""待办 of an office's duty officers: coverage gaps in the next 7 days (issue 5 item 6)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.common.todos import Todo, register
from xinbao.duty.coverage import TODO_DAYS, coverage_gaps, window_start
from xinbao.duty.selectors import office_of


@register
def duty_gap_todos(user):  # type: ignore[no-untyped-def]
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.DUTY_OFFICER):
        return []
    office = office_of(user)
    if office is None:
        return []
    start = window_start()
    gaps = coverage_gaps(office=office, start=start, days=TODO_DAYS)
    if not gaps:
        return []
    first = gaps[0]
    return [
        Todo(
            title=_("未来7天排班有%(n)d处值守缺口") % {"n": len(gaps)},
            url=reverse("duty:roster"),
            count=len(gaps),
            level="danger",
            detail=_("最早一处：%(at)s起缺%(role)s")
            % {"at": f"{first.start:%m-%d %H:%M}", "role": first.role_label},
        )
    ]
