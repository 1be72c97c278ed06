"""Where a request of bench/bench_inbox.py spends its database time: queries per request, their total time, and
EXPLAIN ANALYZE of the slowest ones (in-process, through Django's test client, on the bench database)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Profile:
    name: str
    status: int
    queries: int
    sql_ms: float
    wall_ms: float
    slowest: list[tuple[float, str]]
    plans: list[str]


def _explain(sql: str) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cur.fetchall())


def profile(name: str, client: Client, path: str, headers: dict[str, str], explain: int = 2) -> Profile:
    client.get(path, headers=headers)  # warm caches (templates, translations, the plan cache)
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        wall = (time.perf_counter() - started) * 1000
    timed = sorted(((float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries), reverse=True)
    plans = []
    for _ms, sql in timed[:explain]:
        if sql.lstrip().upper().startswith("SELECT"):
            plans.append(sql + "\n" + _explain(sql))
    return Profile(
        name=name,
        status=response.status_code,
        queries=len(timed),
        sql_ms=sum(ms for ms, _ in timed),
        wall_ms=wall,
        slowest=timed[:3],
        plans=plans,
    )
