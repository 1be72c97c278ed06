"""Issue 5 measure: with 10,000 open timers, an alert fires no later than 5 s after its due time (p99), with the
real worker.

Steps: a throw-away database (PostgreSQL by default, or a SQLite file with --db sqlite), migrated; a small org tree
(the test ``build_world``: province → city → county with its offices, townships; a duty officer, an informant and
a signer); --timers open incidents with an open deadline each (bulk rows) and their alert tasks enqueued through
the real django-tasks API with ``run_after`` spread over the next 1–24 h (the queue a busy province would hold);
then --probes incidents whose deadlines fall due during the run, one every --spacing seconds from 20 s after the
worker starts (created through ``deadline_create``, the service incident registration uses). One real
``manage.py db_worker`` (default polling interval 1 s, as deployed) runs the queue. Latency of a probe = the
deadline's ``alerted_at`` (stamped by the alert service when it claims the row) − ``due_at``.

Usage: .venv/bin/python bench/bench_timers.py [--db postgres|sqlite] [--timers 10000] [--probes 100]
       [--spacing 0.5] [--interval 1] [--workers 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "xinbao_bench_timers"


def args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    p.add_argument("--timers", type=int, default=10_000)
    p.add_argument("--probes", type=int, default=100)
    p.add_argument("--spacing", type=float, default=0.5, help="seconds between probe due times")
    p.add_argument("--interval", type=float, default=1.0, help="db_worker polling interval (seconds)")
    p.add_argument("--workers", type=int, default=1, help="number of db_worker processes")
    return p.parse_args()


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["XINBAO_TESTING"] = "1"  # no production secrets needed for a throw-away database
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def load(timers: int) -> tuple:
    from django.core.management import call_command
    from django.utils import timezone

    from xinbao.accounts.models import Role
    from xinbao.accounts.tests.factories import make_user
    from xinbao.emergencies.models import Deadline, DeadlineKind, Incident
    from xinbao.emergencies.tasks import deadline_fire
    from xinbao.orgs.tests.factories import build_world

    t0 = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    t1 = time.monotonic()
    world = build_world()
    duty = make_user(world.county_party_office, Role.DUTY_OFFICER, username="zby")
    make_user(world.township, Role.INFORMANT, username="xxy")
    make_user(world.township, Role.SIGNER, username="sqr")
    now = timezone.now()
    incidents = Incident.objects.bulk_create(
        Incident(
            unit=world.township,
            office=world.county_party_office,
            title=f"压测事件{i}",
            category="accident",
            grade="large",
            occurred_at=now - timedelta(minutes=5),
            learned_at=now - timedelta(minutes=5),
            learned_via="phone",
            place="城关镇",
            summary="压测",
            registered_by=duty,
        )
        for i in range(timers)
    )
    deadlines = Deadline.objects.bulk_create(
        Deadline(
            incident=inc,
            kind=DeadlineKind.FIRST,
            opens_at=now,
            due_at=now + timedelta(hours=1) + timedelta(seconds=(i * 82_800) // max(timers, 1)),
            grace_minutes=30,
        )
        for i, inc in enumerate(incidents)
    )
    for d in deadlines:
        deadline_fire.using(run_after=d.due_at).enqueue(deadline_id=d.pk)
    t2 = time.monotonic()
    print(
        f"migrate {t1 - t0:.1f} s; {timers} open incidents, deadlines and queued alert tasks {t2 - t1:.1f} s"
    )
    return world, duty


def probes(world, duty, n: int, start_in: float, spacing: float) -> list[int]:
    from django.db import transaction
    from django.utils import timezone

    from xinbao.emergencies.models import DeadlineKind, Incident
    from xinbao.emergencies.services.deadlines import deadline_create

    now = timezone.now()
    ids = []
    for i in range(n):
        with transaction.atomic():
            inc = Incident.objects.create(
                unit=world.township,
                office=world.county_party_office,
                title=f"探针事件{i}",
                category="accident",
                grade="large",
                occurred_at=now - timedelta(minutes=5),
                learned_at=now - timedelta(minutes=5),
                learned_via="phone",
                place="城关镇",
                summary="探针",
                registered_by=duty,
            )
            d = deadline_create(
                incident=inc,
                kind=DeadlineKind.FIRST,
                opens_at=now,
                due_at=now + timedelta(seconds=start_in + i * spacing),
                grace_minutes=30,
            )
        ids.append(d.pk)
    return ids


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def main() -> int:
    a = args()
    tmp = tempfile.TemporaryDirectory()
    if a.db == "postgres":
        admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin(f'CREATE DATABASE "{DB_NAME}"')
        url = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    else:
        url = f"sqlite:///{Path(tmp.name) / 'timers.sqlite3'}"
    workers: list[subprocess.Popen] = []
    try:
        setup_django(url)
        world, duty = load(a.timers)
        env = {**os.environ, "DATABASE_URL": url}
        for n in range(a.workers):
            log = open(Path(tmp.name) / f"worker{n}.log", "w")  # noqa: SIM115  (closed with the process)
            workers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(ROOT / "manage.py"),
                        "db_worker",
                        "--interval",
                        str(a.interval),
                        "--no-reload",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        ids = probes(world, duty, a.probes, start_in=20.0, spacing=a.spacing)
        from django.db import close_old_connections
        from django.utils import timezone

        from xinbao.emergencies.models import Deadline

        last_due = Deadline.objects.filter(pk__in=ids).order_by("-due_at").first().due_at
        while timezone.now() < last_due + timedelta(seconds=15):
            time.sleep(1)
            close_old_connections()
            if not Deadline.objects.filter(pk__in=ids, alerted_at__isnull=True).exists():
                break
        rows = list(Deadline.objects.filter(pk__in=ids).values_list("due_at", "alerted_at"))
        for log in sorted(Path(tmp.name).glob("worker*.log")):
            errors = [line for line in log.read_text().splitlines() if "Error" in line or "Traceback" in line]
            if errors or os.environ.get("BENCH_SHOW_LOGS"):
                print(log.read_text()[-2000:])
                print(f"{log.name}: {len(errors)} error lines, first: {errors[0][:300]}")
        missing = sum(1 for _, at in rows if at is None)
        lat = [(at - due).total_seconds() for due, at in rows if at is not None]
        early = sum(1 for v in lat if v < 0)
        from django_tasks_db.models import DBTaskResult

        queued = DBTaskResult.objects.filter(status="READY").count()
        print(
            f"db={a.db} open timers={a.timers} (+{a.probes} probes, every {a.spacing} s) workers={a.workers} interval={a.interval} s;"
            f" tasks still queued at the end: {queued}"
        )
        print(f"machine: {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}")
        if lat:
            print(
                f"alert latency after due time: median {statistics.median(lat):.2f} s, p95 {pct(lat, 0.95):.2f} s,"
                f" p99 {pct(lat, 0.99):.2f} s, max {max(lat):.2f} s; fired early: {early}; never fired: {missing}"
            )
        ok = bool(lat) and missing == 0 and early == 0 and pct(lat, 0.99) <= 5.0
        print("target p99 ≤ 5 s:", "MET" if ok else "MISSED")
        return 0 if ok else 1
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=20)
        from django.db import connections

        connections.close_all()
        if a.db == "postgres":
            admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
