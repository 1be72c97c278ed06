"""Issue 3 benchmark: the office inbox page and the item list API at province scale (500,000 items) on PostgreSQL,
20 concurrent clients, gunicorn on this machine; the same server's trivial view (/healthz) beside them.

Usage: .venv/bin/python bench/bench_inbox.py [--items 500000] [--clients 20] [--requests 30] [--repeats 3]
       [--pg-url postgres://postgres@127.0.0.1:5432] [--keep] [--reuse DBNAME] [--profile-only]

Steps: create a throw-away database, migrate, ``seed_demo --scale province`` (units and people; its own 1,500
service-made items are skipped, XINBAO_DEMO_REPORT_ITEMS=0, since they take minutes), load the items with COPY
(bench/inbox_data.py), VACUUM ANALYZE; then start gunicorn with the deployment's settings (``config/gunicorn.conf.py``:
sync workers, cores + 1; ``--workers``/``--threads`` override them to compare) in production mode and measure each scenario ``--repeats`` times with ``--clients`` threads of ``--requests`` GETs each (after a
warm-up), quoting the median of the runs' medians/p95/p99/throughput. Sessions are made directly in the database
(what a log-in leaves) and each API client has its own token. The API rate limit is raised for the run: it would
otherwise answer 429 after 600 requests a minute per user, which is its job, not what is measured here.
The database is dropped at the end unless --keep (or --reuse) is given. Nothing here is a test; see bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

COUNTY_OFFICE = "中共安平县委办公室"
PROVINCE_OFFICE = "中共明江省委办公厅"
BUDGET_MS = 150.0
SECRET_KEY = secrets.token_urlsafe(48)[:50]


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--items", type=int, default=500_000)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--requests", type=int, default=30, help="measured requests per client and run")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (default: config/gunicorn.conf.py's)"
    )
    p.add_argument(
        "--threads", type=int, default=0, help="gthread workers with this many threads (default: sync)"
    )
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    p.add_argument("--keep", action="store_true", help="keep the database afterwards (its name is printed)")
    p.add_argument("--reuse", metavar="DBNAME", help="use an already loaded database (kept afterwards)")
    p.add_argument("--profile-only", action="store_true", help="queries per request and EXPLAIN; no load")
    p.add_argument("--only", default="", help="comma-separated scenario keys to run (default: all)")
    return p.parse_args()


def admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["XINBAO_DEBUG"] = "1"  # seed_demo runs only on development systems; the server runs with 0
    os.environ["XINBAO_DEMO_REPORT_ITEMS"] = "0"
    os.environ.pop("XINBAO_TESTING", None)
    # Sessions and their auth hash are signed with SECRET_KEY: the bench process and the server share one.
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def load(items: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from inbox_data import InboxData

    t0 = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    t1 = time.monotonic()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--scale", "province", "--seed", str(seed), stdout=quiet)
    t2 = time.monotonic()
    print(f"migrate {t1 - t0:.1f} s, seed_demo --scale province {t2 - t1:.1f} s")
    counts = InboxData(items=items, seed=seed).run()
    t3 = time.monotonic()
    with connection.cursor() as cur:
        # VACUUM as well: a loaded table's visibility map is empty until autovacuum's first pass, and index-only
        # scans (the visibility probes) would fetch every heap row meanwhile — not the steady state measured here.
        cur.execute("VACUUM ANALYZE")
    t4 = time.monotonic()
    print(f"items COPY {t3 - t2:.1f} s, VACUUM ANALYZE {t4 - t3:.1f} s")
    print(f"  rows: {dict(counts.rows)}")
    print(
        f"  originals {counts.originals:,}, forwarded to city {counts.forwarded_to_city:,}, "
        f"to province {counts.forwarded_to_province:,}, restricted {counts.restricted:,}"
    )
    print(f"  report states: {dict(counts.report_states)}")
    print(f"  submission states: {dict(counts.submission_states)}")


def editor_of(office_name: str):  # type: ignore[no-untyped-def]
    from xinbao.accounts.models import Role, User

    return (
        User.objects.filter(unit__name=office_name, is_active=True, role_assignments__role=Role.EDITOR)
        .select_related("unit")
        .order_by("pk")
        .first()
    )


def session_cookie(user) -> str:  # type: ignore[no-untyped-def]
    """What a log-in leaves in the session store (django.contrib.auth.login), made directly."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from xinbao.accounts.middleware import SESSION_KEY as LAST_ACTIVITY

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LAST_ACTIVITY] = time.time()
    store.create()
    return store.session_key  # type: ignore[return-value]


