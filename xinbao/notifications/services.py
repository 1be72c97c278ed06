"""Sending notices. Always after commit (house habit 3): a rolled-back change never notifies anyone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from xinbao.notifications.models import Notification

if TYPE_CHECKING:
    from xinbao.accounts.models import User


def notify(*, recipients: Iterable[User], kind: str, title: str, body: str = "", url: str = "") -> None:
    """Queue an in-app notice for each recipient once the surrounding transaction commits."""
    ids = sorted({r.pk for r in recipients if r is not None and r.pk})
    if not ids:
        return

    def _write() -> None:
        Notification.objects.bulk_create(
            [
                Notification(recipient_id=i, kind=kind, title=title[:200], body=body, url=url[:300])
                for i in ids
            ]
        )
        from xinbao.notifications.tasks import notification_email_send

        notification_email_send.enqueue(recipient_ids=ids, title=title[:200], body=body, url=url[:300])

    transaction.on_commit(_write)
