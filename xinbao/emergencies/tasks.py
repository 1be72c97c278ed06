"""Thin tasks over the deadline services (house habit 6): load by id, call the service, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def deadline_fire(*, deadline_id: int) -> bool:
    from xinbao.emergencies.services.deadlines import deadline_alert

    return deadline_alert(deadline_id=deadline_id)


@task()
def deadline_escalate_task(*, deadline_id: int) -> bool:
    from xinbao.emergencies.services.deadlines import deadline_escalate

    return deadline_escalate(deadline_id=deadline_id)


@task()
def deadlines_sweep_task() -> dict[str, int]:
    from xinbao.emergencies.services.deadlines import deadlines_sweep

    return deadlines_sweep()