def ready_to_work(user) -> None:  # type: ignore[no-untyped-def]
    """Demo people must change their password first; a working editor has done so."""
    from django.utils import timezone

    type(user).objects.filter(pk=user.pk).update(
        must_change_password=False, password_changed_at=timezone.now()
    )


def data_sizes(county, province) -> list[str]:  # type: ignore[no-untyped-def]
    from django.db import connection

    from xinbao.reports.models import OPEN_SUBMISSION_STATES, Report, ReportReach, Submission
    from xinbao.reports.selectors import report_list_visible_to

    lines = [
        f"reports {Report.objects.count():,}, submissions {Submission.objects.count():,}, "
        f"reach rows {ReportReach.objects.count():,}"
    ]
    for label, user in (("county", county), ("province", province)):
        subs = Submission.objects.filter(office_id=user.unit_id)
        lines.append(
            f"{label} office {user.unit.name} (editor {user.username}): inbox {subs.count():,} submissions, "
            f"{subs.filter(state__in=OPEN_SUBMISSION_STATES).count():,} open; "
            f"items visible to the editor {report_list_visible_to(user=user).count():,}"
        )
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        lines.append(f"database size {cur.fetchone()[0]}")
    return lines


def scenarios(port: int, n: int, county, province) -> dict[str, tuple[str, str, list, bytes | None]]:  # type: ignore[no-untyped-def]
    from inbox_load import Client

    from xinbao.accounts.services import token_issue

    def browsers(user) -> list:  # type: ignore[no-untyped-def]
        ready_to_work(user)
        return [Client({"Cookie": f"sessionid={session_cookie(user)}"}) for _ in range(n)]

    def api(user) -> list:  # type: ignore[no-untyped-def]
        return [
            Client({"Authorization": f"Bearer {token_issue(user=user, name=f'bench {i}')[1]}"})
            for i in range(n)
        ]

    anonymous = [Client({}) for _ in range(n)]
    county_browsers, province_browsers, county_api = browsers(county), browsers(province), api(county)
    inbox_mark = "信息审核".encode()
    return {
        "a": ("trivial view GET /healthz", "/healthz", anonymous, b"ok"),
        "b": ("inbox page, county office (open items)", "/reports/inbox/", county_browsers, inbox_mark),
        "b2": (
            "inbox page, county office, all states",
            "/reports/inbox/?state=all",
            county_browsers,
            inbox_mark,
        ),
        "c": (
            "API GET /api/v1/reports?page=1, county editor",
            "/api/v1/reports?page=1",
            county_api,
            b'"count"',
        ),
        "d": ("API GET /api/v1/inbox, county editor", "/api/v1/inbox", county_api, b'"count"'),
        "e": ("inbox page, province office (heavy)", "/reports/inbox/", province_browsers, inbox_mark),
        "e2": (
            "inbox page, province office, all states",
            "/reports/inbox/?state=all",
            province_browsers,
            inbox_mark,
        ),
    }


def start_server(db_url: str, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("XINBAO_TESTING", "XINBAO_DEMO_REPORT_ITEMS")}
    env |= {
        "XINBAO_DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": db_url,
        "SECURE_COOKIES": "0",
        "XINBAO_API_RATE": "1000000/m",
        # As deployed (README): the cache, and with it the sessions' read path, in Redis.
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/2"),
    }
    # The deployment's own settings (config/gunicorn.conf.py); --workers/--threads override them for comparisons.
    args = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "config/gunicorn.conf.py"), "config.wsgi"]
    args += ["-b", f"127.0.0.1:{port}"]
    if workers:
        args += ["-w", str(workers)]
    if threads:
        args += ["-k", "gthread", "--threads", str(threads)]
    print("server: gunicorn " + " ".join(args[1:]))
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def measure(port: int, keys: list[str], table: dict, opts: argparse.Namespace) -> list[str]:  # type: ignore[type-arg]
    from inbox_load import run

    rows = []
    for key in keys:
        label, path, clients, expect = table[key]
        runs = []
        for i in range(opts.repeats):
            r = run(port=port, path=path, clients=clients, requests_per_client=opts.requests, expect=expect)
            if r.errors:
                print(f"  {key} run {i + 1}: {len(r.errors)} errors, first: {r.errors[0]}")
            print(
                f"  {key} run {i + 1}: n={r.count} median {r.median:.1f} ms, p95 {r.pct(95):.1f} ms, "
                f"p99 {r.pct(99):.1f} ms, {r.throughput:.1f} req/s"
            )
            runs.append(r)
        med = statistics.median
        p95 = med(r.pct(95) for r in runs)
        verdict = "" if key == "a" else (" ✓" if p95 <= BUDGET_MS else " ✗")
        rows.append(
            f"| ({key}) {label} | `{path}` | {med(r.median for r in runs):.1f} | **{p95:.1f}**{verdict} | "
            f"{med(r.pct(99) for r in runs):.1f} | {med(r.throughput for r in runs):.0f} | "
            f"{sum(r.count for r in runs)} | {sum(len(r.errors) for r in runs)} |"
        )
    return rows


