"""待办 of bulletins: issues waiting for the leader's 签发, signed issues waiting for the editor to 印发."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from xinbao.accounts.models import Role
from xinbao.bulletins.models import Issue, IssueState
from xinbao.common.todos import Todo, register

if TYPE_CHECKING:
    from xinbao.accounts.models import User


@register
def bulletin_todos(user: User) -> Iterable[Todo]:
    if not user.is_authenticated or user.unit_id is None:
        return []
    result = []
    office_issues = Issue.objects.filter(series__office_id=user.unit_id)
    if user.has_role(Role.LEADER):
        # A draft with entries is what the editor hands the leader; an empty one is still being started.
        n = office_issues.filter(state=IssueState.DRAFT, entries__isnull=False).distinct().count()
        if n:
            result.append(
                Todo(
                    title=_("待签发的刊物"),
                    url=reverse("bulletins:index") + f"?state={IssueState.DRAFT}",
                    count=n,
                    level="warning",
                )
            )
    if user.has_role(Role.EDITOR):
        n = office_issues.filter(state=IssueState.SIGNED).count()
        if n:
            result.append(
                Todo(
                    title=_("已签发待印发的刊物"),
                    url=reverse("bulletins:index") + f"?state={IssueState.SIGNED}",
                    count=n,
                )
            )
    return result
