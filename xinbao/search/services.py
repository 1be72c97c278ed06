"""Keeping the search index current (issue 7 item 5).

Every text change of an item is a revision (reports.services.authoring.revision_add) and every attachment passes
through reports.services.attachments; both ask for ``search_index_soon`` — after commit, so a rolled-back edit is
never indexed and a search never waits on the editor's transaction. Attachments' text is extracted once, in a task
(a large PDF should not slow the upload). ``rebuild_search_index`` rebuilds everything in chunks."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from xinbao.reports.models import Attachment, Report
from xinbao.search import backends
from xinbao.search.extraction import extract_text
from xinbao.search.models import AttachmentText, SearchDocument
from xinbao.search.tokens import index_fields


@transaction.atomic
def search_index_report(*, report_id: int) -> bool:
    """Index the item as it is now; False when it no longer exists."""
    report = Report.objects.filter(pk=report_id).only("pk", "title", "body").first()
    if report is None:
        backends.remove(report_id)
        return False
    texts = AttachmentText.objects.filter(attachment__report_id=report_id).order_by("attachment_id")
    extra = "\n".join(texts.values_list("text", flat=True))
    title, body, attachments = index_fields(report.title, report.body, extra)
    SearchDocument.objects.update_or_create(report_id=report_id, defaults={"indexed_at": timezone.now()})
    backends.write(report_id, title, body, attachments)
    return True


def search_index_soon(report_id: int) -> None:
    """Index the item once the current transaction commits (at once when there is none). Derived data: a failure
    is logged (``robust``) and never fails the user's save; ``rebuild_search_index`` repairs the index."""
    transaction.on_commit(lambda: search_index_report(report_id=report_id), robust=True)


@transaction.atomic
def attachment_text_extract(*, attachment_id: int) -> AttachmentText | None:
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return None
    with attachment.file.open("rb") as handle:
        data = handle.read()
    text, note = extract_text(attachment.original_name, data)
    row, _created = AttachmentText.objects.update_or_create(
        attachment=attachment, defaults={"text": text, "note": note[:200]}
    )
    search_index_soon(attachment.report_id)
    return row


def attachment_text_soon(attachment_id: int) -> None:
    from xinbao.search.tasks import extract_attachment_text

    transaction.on_commit(lambda: extract_attachment_text.enqueue(attachment_id), robust=True)


def search_rebuild(*, report_ids: Iterable[int] | None = None, chunk: int = 1000) -> int:
    """Index every item (or the given ones) again, a chunk per transaction; returns how many were indexed."""
    ids = list(report_ids) if report_ids is not None else None
    qs = Report.objects.order_by("pk").values_list("pk", flat=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    done = 0
    batch: list[int] = []
    for pk in qs.iterator(chunk_size=chunk):
        batch.append(pk)
        if len(batch) >= chunk:
            done += _index_batch(batch)
            batch = []
    if batch:
        done += _index_batch(batch)
    return done


@transaction.atomic
def _index_batch(ids: list[int]) -> int:
    return sum(search_index_report(report_id=pk) for pk in ids)
