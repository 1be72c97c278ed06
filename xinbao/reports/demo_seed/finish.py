"""Rows the seed writes in bulk once the year has been replayed (see flow.py for why each is not a service call)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from xinbao.notifications.models import Notification
from xinbao.notifications.services import CapturedNotice
from xinbao.reports.models import Report, Submission, SubmissionState, Tag


def write_archived(archived: list[tuple[int, int, datetime, str]]) -> None:
    """The second office's copies it archived (存档) without adopting."""
    subs = [
        Submission(
            pk=pk,
            state=SubmissionState.NOT_ADOPTED,
            reviewer_id=editor_id,
            decided_at=when,
            updated_at=when,
            comment=comment,
        )
        for pk, editor_id, when, comment in archived
    ]
    Submission.objects.bulk_update(subs, ["state", "reviewer", "decided_at", "updated_at", "comment"], 500)


def write_tags(tags: list[tuple[int, str]]) -> None:
    names = sorted({name for _, name in tags})
    for name in names:
        Tag.objects.get_or_create(name=name)
    ids = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    through = Report.tags.through
    through.objects.bulk_create(
        [through(report_id=r, tag_id=ids[name]) for r, name in tags], batch_size=1000, ignore_conflicts=True
    )


def write_notices(
    notices: list[tuple[datetime, CapturedNotice]],
    now: datetime,
    later: Callable[[datetime, int, int], datetime],
    rng: random.Random,
) -> int:
    """The notices the year produced, dated when they were sent; older ones have long been read."""
    rows: list[Notification] = []
    sent: list[datetime] = []
    for when, n in notices:
        for recipient in n.recipient_ids:
            read = when < now - timedelta(days=10) or rng.random() < 0.4
            rows.append(
                Notification(
                    recipient_id=recipient,
                    kind=n.kind,
                    title=n.title,
                    body=n.body,
                    url=n.url,
                    read_at=later(when, 5, 2 * 1440) if read else None,
                )
            )
            sent.append(when)
    Notification.objects.bulk_create(rows, batch_size=1000)
    for row, when in zip(rows, sent, strict=True):
        row.created_at = row.updated_at = when  # auto_now_add stamped the seed's own time
    Notification.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=1000)
    return len(rows)
