"""Session controls of PRODUCT 4: idle logout, forced password change and expiry, mandatory TOTP for admins."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record

SESSION_KEY = "xinbao_last_activity"
ACTIVITY_RESOLUTION = 60  # seconds
#: Requests a page makes by itself (progress polling) must not count as the person being active.
BACKGROUND_HEADER = "HTTP_X_XINBAO_BACKGROUND"
EXEMPT_PREFIXES = ("/static/", "/media/", "/api/", "/i18n/")


def htmx_aware_redirect(request, url: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    """An htmx request that got a 302 would swap the login page into a fragment; tell htmx to navigate instead."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class IdleTimeoutMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            now = timezone.now().timestamp()
            last = request.session.get(SESSION_KEY)
            limit = settings.IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - float(last) > limit:
                audit_record(
                    event_type=EventType.IDLE_LOGOUT,
                    actor=user,
                    obj=user,
                    detail={"idle_minutes": round((now - float(last)) / 60)},
                )
                logout(request)
                messages.warning(
                    request,
                    _("您已超过%(minutes)d分钟未操作，系统已自动退出，请重新登录。")
                    % {"minutes": settings.IDLE_TIMEOUT_MINUTES},
                )
                login_url = reverse(settings.LOGIN_URL)
                if getattr(request, "htmx", False):
                    return htmx_aware_redirect(request, login_url)
                return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            # Refresh at most once a minute: writing the session on every request costs a database write per page
            # (bench/RESULTS.md, issue 3), and a minute is nothing against a 30-minute limit.
            if not request.META.get(BACKGROUND_HEADER) and (
                last is None or now - float(last) >= ACTIVITY_RESOLUTION
            ):
                request.session[SESSION_KEY] = now
        return self.get_response(request)


def password_expired(user) -> bool:  # type: ignore[no-untyped-def]
    if user.password_changed_at is None:
        return True
    return timezone.now() - user.password_changed_at > timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def has_confirmed_device(user) -> bool:  # type: ignore[no-untyped-def]
    # Loaded with the signed-in person (accounts/backends.py). Read as an attribute: request.user is a lazy
    # proxy whose own __dict__ is not the person's.
    bound = getattr(user, "otp_bound", None)
    if bound is not None:
        return bool(bound)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class SecurityGateMiddleware:
    """Sends a logged-in person to the step they still owe before anything else: a second factor, then a new
    password. Order matters: the password page is only reachable once the person is fully authenticated."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        target = self.required_step(request, user)
        if target and request.path != target and request.path != reverse("accounts:logout"):
            url = (
                f"{target}?{urlencode({'next': request.get_full_path()})}"
                if request.method == "GET"
                else target
            )
            return htmx_aware_redirect(request, url)
        return self.get_response(request)

    @staticmethod
    def required_step(request, user) -> str | None:  # type: ignore[no-untyped-def]
        # The user object ``authenticate()`` returns right after the password check has not been through
        # OTPMiddleware and has no is_verified(); such a person has not given a second factor yet.
        is_verified = getattr(user, "is_verified", None)
        if not (callable(is_verified) and is_verified()):
            if has_confirmed_device(user):
                return reverse("accounts:otp_verify")
            if user.needs_second_factor:
                return reverse("accounts:otp_setup")
        if user.must_change_password or password_expired(user):
            return reverse("accounts:password_change")
        return None
