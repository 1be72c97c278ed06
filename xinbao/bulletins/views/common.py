"""What the bulletin views share: the current user, visibility as 404, refusals as 403/404."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from xinbao.bulletins.selectors import issue_get_visible
from xinbao.common.errors import DomainError, NotFound, NotPermitted

if TYPE_CHECKING:
    from xinbao.accounts.models import User
    from xinbao.bulletins.models import Issue


def current_user(request: HttpRequest) -> User:
    return cast("User", request.user)


def issue_or_404(user: User, pk: int) -> Issue:
    try:
        return issue_get_visible(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def refuse(exc: DomainError) -> None:
    """Permission and existence errors become 403/404; the caller shows the rest (validation, conflict)."""
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(exc.message)
    if isinstance(exc, NotFound):
        raise Http404(exc.message)


def form_error(form, exc: DomainError) -> None:  # type: ignore[no-untyped-def]
    refuse(exc)
    field = exc.field if exc.field in form.fields and not form.fields[exc.field].widget.is_hidden else None
    form.add_error(field, exc.message)


def first_error(form) -> str:  # type: ignore[no-untyped-def]
    from django.utils.translation import gettext as _

    return next(iter(e for errors in form.errors.values() for e in errors), _("输入有误"))
