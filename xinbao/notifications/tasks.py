"""E-mail copies of notices, when e-mail is configured and the person has an address (PRODUCT 3.9)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def notification_email_send(*, recipient_ids: list[int], title: str, body: str, url: str) -> int:
    if not settings.NOTIFY_BY_EMAIL:
        return 0
    from xinbao.accounts.models import User

    sent = 0
    for person in User.objects.filter(pk__in=recipient_ids, is_active=True).exclude(email=""):
        send_mail(f"【信报】{title}", f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [person.email])
        sent += 1
    return sent
