"""What every scoring page needs: the office, the period and the 404 for what the user may not see."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest
from django.utils import timezone

from xinbao.accounts.models import User
from xinbao.common.errors import DomainError, NotFound
from xinbao.orgs.models import Unit
from xinbao.scoring.periods import Period, current_quarter, parse_period
from xinbao.scoring.selectors import default_office_for, office_get_visible


def current_user(request: HttpRequest) -> User:
    return cast("User", request.user)


def office_or_404(request: HttpRequest, pk: int | str | None = None) -> Unit:
    user = current_user(request)
    pk = pk or request.GET.get("office")
    try:
        if pk:
            return office_get_visible(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    office = default_office_for(user)
    if office is None:
        raise Http404
    return office


def period_of(request: HttpRequest) -> tuple[Period, str]:
    """The requested period, or the current quarter with the reason the request's one was refused."""
    text = (request.GET.get("period") or "").strip()
    if not text:
        return current_quarter(timezone.localdate()), ""
    try:
        return parse_period(text), ""
    except DomainError as exc:
        return current_quarter(timezone.localdate()), exc.message
