"""Thin tasks: load, call the service, safe to run twice."""

from __future__ import annotations

from django_tasks import task

from xinbao.search.services import attachment_text_extract


@task()
def extract_attachment_text(attachment_id: int) -> None:
    attachment_text_extract(attachment_id=attachment_id)
