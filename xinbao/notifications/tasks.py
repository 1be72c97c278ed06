"""E-mail copies of notices, when e-mail is configured and the person has an address (PRODUCT 3.9)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task


@task()
def notification_email_send(
    *, recipient_ids: list[int], title: str, body: str, url: str, notification_ids: list[int] | None = None
) -> int:
    """Safe to run twice in the sense that matters: a notice already e-mailed (``emailed_at``) is not sent again."""
    if not settings.NOTIFY_BY_EMAIL:
        return 0
    from xinbao.accounts.models import User
    from xinbao.notifications.models import Notification

    notices = Notification.objects.filter(pk__in=notification_ids or [])
    done = set(notices.exclude(emailed_at=None).values_list("recipient_id", flat=True))
    sent = 0
    for person in User.objects.filter(pk__in=recipient_ids, is_active=True).exclude(email="").order_by("pk"):
        if person.pk in done:
            continue
        send_mail(f"【信报】{title}", f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [person.email])
        notices.filter(recipient_id=person.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
