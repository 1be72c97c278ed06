from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer

from xinbao.accounts.models import ApiToken
from xinbao.accounts.selectors import request_person_annotations
from xinbao.api.throttling import FailedAuthThrottle


class BearerTokenAuth(HttpBearer):
    """Authorization: Bearer xb_…; only the token's SHA-256 digest is stored. Revoked tokens and deactivated
    accounts are refused. Repeated failures from one address are answered with 429 before the lookup."""

    def __call__(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        failures = FailedAuthThrottle()
        if failures.blocked(request):
            raise Throttled(wait=failures.wait())
        user = super().__call__(request)
        if user is None:
            failures.record_failure(request)
        return user

    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[no-untyped-def]
        if not token:
            return None
        row = (
            ApiToken.objects.select_related("user", "user__unit")
            .annotate(**request_person_annotations("user_id"))
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        row.mark_used()
        row.user.role_codes = row.role_codes  # read by User.role_set instead of a query of its own
        request.user = row.user
        return row.user
