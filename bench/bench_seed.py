"""Time ``seed_demo --scale province`` (5,000 units, 20,000 people) on fresh SQLite and PostgreSQL databases.

Usage: .venv/bin/python bench/bench_seed.py [--scale province] [--seed 2026] [--pg-url postgres://postgres@127.0.0.1:5432]
       [--skip-postgres]

Each run migrates a new database (not timed), then runs seed_demo in a child process and reports its wall time and
peak resident memory (ru_maxrss of that child, from wait4). The PostgreSQL database is a throw-away one created
for the run and dropped afterwards. The issue's budget is 10 minutes per run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BUDGET_SECONDS = 600


@dataclass
class Result:
    engine: str
    seconds: float
    peak_rss_mb: float
    counts: str
    exit_code: int


def run_measured(args: list[str], env: dict[str, str]) -> tuple[int, float, float, str]:
    """Run a child; return (exit code, wall seconds, peak RSS in MB, combined output)."""
    with tempfile.TemporaryFile(mode="w+") as out:
        started = time.monotonic()
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return proc.returncode, seconds, usage.ru_maxrss / 1024, out.read()


def manage(*args: str) -> list[str]:
    return [PYTHON, "manage.py", *args]


def bench(engine: str, env: dict[str, str], scale: str, seed: int) -> Result:
    migrate = subprocess.run(
        manage("migrate", "--noinput", "-v0"), cwd=ROOT, env=env, capture_output=True, text=True
    )
    if migrate.returncode != 0:
        raise SystemExit(f"{engine}: migrate failed:\n{migrate.stdout}{migrate.stderr}")
    code, seconds, rss, output = run_measured(manage("seed_demo", "--scale", scale, "--seed", str(seed)), env)
    if code != 0:
        print(output)
    summary = re.search(r"演示数据已装入：(.*)", output)
    return Result(engine, seconds, rss, summary.group(1) if summary else "(no summary)", code)


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XINBAO_TESTING")}
    env["XINBAO_DEBUG"] = "1"  # seed_demo only runs on development systems
    return env


def bench_sqlite(scale: str, seed: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="xinbao-bench-seed-") as var_dir:
        env = base_env() | {"XINBAO_VAR_DIR": var_dir, "DATABASE_URL": ""}
        return bench("SQLite", env, scale, seed)


def bench_postgres(scale: str, seed: int, server_url: str) -> Result | str:
    import psycopg

    name = f"xinbao_bench_seed_{os.getpid()}"
    parts = urlsplit(server_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        return f"PostgreSQL skipped: cannot create a database at {server_url} ({exc})"
    try:
        env = base_env() | {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
        return bench("PostgreSQL", env, scale, seed)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--skip-postgres", action="store_true")
    opts = parser.parse_args()

    print(f"seed_demo --scale {opts.scale} --seed {opts.seed}  (machine: {os.cpu_count()} cores)")
    results: list[Result] = [bench_sqlite(opts.scale, opts.seed)]
    if not opts.skip_postgres:
        pg = bench_postgres(opts.scale, opts.seed, opts.pg_url)
        if isinstance(pg, str):
            print(pg)
        else:
            results.append(pg)
    print(f"{'database':<11} {'seconds':>8} {'peak RSS':>10}  result")
    for r in results:
        if r.exit_code:
            verdict = f"FAILED (exit {r.exit_code})"
        else:
            verdict = "ok" if r.seconds < BUDGET_SECONDS else f"over the {BUDGET_SECONDS} s budget"
        print(f"{r.engine:<11} {r.seconds:>8.1f} {r.peak_rss_mb:>7.0f} MB  {verdict}: {r.counts}")
    return 0 if all(r.exit_code == 0 and r.seconds < BUDGET_SECONDS for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
