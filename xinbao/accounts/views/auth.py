"""Login, second factor, password change. All messages in Chinese; lockout through django-axes."""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from xinbao.accounts.forms import LoginForm, OTPTokenForm, PasswordChangeForm, posted
from xinbao.accounts.middleware import (
    SESSION_KEY,
    SecurityGateMiddleware,
    has_confirmed_device,
    password_expired,
)
from xinbao.accounts.services import otp_check, otp_device_confirm, otp_device_for_setup, password_change
from xinbao.common.errors import DomainError

LOCKOUT_MESSAGE = gettext_noop("连续登录失败次数过多，账号已锁定30分钟，请稍后再试或联系系统管理员。")


def _next_param(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return ""


def _safe_next(request: HttpRequest) -> str:
    return _next_param(request) or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, request: HttpRequest) -> str:
    return f"{url}?{urlencode({'next': _safe_next(request)})}"


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | dict | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes calls this instead of its English page once the limit is reached: with (request, response,
    credentials) from its sync middleware and with (request, credentials) from the async one."""
    if isinstance(original_response, dict) and credentials is None:
        credentials = original_response
    username = (credentials or {}).get("username", "") if isinstance(credentials, dict) else ""
    form = LoginForm(initial={"username": username})
    return render(
        request,
        "accounts/login.html",
        {"form": form, "error": _(LOCKOUT_MESSAGE), "next": _next_param(request)},
        status=403,
    )


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request))
    form = LoginForm(posted(request))
    error = ""
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, {"username": form.cleaned_data["username"]})
        if user is None:
            # Django's ModelBackend refuses deactivated accounts here too; one message for both, so the page does
            # not tell a stranger which user names exist.
            error = _("用户名或密码错误，或账号已停用。连续失败5次账号将被锁定30分钟。")
        else:
            login(request, user)
            request.session[SESSION_KEY] = timezone.now().timestamp()
            step = SecurityGateMiddleware.required_step(request, user)
            if step:
                return redirect(_with_next(step, request))
            return redirect(_safe_next(request))
    return render(
        request, "accounts/login.html", {"form": form, "error": error, "next": _next_param(request)}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("accounts:login")


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            # Changing the password rotates the session hash; keep the person logged in on this device.
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect(_safe_next(request))
    reason = ""
    if request.user.must_change_password:
        reason = _("首次登录或密码被重置，请先设置新密码。")
    elif password_expired(request.user):
        reason = _("您的密码已超过%(days)d天未修改，请设置新密码。") % {
            "days": settings.PASSWORD_MAX_AGE_DAYS
        }
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "reason": reason, "next": _next_param(request)},
    )


def _qr_svg(uri: str) -> str:
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@login_required
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Bind a TOTP authenticator: show the secret and QR code of an unconfirmed device, confirm with one code.
    Mandatory for the three administrators, optional for everyone else (PRODUCT 4)."""
    if has_confirmed_device(request.user):
        return redirect(_with_next(reverse("accounts:otp_verify"), request))
    device = otp_device_for_setup(user=request.user)
    form = OTPTokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if otp_device_confirm(user=request.user, device=device, token=form.cleaned_data["token"]):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, _("双因素认证已绑定。"))
            return redirect(_safe_next(request))
        form.add_error("token", _("验证码不正确，请核对手机时间后重试"))
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": secret,
            "qr": _qr_svg(device.config_url),
            "mandatory": request.user.needs_second_factor,
            "next": _next_param(request),
        },
    )


@login_required
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_safe_next(request))
    if not has_confirmed_device(request.user):
        return redirect(_with_next(reverse("accounts:otp_setup"), request))
    form = OTPTokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        device = otp_check(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("验证码不正确或已过期，请等待验证器显示新的验证码后重试"))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_param(request)})
