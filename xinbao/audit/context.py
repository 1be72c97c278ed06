"""Where the current request came from, for audit rows written deep inside services.

The middleware sets it per request; management commands and tasks leave the default ("本机" / no IP), which the
audit row records as such.
"""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str] = ContextVar("xinbao_audit_ip", default="")


def client_ip(request) -> str:  # type: ignore[no-untyped-def]
    # REMOTE_ADDR only: X-Forwarded-For is trusted only when a proxy is configured to set it (BEHIND_TLS_PROXY).
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:45]
    return (request.META.get("REMOTE_ADDR") or "")[:45]
