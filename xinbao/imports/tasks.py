"""Background work of the import: thin, the service does everything and is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from xinbao.imports.services import import_job_run


@task()
def run_import(job_id: int) -> None:
    import_job_run(job_id=job_id)
