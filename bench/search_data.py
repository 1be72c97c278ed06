"""Items and their search index rows for the search benchmark (bench/bench_search.py), on PostgreSQL and SQLite.

The items are those of the inbox benchmark (bench/inbox_data.py: the demo seed's Chinese text generator, the
province's unit weights, submissions, reach rows and forwarding), so visibility has the shape it has in production
and term frequencies are those of real-looking items. Beside each chunk of items this writes what
``search_index_report`` would have written — a ``SearchDocument`` row and the tokens (``tokens.index_fields``):
on PostgreSQL the tsvector literal of ``backends._pg_tsvector`` in the same COPY round, on SQLite the FTS5 rows
with ``executemany`` — instead of indexing a million items one by one through the service.

SQLite has no COPY and no ``session_replication_role``: the same rows go in with ``executemany`` in one transaction
per chunk, foreign-key checks off during the load (ids are allocated here from the rows read first)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import connection, transaction
from inbox_data import CHUNK, DAY, REPORT_COLS, TABLES, TYPE_MIX, Counts, InboxData

from xinbao.search.backends import SQLITE_TABLE, _pg_tsvector
from xinbao.search.tokens import index_fields

_ID, _TITLE, _BODY = (REPORT_COLS.index(c) for c in ("id", "title", "body"))


class SearchData(InboxData):
    def __init__(self, *, items: int, seed: int, log: Callable[[str], None] = print) -> None:
        super().__init__(items=items, seed=seed, log=log)
        self.indexed = 0
        self._last: tuple[str, str, list[str]] = ("", "", [])

    def _fields(self, title: str, body: str) -> list[str]:
        # A forwarded item repeats its source's text right after it: tokenise that text once.
        if (title, body) != self._last[:2]:
            self._last = (title, body, index_fields(title, body, ""))
        return self._last[2]

    def _index_rows(self) -> list[tuple[int, list[str]]]:
        return [(row[_ID], self._fields(row[_TITLE], row[_BODY])) for row in self.rows["reports_report"]]

    def _flush(self) -> None:
        index = self._index_rows()
        if connection.vendor == "postgresql":
            super()._flush()
            with connection.connection.cursor() as cur:
                cols = "report_id, indexed_at, vector"
                with cur.copy(f"COPY search_searchdocument ({cols}) FROM STDIN") as copy:
                    for report_id, fields in index:
                        copy.write_row((report_id, self.now, _pg_tsvector(fields)))
        else:
            self._flush_sqlite(index)
        self.indexed += len(index)

    def _flush_sqlite(self, index: list[tuple[int, list[str]]]) -> None:
        adapt = connection.ops.adapt_datetimefield_value
        now = adapt(self.now)
        with transaction.atomic():
            cur = connection.connection.cursor()
            for table, cols in TABLES.items():
                rows = self.rows[table]
                if not rows:
                    continue
                marks = ", ".join("?" * len(cols))
                cur.executemany(
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                    [tuple(adapt(v) if isinstance(v, datetime) else v for v in row) for row in rows],
                )
                self.counts.rows[table] += len(rows)
                rows.clear()
            cur.executemany(
                "INSERT INTO search_searchdocument (report_id, indexed_at) VALUES (?, ?)",
                [(report_id, now) for report_id, _ in index],
            )
            cur.executemany(
                f"INSERT INTO {SQLITE_TABLE} (rowid, title, body, extra) VALUES (?, ?, ?, ?)",
                [(report_id, *fields) for report_id, fields in index],
            )

    def run(self) -> Counts:
        if connection.vendor == "postgresql":
            return super().run()
        return self._run_sqlite()

    def _run_sqlite(self) -> Counts:
        """``InboxData.run`` without PostgreSQL's session settings and sequences (SQLite's ids follow MAX(id))."""
        self._load()
        rng = self.rng
        weights = [r.weight for r in self.reporters]
        types = [t for t, _ in TYPE_MIX]
        type_weights = [w for _, w in TYPE_MIX]
        with connection.cursor() as cur:
            cur.execute("PRAGMA foreign_keys = OFF")
        first = self.next_id["reports_report"]
        try:
            while self.next_id["reports_report"] - first < self.items:
                n = min(CHUNK, self.items - (self.next_id["reports_report"] - first))
                for r, report_type in zip(
                    rng.choices(self.reporters, weights=weights, k=n),
                    rng.choices(types, type_weights, k=n),
                    strict=True,
                ):
                    if self.next_id["reports_report"] - first >= self.items:
                        break
                    day = self.now - timedelta(days=rng.uniform(0, 365))
                    sent = day.replace(
                        hour=rng.choice([8, 9, 9, 10, 10, 11, 14, 15, 15, 16, 17, 20]),
                        minute=rng.randrange(60),
                    )
                    if sent > self.now:
                        sent -= DAY
                    self._original(r, report_type, sent)
                self._flush()
                self.log(f"  {self.next_id['reports_report'] - first:,} items written")
        finally:
            with connection.cursor() as cur:
                cur.execute("PRAGMA foreign_keys = ON")
        return self.counts
