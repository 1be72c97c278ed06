"""Sending and reading notices. Always after commit (house habit 3): a rolled-back change never notifies anyone."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinbao.common.errors import NotFound
from xinbao.notifications.models import Notification

if TYPE_CHECKING:
    from xinbao.accounts.models import User


@dataclass(frozen=True)
class CapturedNotice:
    recipient_ids: tuple[int, ...]
    kind: str
    title: str
    body: str
    url: str


#: When set, notify() appends here instead of writing: the demo seed replays a year of work in one run and writes
#: the notices itself, dated when each event happened (notices stamped "now" for a year-old adoption would bury
#: the demo inbox under hundreds of false "today" entries).
_captured: ContextVar[list[CapturedNotice] | None] = ContextVar("notifications_captured", default=None)


@contextmanager
def notifications_captured() -> Iterator[list[CapturedNotice]]:
    """Collect the notices services would send inside the block; nothing is written or e-mailed."""
    sink: list[CapturedNotice] = []
    token = _captured.set(sink)
    try:
        yield sink
    finally:
        _captured.reset(token)


def notify(*, recipients: Iterable[User], kind: str, title: str, body: str = "", url: str = "") -> None:
    """Queue an in-app notice for each recipient once the surrounding transaction commits."""
    ids = sorted({r.pk for r in recipients if r is not None and r.pk})
    if not ids:
        return
    title, url = title[:200], url[:300]
    sink = _captured.get()
    if sink is not None:
        sink.append(CapturedNotice(tuple(ids), kind, title, body, url))
        return

    def _write() -> None:
        notices = Notification.objects.bulk_create(
            [Notification(recipient_id=i, kind=kind, title=title, body=body, url=url) for i in ids]
        )
        # No e-mail server: no task at all (a queue row per notice that would only return 0 is waste).
        if settings.NOTIFY_BY_EMAIL:
            from xinbao.notifications.tasks import notification_email_send

            notification_email_send.enqueue(
                recipient_ids=ids,
                title=title,
                body=body,
                url=url,
                notification_ids=[n.pk for n in notices if n.pk],
            )

    transaction.on_commit(_write)


def _own(actor: User, pk: int | str) -> Notification:
    try:
        return Notification.objects.select_for_update().get(pk=pk, recipient_id=actor.pk)
    except (Notification.DoesNotExist, ValueError) as exc:
        # Someone else's notice is answered exactly like a missing one: its existence is not disclosed.
        raise NotFound(_("通知不存在")) from exc


# Marking a notice read changes nothing but the reader's own inbox flag, so it is not an audited state change
# (PRODUCT 4 lists logins, permission changes, restricted reads and state changes of the work itself).


@transaction.atomic
def notification_mark_read(*, actor: User, pk: int | str) -> Notification:
    """Mark one of the actor's notices read (idempotent: the first reading time is kept)."""
    notice = _own(actor, pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at", "updated_at"])
    return notice


@transaction.atomic
def notification_mark_all_read(*, actor: User) -> int:
    """Mark every unread notice of the actor read; returns how many changed."""
    now = timezone.now()
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
