"""Timers survive a restart of the worker (PRODUCT 3.4, issue 5 item 3): a deadline is scheduled, the real
``manage.py db_worker`` is started and killed before the due time, a new worker is started, and the alert fires.

The workers are subprocesses and need the test database on disk. PostgreSQL: they connect to the test database
itself (the test uses ``transactional_db`` so the rows are committed). SQLite: pytest-django's test database lives
in memory, which another process cannot open, so the test copies it to a file with SQLite's online backup API and
points the workers at the copy; the result is read back from that file.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from xinbao.emergencies.models import DeadlineKind
from xinbao.emergencies.services.deadlines import deadline_create
from xinbao.emergencies.tests.factories import make_cast, register

pytestmark = pytest.mark.worker

MANAGE = Path(settings.BASE_DIR) / "manage.py"
DUE_IN = 12  # seconds: time to boot one worker, kill it, and boot the next before the due time


def _database_url(tmp_path: Path) -> tuple[str, Path | None]:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "worker.sqlite3"
        target = sqlite3.connect(copy)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}", copy
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}",
        None,
    )


def _start_worker(url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "XINBAO_TESTING": "1",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("XINBAO_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, str(MANAGE), "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _alerted(deadline_id: int, copy: Path | None) -> tuple[bool, int]:
    """(deadline alerted, number of overdue notices) as the workers left them."""
    if copy is not None:
        with sqlite3.connect(copy) as db:
            alerted = db.execute(
                "SELECT alerted_at IS NOT NULL FROM emergencies_deadline WHERE id = ?", (deadline_id,)
            ).fetchone()[0]
            count = db.execute(
                "SELECT COUNT(*) FROM notifications_notification WHERE kind = 'emergency_overdue'"
            ).fetchone()[0]
        return bool(alerted), count
    from xinbao.emergencies.models import Deadline
    from xinbao.notifications.models import Notification

    return (
        Deadline.objects.get(pk=deadline_id).alerted_at is not None,
        Notification.objects.filter(kind="emergency_overdue").count(),
    )


def _stop(proc: subprocess.Popen, sig: int) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=10)


def test_alert_fires_after_the_worker_is_killed_and_restarted(transactional_db, tmp_path):
    from xinbao.orgs.tests.factories import build_world

    world = build_world()
    cast = make_cast(world)
    incident = register(cast, world, grade="large", by_phone=False, occurred_ago=1, learned_ago=1)
    due = timezone.now() + timedelta(seconds=DUE_IN)
    # The same service incident registration uses: a Deadline row plus a task with run_after = due.
    deadline = deadline_create(
        incident=incident, kind=DeadlineKind.FOLLOW_UP, opens_at=timezone.now(), due_at=due, grace_minutes=30
    )
    url, copy = _database_url(tmp_path)

    first = _start_worker(url)
    try:
        time.sleep(4)
        assert first.poll() is None, first.stderr.read().decode() if first.stderr else ""
    finally:
        _stop(first, signal.SIGKILL)  # an unclean stop, as when the machine or the container goes down
    assert timezone.now() < due, "the first worker must be gone before the due time"
    assert _alerted(deadline.pk, copy) == (False, 0)

    second = _start_worker(url)
    try:
        deadline_passed = due + timedelta(seconds=15)
        while timezone.now() < deadline_passed:
            if _alerted(deadline.pk, copy)[0]:
                break
            assert second.poll() is None, second.stderr.read().decode() if second.stderr else ""
            time.sleep(0.2)
        fired_at = timezone.now()
    finally:
        _stop(second, signal.SIGTERM)
    alerted, count = _alerted(deadline.pk, copy)
    assert alerted, "the restarted worker did not fire the alert"
    assert due <= fired_at < due + timedelta(seconds=5)
    assert count == 3  # the informant, the signer and the duty officer, once each
