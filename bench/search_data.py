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
from datetime import datetime

from django.db import connection, transaction
from inbox_data import REPORT_COLS, TABLES, InboxData

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

    def _bulk_mode(self, on: bool) -> None:
        if connection.vendor == "postgresql":
            super()._bulk_mode(on)
            return
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA foreign_keys = {'OFF' if on else 'ON'}")

    def _after_load(self) -> None:
        # SQLite's next id follows MAX(id); only PostgreSQL has sequences to move.
        if connection.vendor == "postgresql":
            super()._after_load()
