"""Issue 7 benchmark: reuse lookup for one 3,000-character item against a large index on PostgreSQL.

Usage: .venv/bin/python bench/bench_reuse.py [--items 1000000] [--checkpoints 100000] [--queries 100]
       [--pg-url postgres://postgres@127.0.0.1:5432] [--keep] [--reuse DBNAME]

Steps: create a throw-away database and migrate it; generate synthetic items (bench/reuse_data.py: jieba words by
frequency plus stock phrases, 300–3,000 characters) and load them with COPY as reference documents, their reuse
documents and their sampled fingerprints exactly as ``xinbao.quality.reuse`` computes them (same normalise and
fingerprints functions); the fingerprint table's primary key and index are dropped during COPY and rebuilt after
(the standard bulk load), stock-phrase fingerprints (> 1,000 documents) moved to the common table, ANALYZE.
At each checkpoint a fresh child process (Django, the app's own ``find_matches`` with its real database loader)
measures: ``--queries`` disguised copies (an indexed item with names inserted and hidden as ××, sentences
reordered in blocks, traditional characters, half-width punctuation, embedded in new text to 3,000 characters) —
latency and recall (the source found at score ≥ 0.5) — and as many new unrelated 3,000-character items — latency
and false matches; peak RSS of the child and of its PostgreSQL backend; table and index sizes. At checkpoints of
100,000 items or fewer also brute force: the exact comparison against every item (timed on a sample, scaled) and a
full scan comparing fingerprint sets with numpy (timed over all items). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

QUERY_LEN = 3000
COMMON_DF = 1000


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--items", type=int, default=1_000_000)
    p.add_argument("--checkpoints", default="100000", help="comma-separated sizes measured on the way")
    p.add_argument("--queries", type=int, default=100)
    p.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    p.add_argument("--keep", action="store_true")
    p.add_argument("--reuse", default="", help="an existing benchmark database: load only what is missing")
    p.add_argument("--measure", default="", help=argparse.SUPPRESS)  # child mode: database name
    p.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    return p.parse_args()


def db_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["XINBAO_DEBUG"] = "1"
    os.environ.pop("XINBAO_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# --- load ----------------------------------------------------------------------------------------------------------

FP = "quality_reusefingerprint"


def drop_fp_indexes(conn) -> None:  # type: ignore[no-untyped-def]
    with conn.cursor() as cur:
        cur.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('p', 'f')", [FP]
        )
        for (name,) in cur.fetchall():
            cur.execute(f'ALTER TABLE {FP} DROP CONSTRAINT "{name}"')
        cur.execute("DROP INDEX IF EXISTS quality_fp_doc")
    conn.commit()


def create_fp_indexes(conn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        # Stock phrases: fingerprints of more than COMMON_DF documents are neither stored nor looked up.
        cur.execute(
            f"INSERT INTO quality_commonfingerprint (hash, documents) SELECT hash, count(*) FROM {FP} "
            f"GROUP BY hash HAVING count(*) > %s ON CONFLICT (hash) DO UPDATE SET documents = EXCLUDED.documents",
            [COMMON_DF],
        )
        cur.execute(f"DELETE FROM {FP} f USING quality_commonfingerprint c WHERE f.hash = c.hash")
        cur.execute(f"ALTER TABLE {FP} ADD CONSTRAINT quality_reusefingerprint_pk PRIMARY KEY (hash, doc_id)")
        cur.execute(f"CREATE INDEX quality_fp_doc ON {FP} (doc_id)")
        cur.execute(
            f"ALTER TABLE {FP} ADD CONSTRAINT quality_fp_doc_fk FOREIGN KEY (doc_id) "
            "REFERENCES quality_reusedocument (id) DEFERRABLE INITIALLY DEFERRED NOT VALID"
        )
    conn.commit()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"VACUUM ANALYZE {FP}")
        cur.execute("VACUUM ANALYZE quality_reusedocument")
        cur.execute("VACUUM ANALYZE quality_referencedocument")
    conn.autocommit = False
    return time.perf_counter() - t0


def load(url: str, start: int, stop: int) -> dict[str, float]:
    """Items start+1 .. stop (ids = item numbers) through three COPY streams."""
    import psycopg
    from reuse_data import text_for, title_for

    from xinbao.quality.reuse.fingerprint import fingerprints
    from xinbao.quality.reuse.normalize import normalise

    conns = [psycopg.connect(url) for _ in range(3)]
    drop_fp_indexes(conns[2])
    t0 = time.perf_counter()
    gen = 0.0
    rows = 0
    now = "2026-11-26 00:00:00+00"
    with (
        conns[0]
        .cursor()
        .copy(
            "COPY quality_referencedocument (id, title, source, text, created_at, updated_at) FROM STDIN"
        ) as refs,
        conns[1]
        .cursor()
        .copy(
            "COPY quality_reusedocument (id, reference_id, text_hash, length, created_at, updated_at) FROM STDIN"
        ) as docs,
        conns[2].cursor().copy(f"COPY {FP} (hash, doc_id) FROM STDIN") as fps,
    ):
        for i in range(start + 1, stop + 1):
            g0 = time.perf_counter()
            title, body = title_for(i), text_for(i)
            text = f"{title}\n{body}"
            norm = normalise(text, with_offsets=False).text
            prints = fingerprints(norm)
            gen += time.perf_counter() - g0
            refs.write_row((i, title, "bench", body, now, now))
            docs.write_row((i, i, hashlib.sha256(text.encode()).hexdigest(), len(norm), now, now))
            for h in prints:
                fps.write_row((h, i))
            rows += len(prints)
            if i % 50_000 == 0:
                print(f"  {i:,} items, {rows:,} fingerprints, {time.perf_counter() - t0:.0f} s", flush=True)
    for c in conns:
        c.commit()
    elapsed = time.perf_counter() - t0
    with conns[0].cursor() as cur:
        for table in ("quality_referencedocument", "quality_reusedocument"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [stop])
    conns[0].commit()
    index_s = create_fp_indexes(conns[2])
    for c in conns:
        c.close()
    return {"load_s": elapsed, "generate_fingerprint_s": gen, "index_s": index_s, "fingerprints": rows}


# --- measure (child process) -----------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def measure(dbname: str, url: str, size: int, queries: int) -> dict[str, object]:
    setup_django(url)
    from django.db import connection
    from reuse_data import disguise, text_for

    from xinbao.quality.reuse.index import find_matches

    rng = random.Random(7)
    positives = []
    while len(positives) < queries:
        d = rng.randint(1, size)
        source = text_for(d)
        if len(source) < 1200:
            continue
        copy = disguise(source, rng)[:2400]
        filler = text_for(10**9 + d, length=QUERY_LEN - len(copy))
        cut = rng.randint(0, len(filler))
        positives.append((d, filler[:cut] + "\n" + copy + "\n" + filler[cut:]))
    negatives = [text_for(2 * 10**9 + q, length=QUERY_LEN) for q in range(queries)]
    for _d, text in positives[:5]:
        find_matches(text, threshold=0.5)  # warm-up: connection, caches, jieba-free code paths
    lat_pos, lat_neg, found, false_matches = [], [], 0, 0
    for d, text in positives:
        t0 = time.perf_counter()
        matches = find_matches(text, threshold=0.5)
        lat_pos.append((time.perf_counter() - t0) * 1000)
        ids = {m.doc.reference_id for m in matches}
        found += d in ids
        false_matches += len(ids - {d})
    for text in negatives:
        t0 = time.perf_counter()
        matches = find_matches(text, threshold=0.5)
        lat_neg.append((time.perf_counter() - t0) * 1000)
        false_matches += len(matches)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
        sizes = {}
        for rel in (FP, "quality_reusefingerprint_pk", "quality_fp_doc", "quality_reusedocument"):
            cur.execute("SELECT pg_total_relation_size(%s)", [rel])
            sizes[rel] = cur.fetchone()[0]
        cur.execute(f"SELECT count(*) FROM {FP}")
        postings = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM quality_commonfingerprint")
        common = cur.fetchone()[0]
    hwm = ""
    try:
        status = Path(f"/proc/{backend}/status").read_text()
        hwm = next(line.split(":")[1].strip() for line in status.splitlines() if line.startswith("VmHWM"))
    except OSError:
        pass
    both = lat_pos + lat_neg
    result: dict[str, object] = {
        "size": size,
        "queries": len(both),
        "p50_ms": round(pct(both, 0.5), 1),
        "p95_ms": round(pct(both, 0.95), 1),
        "p99_ms": round(pct(both, 0.99), 1),
        "p95_copies_ms": round(pct(lat_pos, 0.95), 1),
        "p95_new_ms": round(pct(lat_neg, 0.95), 1),
        "recall": round(found / len(positives), 4),
        "false_matches": false_matches,
        "child_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "pg_backend_peak_rss": hwm,
        "postings": postings,
        "common_fingerprints": common,
        "sizes_mb": {k: round(v / 2**20, 1) for k, v in sizes.items()},
    }
    if size <= 100_000:
        result.update(brute_force(size, [t for _d, t in positives[:5]], statistics.median(both)))
    return result


def brute_force(size: int, queries: list[str], index_median_ms: float) -> dict[str, object]:
    import numpy as np
    from reuse_data import text_for, title_for

    from xinbao.quality.reuse.fingerprint import gram_hashes
    from xinbao.quality.reuse.normalize import normalise
    from xinbao.quality.reuse.verify import compare_normalised

    sample = 2000
    normed = [normalise(f"{title_for(i)}\n{text_for(i)}") for i in range(1, sample + 1)]
    exact = []
    for q in queries[:3]:
        nq = normalise(q)
        t0 = time.perf_counter()
        for n in normed:
            compare_normalised(nq, n)
        exact.append((time.perf_counter() - t0) * size / sample)
    # Every item's full set of k-gram hashes, prepared in advance (not timed); the scan intersects with each.
    sets = [
        np.unique(gram_hashes(normalise(f"{title_for(i)}\n{text_for(i)}", with_offsets=False).text))
        for i in range(1, size + 1)
    ]
    scans = []
    for q in queries[:3]:
        hq = np.unique(gram_hashes(normalise(q, with_offsets=False).text))
        t0 = time.perf_counter()
        for s in sets:
            np.intersect1d(hq, s, assume_unique=True)
        scans.append(time.perf_counter() - t0)
    exact_s, scan_s = statistics.median(exact), statistics.median(scans)
    return {
        "brute_exact_s_per_query": round(exact_s, 1),
        "brute_exact_note": f"timed on {sample:,} items, scaled to {size:,}",
        "brute_fingerprint_scan_s_per_query": round(scan_s, 2),
        "speedup_vs_exact": round(exact_s * 1000 / index_median_ms),
        "speedup_vs_scan": round(scan_s * 1000 / index_median_ms),
    }


# --- driver --------------------------------------------------------------------------------------------------------


def main() -> None:
    args = parse()
    if args.measure:
        url = db_url(args.pg_url, args.measure)
        print(json.dumps(measure(args.measure, url, args.size, args.queries), ensure_ascii=False))
        return
    import psycopg

    name = args.reuse or f"xinbao_bench_reuse_{os.getpid()}"
    url = db_url(args.pg_url, name)
    loaded = 0
    if not args.reuse:
        with psycopg.connect(db_url(args.pg_url, "postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env = {**os.environ, "DATABASE_URL": url, "XINBAO_DEBUG": "1"}
        env.pop("XINBAO_TESTING", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
    else:
        with psycopg.connect(url) as conn:
            loaded = conn.execute("SELECT coalesce(max(id), 0) FROM quality_reusedocument").fetchone()[0]
    print(f"database {name}, {loaded:,} items already loaded", flush=True)
    sizes = sorted({int(s) for s in args.checkpoints.split(",") if s} | {args.items})
    try:
        for size in sizes:
            if size > loaded:
                print(f"loading items {loaded + 1:,}..{size:,}", flush=True)
                stats = load(url, loaded, size)
                loaded = size
                print("  " + json.dumps({k: round(v, 1) for k, v in stats.items()}), flush=True)
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--measure",
                    name,
                    "--size",
                    str(size),
                    "--queries",
                    str(args.queries),
                    "--pg-url",
                    args.pg_url,
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            print(child.stdout.strip().splitlines()[-1], flush=True)
    finally:
        if not (args.keep or args.reuse):
            with psycopg.connect(db_url(args.pg_url, "postgres"), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