def run_profile(keys: list[str], county, province) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from inbox_profile import profile

    from xinbao.accounts.services import token_issue

    web_county, web_province = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    ready_to_work(county)
    ready_to_work(province)
    web_county.force_login(county)
    web_province.force_login(province)
    bearer = {"Authorization": f"Bearer {token_issue(user=county, name='bench profile')[1]}"}
    cases = {
        "b": (web_county, "/reports/inbox/", {}),
        "b2": (web_county, "/reports/inbox/?state=all", {}),
        "c": (Client(HTTP_HOST="127.0.0.1"), "/api/v1/reports?page=1", bearer),
        "d": (Client(HTTP_HOST="127.0.0.1"), "/api/v1/inbox", bearer),
        "e": (web_province, "/reports/inbox/", {}),
        "e2": (web_province, "/reports/inbox/?state=all", {}),
    }
    out = Path(tempfile.gettempdir()) / "bench_inbox_plans.txt"
    with out.open("w") as f:
        for key in keys:
            if key not in cases:
                continue
            client, path, headers = cases[key]
            p = profile(key, client, path, headers)
            print(
                f"  ({key}) {path}: HTTP {p.status}, {p.queries} queries, SQL {p.sql_ms:.1f} ms, "
                f"in-process wall {p.wall_ms:.1f} ms; slowest "
                + ", ".join(f"{ms:.1f} ms" for ms, _ in p.slowest)
            )
            for plan in p.plans:
                f.write(f"===== ({key}) {path}\n{plan}\n\n")
    print(f"  query plans: {out}")


def main() -> int:
    opts = parse()
    parts = urlsplit(opts.pg_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    name = opts.reuse or f"xinbao_bench_inbox_{os.getpid()}"
    db_url = urlunsplit(parts._replace(path=f"/{name}"))
    print(
        f"bench_inbox: {opts.items:,} items, {opts.clients} clients × {opts.requests} requests × "
        f"{opts.repeats} runs; database {name}; machine {os.cpu_count()} cores"
    )
    if not opts.reuse:
        admin(admin_url, f'CREATE DATABASE "{name}"')
    server = None
    try:
        setup_django(db_url)
        if not opts.reuse:
            load(opts.items, opts.seed)
        county, province = editor_of(COUNTY_OFFICE), editor_of(PROVINCE_OFFICE)
        if county is None or province is None:
            raise SystemExit("no editor found at the county or the province office: was seed_demo run?")
        for line in data_sizes(county, province):
            print("  " + line)
        keys = [
            k for k in ("a", "b", "b2", "c", "d", "e", "e2") if not opts.only or k in opts.only.split(",")
        ]
        print("profile (one request each, in-process):")
        run_profile(keys, county, province)
        if opts.profile_only:
            return 0
        port = free_port()
        table = scenarios(port, opts.clients, county, province)
        from django.db import connections

        connections.close_all()
        log = Path(tempfile.gettempdir()) / f"bench_inbox_gunicorn_{port}.log"
        server = start_server(db_url, port, opts.workers, opts.threads, log)
        from inbox_load import wait_until_serving

        wait_until_serving(port)
        print(f"server log: {log}")
        rows = measure(port, keys, table, opts)
        print()
        print(
            f"{opts.clients} concurrent clients, {opts.requests} requests each per run, {opts.repeats} runs; "
            "medians of the runs (ms)"
        )
        print()
        print("| scenario | path | median | p95 | p99 | req/s | requests | errors |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for row in rows:
            print(row)
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if not (opts.keep or opts.reuse):
            from django.db import connections

            connections.close_all()
            admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"dropped {name}")
        else:
            print(f"kept database {name}")


if __name__ == "__main__":
    sys.exit(main())
