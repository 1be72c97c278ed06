"""待办 entries about the person's own account."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.common.todos import Todo, register


@register
def password_expiry(user):  # type: ignore[no-untyped-def]
    if user.password_changed_at is None:
        return []
    left = user.password_changed_at + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS) - timezone.now()
    if left.days < 7:
        return [
            Todo(
                title=_("您的密码将在%(days)d天后到期，请及时修改") % {"days": max(left.days, 0)},
                url=reverse("accounts:password_change"),
                level="warning",
            )
        ]
    return []
