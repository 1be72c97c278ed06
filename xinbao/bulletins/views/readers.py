"""Named readers of an issue from its page: an editor of the office adds a reader after publication (a newly
appointed leader, a leader who asks for a copy) or removes one named by mistake. Plain POSTs answered with a
redirect to the issue; the rules are the services'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinbao.bulletins.forms import ReaderAddForm
from xinbao.bulletins.selectors import is_office_editor
from xinbao.bulletins.services import issue_reader_add, issue_reader_remove
from xinbao.bulletins.views.common import current_user, first_error, issue_or_404, refuse
from xinbao.common.errors import DomainError, NotFound


def _for_editor(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    user = current_user(request)
    issue = issue_or_404(user, pk)
    if not is_office_editor(user, issue.series.office_id):
        raise PermissionDenied(_("只有编印单位的编辑可以调整指定阅读人"))
    return user, issue


@login_required
@require_POST
def reader_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, issue = _for_editor(request, pk)
    form = ReaderAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("bulletins:issue_detail", pk=pk)
    try:
        reader = issue_reader_add(actor=user, issue=issue, person_id=form.cleaned_data["person"])
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
    else:
        name = reader.person.full_name or reader.person.username
        messages.success(request, _("已增加指定阅读人：%(name)s。") % {"name": name})
    return redirect("bulletins:issue_detail", pk=pk)


@login_required
@require_POST
def reader_remove(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    user, issue = _for_editor(request, pk)
    try:
        person = issue_reader_remove(actor=user, issue=issue, person_id=person_id)
    except DomainError as exc:
        # "Not a reader" is a stale page (a colleague removed him first), not a missing issue: say so.
        if not (isinstance(exc, NotFound) and exc.field == "person"):
            refuse(exc)
        messages.error(request, exc.message)
    else:
        name = person.full_name or person.username
        messages.success(request, _("已移除指定阅读人：%(name)s。") % {"name": name})
    return redirect("bulletins:issue_detail", pk=pk)
