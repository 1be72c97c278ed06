"""API rate limits (PRODUCT 4: rate limits on login and API).

Per token holder: settings.API_RATE_LIMIT ("600/m" by default) requests. Per source address: the same number of
*failed* authentications, so guessing tokens is throttled without letting one NAT'd township office lock out its
neighbours' valid tokens. The rate is read on each request so an operator's change (or a test's) applies at once.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from xinbao.audit.context import client_ip


class TokenUserThrottle(SimpleRateThrottle):
    scope = "xinbao_api_user"

    def __init__(self) -> None:
        super().__init__(rate=settings.API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        if user is None or getattr(user, "pk", None) is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class FailedAuthThrottle(SimpleRateThrottle):
    """Counts only failures: ``blocked`` looks without counting, ``record_failure`` counts one."""

    scope = "xinbao_api_authfail"

    def __init__(self) -> None:
        super().__init__(rate=settings.API_RATE_LIMIT)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "local"}

    def _load(self, request: HttpRequest) -> None:
        self.num_requests, self.duration = self.parse_rate(settings.API_RATE_LIMIT)
        self.key = self.get_cache_key(request)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:  # type: ignore[operator]
            self.history.pop()

    def blocked(self, request: HttpRequest) -> bool:
        self._load(request)
        return len(self.history) >= self.num_requests  # type: ignore[operator]

    def record_failure(self, request: HttpRequest) -> None:
        self._load(request)
        self.throttle_success()
