"""Login events go to the audit log (PRODUCT 4: every login, success and failure)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from xinbao.audit.models import EventType
from xinbao.audit.services import audit_record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
    audit_record(event_type=EventType.LOGIN, actor=user, obj=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
    if user is not None:
        audit_record(event_type=EventType.LOGOUT, actor=user, obj=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):  # type: ignore[no-untyped-def]
    from xinbao.accounts.models import User

    username = (credentials or {}).get("username", "") or ""
    user = User.objects.filter(username=username).select_related("unit").first()
    audit_record(
        event_type=EventType.LOGIN_FAILED,
        actor=user,
        username=username,
        success=False,
        object_type="accounts.user",
        object_id=user.pk if user else "",
        object_repr=username,
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):  # type: ignore[no-untyped-def]
    from xinbao.accounts.models import User

    user = User.objects.filter(username=username).select_related("unit").first()
    audit_record(
        event_type=EventType.LOCKOUT,
        actor=user,
        username=username or "",
        success=False,
        object_type="accounts.user",
        object_id=user.pk if user else "",
        object_repr=username or "",
        detail={"minutes": 30},
    )
