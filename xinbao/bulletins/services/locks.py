"""Locking and the shared checks of the issue services. Lock order everywhere: series row, issue row, then items
in ascending id (then their submissions, as the reports services do)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.bulletins.models import Issue, IssueState, Series
from xinbao.bulletins.selectors import is_office_editor
from xinbao.common.errors import Conflict, NotPermitted

if TYPE_CHECKING:
    from xinbao.accounts.models import User


def series_lock(series_id: int) -> Series:
    # The UPDATE takes the row (PostgreSQL) or database (SQLite) write lock before anything is read, so two
    # publications of one series queue here and the second reads the first one's numbers.
    Series.objects.filter(pk=series_id).update(updated_at=timezone.now())
    return Series.objects.select_for_update().select_related("office").get(pk=series_id)


def issue_lock(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().select_related("series", "series__office").get(pk=issue.pk)


def require_editable(actor: User, issue: Issue, *, allow_published: bool = False) -> None:
    if not is_office_editor(actor, issue.series.office_id):
        raise NotPermitted(_("只有编印单位的编辑可以编辑这期刊物"))
    if issue.is_published and not allow_published:
        raise Conflict(_("这期刊物已印发，不能再修改"))


def touch(issue: Issue, actor: User) -> None:
    """Any change to an issue bumps its version; a change after 签发 voids the sign-off (the leader signed what he
    read, not what it became) and the issue goes back to 编辑中."""
    fields = ["version", "updated_at"]
    if issue.state == IssueState.SIGNED:
        audit_record(
            event_type=EventType.STATE_CHANGE,
            actor=actor,
            obj=issue,
            detail={"from": "signed", "to": "draft", "reason": "changed after sign-off"},
        )
        issue.state = IssueState.DRAFT
        issue.signed_by = None
        issue.signed_at = None
        fields += ["state", "signed_by", "signed_at"]
    issue.version += 1
    issue.save(update_fields=fields)
