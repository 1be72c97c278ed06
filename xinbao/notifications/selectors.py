"""Reading notices: a person sees their own and nobody else's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.http import url_has_allowed_host_and_scheme

from xinbao.notifications.models import Notification

if TYPE_CHECKING:
    from xinbao.accounts.models import User

SHOW_UNREAD = "unread"
SHOW_ALL = "all"


def notification_list_for(*, user: User, show: str = SHOW_ALL) -> QuerySet[Notification]:
    """The user's notices, newest first; ``show="unread"`` keeps the unread ones."""
    if not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if show == SHOW_UNREAD:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notification_safe_url(url: str) -> str | None:
    """A notice links inside this site only: a path such as "/reports/12/". Anything with a scheme or host
    ("https://…", "//host", "/\\host", "javascript:…") is refused, so a crafted notice cannot send anyone away."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return None
    return url
