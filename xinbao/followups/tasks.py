"""Reminder tasks, enqueued with ``run_after`` at the due moment (services/reminders.py). Thin and idempotent."""

from __future__ import annotations

from django_tasks import task


@task()
def assignment_target_remind(*, target_id: int, kind: str, due_on: str) -> bool:
    from xinbao.followups.services.reminders import assignment_target_send_reminder

    return assignment_target_send_reminder(target_id=target_id, kind=kind, due_on=due_on)


@task()
def commission_target_remind(*, target_id: int, kind: str, due_on: str) -> bool:
    from xinbao.followups.services.reminders import commission_target_send_reminder

    return commission_target_send_reminder(target_id=target_id, kind=kind, due_on=due_on)


@task()
def followups_sweep_task() -> int:
    from xinbao.followups.services.reminders import followups_sweep

    return followups_sweep()
