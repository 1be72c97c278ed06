"""The unread count for the bell in the navigation bar (templates/base.html)."""

from __future__ import annotations

from functools import cache

from xinbao.notifications.selectors import notification_unread_count


def unread_notifications(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # Counted only when a template asks (JSON and file responses never do), and at most once per request.
    @cache
    def count() -> int:
        return notification_unread_count(user=user)

    return {"notice_unread_count": count}
