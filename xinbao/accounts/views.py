"""Login, second factor, password change. All messages in Chinese; lockout through django-axes."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinbao.accounts.forms import LoginForm, OTPTokenForm, PasswordChangeForm
from xinbao.accounts.middleware import SESSION_KEY, SecurityGateMiddleware
from xinbao.accounts.services import password_change
from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record
from xinbao.common.errors import DomainError

LOCKOUT_MESSAGE = "连续登录失败次数过多，账号已锁定30分钟，请稍后再试或联系系统管理员。"


def _safe_next(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return reverse(settings.LOGIN_REDIRECT_URL)


def lockout_response(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """django-axes calls this instead of its English page once the limit is reached."""
    form = LoginForm(initial={"username": (credentials or {}).get("username", "")})
    return render(request, "accounts/login.html", {"form": form, "error": LOCKOUT_MESSAGE}, status=403)


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, {"username": form.cleaned_data["username"]})
        if user is None:
            error = "用户名或密码错误。连续失败5次账号将被锁定30分钟。"
        elif not user.is_active:
            error = "账号已停用，请联系系统管理员。"
        else:
            login(request, user)
            request.session[SESSION_KEY] = timezone.now().timestamp()
            step = SecurityGateMiddleware.required_step(request, user)
            if step:
                return redirect(f"{step}?next={_safe_next(request)}")
            return redirect(_safe_next(request))
    return render(
        request, "accounts/login.html", {"form": form, "error": error, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
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
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect(_safe_next(request))
    reason = ""
    if request.user.must_change_password:
        reason = "首次登录或密码被重置，请先设置新密码。"
    elif SecurityGateMiddleware.required_step(request, request.user) == request.path:
        reason = f"您的密码已超过{settings.PASSWORD_MAX_AGE_DAYS}天未修改，请设置新密码。"
    return render(request, "accounts/password_change.html", {"form": form, "reason": reason})


def _qr_svg(uri: str) -> str:
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@login_required
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Bind a TOTP authenticator: show the secret and QR code of an unconfirmed device, confirm with one code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="手机验证器", confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(event_type=EventType.OTP_SETUP, actor=request.user, obj=request.user)
            messages.success(request, "双因素认证已绑定。")
            return redirect(_safe_next(request))
        audit_record(
            event_type=EventType.OTP_FAILED,
            actor=request.user,
            obj=request.user,
            success=False,
            detail={"stage": "setup"},
        )
        form.add_error("token", "验证码不正确，请核对手机时间后重试")
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": secret,
            "qr": _qr_svg(device.config_url),
            "mandatory": request.user.needs_second_factor,
        },
    )


@login_required
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect("accounts:otp_setup")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
        audit_record(
            event_type=EventType.OTP_FAILED,
            actor=request.user,
            obj=request.user,
            success=False,
            detail={"stage": "login"},
        )
        form.add_error("token", "验证码不正确或已过期")
    return render(request, "accounts/otp_verify.html", {"form": form})
