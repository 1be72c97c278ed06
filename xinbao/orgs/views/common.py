"""What every orgs view needs: visibility errors turned into 404/403, service errors into form errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from xinbao.common.errors import DomainError, NotFound, NotPermitted
from xinbao.orgs.models import Unit
from xinbao.orgs.selectors import unit_get_visible

if TYPE_CHECKING:
    from xinbao.accounts.models import User


def visible_unit_or_404(request: HttpRequest, pk: int) -> Unit:
    # Another county's unit is answered like a missing one, so ids cannot be probed.
    try:
        return unit_get_visible(user=current_user(request), pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def form_error(form, exc: DomainError) -> None:  # type: ignore[no-untyped-def]
    """A refused write shows its Chinese reason next to the field it names (or above the form)."""
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(exc.message)
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def current_user(request: HttpRequest) -> User:
    """The logged-in person (every orgs view requires login), typed for the selectors and services."""
    return cast("User", request.user)
