"""Scoring at province scale on PostgreSQL (issue 6): rankings with roll-up over 2,000,000 ledger entries on 5,000
units, against a hand-written SQL aggregate; and a full streaming ledger rebuild of a year (2,000,000 entries).

Usage: .venv/bin/python bench/bench_scoring.py [--entries 2000000] [--runs 5] [--pg-url postgres://postgres@127.0.0.1:5432]

Steps, each in its own child process (peak RSS from wait4):
1. a throw-away database: migrate, then ``units``: a province tree of 4,964 units (11 cities × 11 counties, each
   county with its two offices, 20 departments and 15 townships; not timed);
2. ``load``: one current build of the province office for 2026 with N entries over every unit, COPY'd, VACUUM ANALYZE;
3. ``rank``: ``unit_ranking`` for 2026Q1 with the default roll-up (own + mean of sub-regions) under the province,
   and the hand-written SQL ``SELECT unit_id, SUM(points) ... GROUP BY unit_id`` over the same entries; medians;
4. ``rebuild``: ``ledger_rebuild`` for 2026 fed by a synthetic source yielding N adoption events (the same shape
   the adoption source yields), replacing the loaded build — engine, digest, chunked inserts and the swap.
Budgets: ranking ≤ 2 s and ≤ 2× the SQL; rebuild ≤ 300 s with peak RSS ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def run_measured(args: list[str], env: dict[str, str]) -> tuple[int, float, float, str]:
    with tempfile.TemporaryFile(mode="w+") as out:
        started = time.monotonic()
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - started
        out.seek(0)
        return os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss / 1024, out.read()


# --- children ------------------------------------------------------------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _office():  # type: ignore[no-untyped-def]
    from xinbao.orgs.models import Unit
    from xinbao.scoring.selectors import assessing_office_of

    root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    return assessing_office_of(root)


def child_units() -> None:
    """Level by level with bulk inserts (ids come back from PostgreSQL), then paths and depths in one update each."""
    from xinbao.orgs.models import Level, Unit, UnitKind

    made: list[Unit] = []

    def add(parents: list[Unit | None], spec: list[tuple[str, str, str, bool]]) -> list[Unit]:
        rows = []
        for parent in parents:
            for suffix, level, kind, office in spec:
                code = f"{parent.code if parent else 'B'}-{suffix}"
                rows.append(
                    Unit(
                        code=code,
                        name=code,
                        level=level,
                        kind=kind,
                        parent=parent,
                        is_receiving_office=office,
                        path="",
                        depth=(parent.depth + 1) if parent else 0,
                    )
                )
        created = Unit.objects.bulk_create(rows)
        for u in created:
            u.path = f"{u.parent.path if u.parent else '/'}{u.pk}/"
        Unit.objects.bulk_update(created, ["path"], batch_size=300)
        made.extend(created)
        return created

    R = UnitKind.REGION
    offices = [("PO", "party_office"), ("GO", "gov_office")]
    [province] = add([None], [("MJ", Level.PROVINCE, R, False)])
    add([province], [(c, Level.PROVINCE, k, True) for c, k in offices])
    cities = add([province], [(f"C{i:02d}", Level.CITY, R, False) for i in range(11)])
    add(
        cities,
        [(c, Level.CITY, k, True) for c, k in offices]
        + [(f"D{j:02d}", Level.CITY, UnitKind.DEPARTMENT, False) for j in range(30)],
    )
    counties = add(cities, [(f"X{i:02d}", Level.COUNTY, R, False) for i in range(11)])
    add(
        counties,
        [(c, Level.COUNTY, k, True) for c, k in offices]
        + [(f"D{j:02d}", Level.COUNTY, UnitKind.DEPARTMENT, False) for j in range(20)]
        + [(f"T{j:02d}", Level.TOWNSHIP, UnitKind.TOWNSHIP, False) for j in range(15)],
    )
    print(f"units: {len(made)}")


def child_load(n: int) -> None:
    import random
    from datetime import date, timedelta

    from django.db import connection

    from xinbao.orgs.models import Unit
    from xinbao.scoring.models import LedgerBuild
    from xinbao.scoring.services import ruleset_ensure

    office = _office()
    rule_set = ruleset_ensure(office=office, year=2026)
    LedgerBuild.objects.filter(office=office, year=2026).update(is_current=False)
    build = LedgerBuild.objects.create(
        office=office, year=2026, rule_set=rule_set, is_current=True, entry_count=n
    )
    units = list(Unit.objects.values_list("pk", flat=True))
    rng = random.Random(2026)
    start = date(2026, 1, 1)
    keys = [
        "adoption.city",
        "adoption.province",
        "adoption.central_gov",
        "instruction.city",
        "commission.late",
    ]
    points = ["10.00", "20.00", "30.00", "30.00", "-10.00"]
    started = time.monotonic()
    with (
        connection.cursor() as cur,
        cur.connection.cursor().copy(
            "COPY scoring_ledgerentry (build_id, seq, unit_id, person_id, points, kind, rule_key, rule_version,"
            " source_type, source_id, event_date, note) FROM STDIN"
        ) as copy,
    ):
        for i in range(1, n + 1):
            k = rng.randrange(5)
            day = start + timedelta(days=rng.randrange(365))
            copy.write_row(
                (
                    build.pk,
                    i,
                    rng.choice(units),
                    None,
                    points[k],
                    "adoption",
                    keys[k],
                    rule_set.version,
                    "bench.event",
                    i,
                    day,
                    "",
                )
            )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE scoring_ledgerentry")
    print(
        f"loaded {n} entries over {len(units)} units in {time.monotonic() - started:.1f} s (build {build.pk})"
    )


def child_rank(runs: int) -> None:
    from django.db import connection

    from xinbao.scoring.periods import parse_period
    from xinbao.scoring.rankings import unit_ranking
    from xinbao.scoring.selectors import current_builds

    office = _office()
    period = parse_period("2026Q1")
    build_ids = list(current_builds(office=office, years=[2026]).values_list("pk", flat=True))
    sql = (
        "SELECT unit_id, SUM(points) FROM scoring_ledgerentry WHERE build_id = ANY(%s)"
        " AND event_date BETWEEN %s AND %s GROUP BY unit_id"
    )
    orm, raw = [], []
    for _ in range(runs + 1):  # the first run warms the caches and is dropped
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(sql, [build_ids, period.start, period.end])
            raw_rows = cur.fetchall()
        raw.append(time.perf_counter() - t)
        t = time.perf_counter()
        rows = unit_ranking(office=office, period=period)
        orm.append(time.perf_counter() - t)
    orm, raw = orm[1:], raw[1:]
    print(f"entries in period: {sum(1 for _ in raw_rows)} units with points; ranking rows {len(rows)}")
    print(f"RANK median {statistics.median(orm):.3f} s (runs {', '.join(f'{x:.3f}' for x in orm)})")
    print(f"SQL  median {statistics.median(raw):.3f} s (runs {', '.join(f'{x:.3f}' for x in raw)})")
    print(f"ratio {statistics.median(orm) / statistics.median(raw):.2f}")


def child_rebuild(n: int) -> None:
    import random
    from datetime import timedelta

    from xinbao.orgs.models import Unit
    from xinbao.scoring.events import ScoringEvent
    from xinbao.scoring.services import ledger_rebuild

    office = _office()
    units = list(Unit.objects.values_list("pk", flat=True))
    adopters = ["city", "province", "central_gov", "central_party"]

    def synthetic(window):  # type: ignore[no-untyped-def]
        rng = random.Random(2026)
        start = window.start
        for i in range(1, n + 1):
            item = (i + 1) // 2  # two adoptions per item: groups of two, like an item adopted at two levels
            yield ScoringEvent(
                kind="adoption",
                unit_id=units[item % len(units)],
                day=start + timedelta(days=rng.randrange(365)),
                source_type="bench.adoption",
                source_id=i,
                people=(),
                group=f"report:{item}",
                attrs={
                    "adopter": adopters[rng.randrange(4)],
                    "mode": "full",
                    "publication_kind": "other",
                    "forwarded": False,
                },
            )

    started = time.monotonic()
    build = ledger_rebuild(actor=None, office=office, year=2026, sources=[("bench", synthetic)])
    print(
        f"REBUILD {build.entry_count} entries in {time.monotonic() - started:.1f} s digest {build.digest[:12]}"
    )


# --- parent --------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--child", choices=["units", "load", "rank", "rebuild"])
    opts = parser.parse_args()
    if opts.child:
        _django()
        {
            "units": child_units,
            "load": lambda: child_load(opts.entries),
            "rank": lambda: child_rank(opts.runs),
            "rebuild": lambda: child_rebuild(opts.entries),
        }[opts.child]()
        return 0

    import psycopg

    name = f"xinbao_bench_scoring_{os.getpid()}"
    parts = urlsplit(opts.pg_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XINBAO_TESTING")}
    env |= {"XINBAO_DEBUG": "1", "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
    me = [PYTHON, str(Path(__file__).resolve()), "--entries", str(opts.entries), "--runs", str(opts.runs)]
    ok = True
    try:
        for step in ([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], [*me, "--child", "units"]):
            code, seconds, _rss, out = run_measured(step, env)
            print(f"setup {step[-1]}: {seconds:.1f} s {out.strip()}" + ("" if code == 0 else " FAILED"))
            if code:
                return 1
        for child in ("load", "rank", "rebuild", "rank"):
            code, seconds, rss, out = run_measured([*me, "--child", child], env)
            print(f"== {child}: exit {code}, wall {seconds:.1f} s, peak RSS {rss:.0f} MB")
            print(out.strip())
            ok = ok and code == 0
            if child == "rebuild":
                ok = ok and seconds <= 300 and rss <= 1024
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
