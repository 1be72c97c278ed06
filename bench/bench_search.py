"""Issue 7 benchmark: full-text search over 1,000,000 items on PostgreSQL and on SQLite (target p95 ≤ 200 ms).

Usage: .venv/bin/python bench/bench_search.py [--db both|postgres|sqlite] [--items 1000000] [--repeats 20]
       [--pg-url postgres://postgres@127.0.0.1:5432] [--keep] [--reuse] [--load-only]

Steps, for each database (a child process each, so each has its own Django): create the throw-away database
(PostgreSQL ``xinbao_bench_search``, SQLite ``/tmp/bench_search.sqlite3``), migrate, ``seed_demo --scale province``
(units and people, no service-made items), load the items with their search index rows in bulk
(bench/search_data.py: the inbox benchmark's items and Chinese texts, tokens as ``search_index_report`` writes
them), then VACUUM ANALYZE (PostgreSQL) or FTS5 optimize + ANALYZE (SQLite). Then, in-process, for a county editor
and a province editor, each query is run ``--repeats`` times (after one warm-up) through the search page's own
entry point, ``search.selectors.search_results`` — visibility selector, count and the first page of 20 with
highlighted title and snippet — and, in the same run, the baseline: the same visibility selector's first page
and count with no search term (the item list). Median and p95 per query and user, and over all. The databases are
dropped at the end unless --keep (or --reuse: use the loaded ones, keep them). Nothing here is a test; see
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PG_NAME = "xinbao_bench_search"
SQLITE_PATH = "/tmp/bench_search.sqlite3"
COUNTY_OFFICE = "中共安平县委办公室"
PROVINCE_OFFICE = "中共明江省委办公厅"
BUDGET_MS = 200.0
#: What people type: a common two-character word, a phrase, two words, a rare word, one character.
QUERIES = [
    ("common word", "工作"),
    ("phrase (6 chars)", "排查各类隐患"),
    ("two words", "消防 培训"),
    ("rare word", "冰雹"),
    ("one character", "村"),
]


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", choices=["both", "postgres", "sqlite"], default="both")
    p.add_argument("--items", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--repeats", type=int, default=20, help="measured runs of each query per user")
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    p.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    p.add_argument("--reuse", action="store_true", help="use the already loaded databases (kept afterwards)")
    p.add_argument("--load-only", action="store_true", help="load (and keep) the data, measure nothing")
    p.add_argument("--pg-name", default=PG_NAME, help="PostgreSQL database to create (or reuse)")
    p.add_argument("--sqlite-path", default=SQLITE_PATH, help="SQLite file to create (or reuse)")
    p.add_argument(
        "--queries", default="", help='other queries: "label=text;label=text" (default: the five above)'
    )
    p.add_argument("--child", choices=["postgres", "sqlite"], help=argparse.SUPPRESS)
    return p.parse_args()


def pg_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(pg_url(base, "postgres"), autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["XINBAO_DEBUG"] = "1"  # seed_demo runs only on development systems
    os.environ["XINBAO_DEMO_REPORT_ITEMS"] = "0"
    os.environ.pop("XINBAO_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# --- load ----------------------------------------------------------------------------------------------------------


def load(items: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from search_data import SearchData

    t0 = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--scale", "province", "--seed", str(seed), stdout=quiet)
    t1 = time.monotonic()
    print(f"migrate + seed_demo --scale province {t1 - t0:.1f} s", flush=True)
    data = SearchData(items=items, seed=seed, log=lambda s: print(s, flush=True))
    counts = data.run()
    t2 = time.monotonic()
    print(f"items and index rows {t2 - t1:.1f} s ({data.indexed:,} indexed)", flush=True)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM ANALYZE")
        else:
            # Merge the FTS5 segments the chunks left (what automerge does over time), then plan statistics.
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cur.execute("ANALYZE")
    print(
        f"{'VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'optimize + ANALYZE'} "
        f"{time.monotonic() - t2:.1f} s",
        flush=True,
    )
    print(f"  rows: {dict(counts.rows)}; restricted {counts.restricted:,}", flush=True)


# --- measure -------------------------------------------------------------------------------------------------------


def editor_of(office_name: str):  # type: ignore[no-untyped-def]
    from xinbao.accounts.models import Role, User

    return (
        User.objects.filter(unit__name=office_name, is_active=True, role_assignments__role=Role.EDITOR)
        .select_related("unit")
        .order_by("pk")
        .first()
    )


def pct(values: list[float], p: float) -> float:
    data = sorted(values)
    # Nearest rank: the value below which p % of the runs fell.
    rank = max(1, min(len(data), round(p / 100 * len(data) + 0.5)))
    return data[rank - 1]


def timed(fn, repeats: int) -> tuple[list[float], object]:  # type: ignore[no-untyped-def,type-arg]
    result = fn()  # warm-up: the first run pays for cold pages and plan caches
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def measure(repeats: int, queries: list[tuple[str, str]]) -> dict:  # type: ignore[type-arg]
    from django.db import connection

    from xinbao.reports.selectors import report_list_visible_to, report_page_visible_to
    from xinbao.search.selectors import parse_query, search_results

    users = {"county editor": editor_of(COUNTY_OFFICE), "province editor": editor_of(PROVINCE_OFFICE)}
    if None in users.values():
        raise SystemExit("no editor found at the county or the province office: was seed_demo run?")
    rows = []
    all_search: list[float] = []
    all_base: list[float] = []
    for label, user in users.items():
        visible = report_list_visible_to(user=user).count()

        def baseline(user=user):  # type: ignore[no-untyped-def]
            # The item list's first page of 20 and its count, as the list API reads them.
            page, count = report_page_visible_to(user=user, start=0, size=20)
            return f"{count:,}", len(page)

        times, (count, _n) = timed(baseline, repeats)  # type: ignore[misc]
        all_base += times
        rows.append(
            {
                "user": label,
                "visible": visible,
                "query": "(baseline: item list, no term)",
                "text": "",
                "found": count,
                "median": statistics.median(times),
                "p95": pct(times, 95),
            }
        )
        for name, text in queries:
            query = parse_query(text)

            def search(user=user, query=query):  # type: ignore[no-untyped-def]
                result = search_results(user=user, query=query)
                return f"{result.count:,}+" if result.capped else f"{result.count:,}", len(result.hits)

            times, (found, _n) = timed(search, repeats)  # type: ignore[misc]
            all_search += times
            rows.append(
                {
                    "user": label,
                    "visible": visible,
                    "query": name,
                    "text": text,
                    "found": found,
                    "median": statistics.median(times),
                    "p95": pct(times, 95),
                }
            )
            print(
                f"  {connection.vendor} {label} {name} {text!r}: found {found}, median "
                f"{rows[-1]['median']:.1f} ms, p95 {rows[-1]['p95']:.1f} ms",
                flush=True,
            )
    from xinbao.reports.models import Report

    return {
        "vendor": connection.vendor,
        "version": db_version(),
        "items": Report.objects.count(),
        "size": db_size(os.environ["DATABASE_URL"].removeprefix("sqlite:///")),
        "rows": rows,
        "search": {"median": statistics.median(all_search), "p95": pct(all_search, 95)},
        "baseline": {"median": statistics.median(all_base), "p95": pct(all_base, 95)},
    }


def db_version() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
        else:
            cur.execute("SELECT sqlite_version()")
        return str(cur.fetchone()[0])


def db_size(path: str) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return str(cur.fetchone()[0])
    return f"{os.path.getsize(path) / 2**30:.2f} GB"


# --- processes -----------------------------------------------------------------------------------------------------


def child(opts: argparse.Namespace) -> int:
    """One database: load unless reusing, then measure; the result as one JSON line on stdout."""
    if not opts.reuse:
        drop(opts, opts.child)
    if opts.child == "postgres":
        if not opts.reuse:
            admin(opts.pg_url, f'CREATE DATABASE "{opts.pg_name}"')
        setup_django(pg_url(opts.pg_url, opts.pg_name))
    else:
        setup_django(f"sqlite:///{opts.sqlite_path}")
    if not opts.reuse:
        load(opts.items, opts.seed)
    if opts.load_only:
        return 0
    queries = [tuple(q.split("=", 1)) for q in opts.queries.split(";") if "=" in q] or QUERIES
    print("RESULT " + json.dumps(measure(opts.repeats, queries), ensure_ascii=False), flush=True)  # type: ignore[arg-type]
    return 0


def drop(opts: argparse.Namespace, db: str) -> None:
    if db == "postgres":
        admin(opts.pg_url, f'DROP DATABASE IF EXISTS "{opts.pg_name}" WITH (FORCE)')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(opts.sqlite_path + suffix).unlink(missing_ok=True)


def machine() -> list[str]:
    free = subprocess.run(["free", "-m"], capture_output=True, text=True).stdout.splitlines()
    load = os.getloadavg()
    return [
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}",
        *free[:2],
        f"Python {platform.python_version()}",
    ]


def report(results: list[dict], opts: argparse.Namespace) -> None:  # type: ignore[type-arg]
    print()
    for line in machine():
        print("  " + line)
    for r in results:
        name = "PostgreSQL" if r["vendor"] == "postgresql" else "SQLite"
        print()
        print(
            f"{name} {r['version']}: {r['items']:,} items, database {r['size']}; "
            f"{opts.repeats} runs of each query per user after one warm-up (ms)"
        )
        print()
        print("| user (items visible) | query | found | median | p95 |")
        print("| --- | --- | --- | --- | --- |")
        for row in r["rows"]:
            text = f" `{row['text']}`" if row["text"] else ""
            base = not row["text"]
            verdict = "" if base else (" ✓" if row["p95"] <= BUDGET_MS else " ✗")
            print(
                f"| {row['user']} ({row['visible']:,}) | {row['query']}{text} | {row['found']} | "
                f"{row['median']:.1f} | {'' if base else '**'}{row['p95']:.1f}{'' if base else '**'}{verdict} |"
            )
        s, b = r["search"], r["baseline"]
        print(f"| all users | **all search queries** | | {s['median']:.1f} | **{s['p95']:.1f}** | ")
        print(f"| all users | baseline (item list, no term) | | {b['median']:.1f} | {b['p95']:.1f} |")


def main() -> int:
    opts = parse()
    if opts.child:
        return child(opts)
    dbs = ["postgres", "sqlite"] if opts.db == "both" else [opts.db]
    print(f"bench_search: {opts.items:,} items, {opts.repeats} runs a query; databases {', '.join(dbs)}")
    results = []
    names = [opts.pg_name if d == "postgres" else opts.sqlite_path for d in dbs]
    try:
        for db in dbs:
            args = [
                sys.executable,
                __file__,
                "--child",
                db,
                "--items",
                str(opts.items),
                "--seed",
                str(opts.seed),
                "--repeats",
                str(opts.repeats),
                "--pg-url",
                opts.pg_url,
                "--pg-name",
                opts.pg_name,
                "--sqlite-path",
                opts.sqlite_path,
            ]
            args += ["--reuse"] * opts.reuse + ["--load-only"] * opts.load_only
            args += ["--queries", opts.queries] if opts.queries else []
            print(f"--- {db}", flush=True)
            with subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=ROOT) as proc:
                assert proc.stdout is not None
                for line in proc.stdout:
                    if line.startswith("RESULT "):
                        results.append(json.loads(line[7:]))
                    else:
                        print(line, end="", flush=True)
            if proc.returncode:
                raise SystemExit(f"the {db} run failed (exit {proc.returncode})")
        if results:
            report(results, opts)
    finally:
        if not (opts.keep or opts.reuse or opts.load_only):
            for db in dbs:
                drop(opts, db)
            print(f"dropped {', '.join(names)}")
        else:
            print(f"kept {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
