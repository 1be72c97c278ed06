"""The index in each database: an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL.

Both hold the same tokens (``tokens.index_tokens``) and answer the same question — which items contain every term
as a run of consecutive tokens — so the two databases return the same items (tested on both in CI). Each backend
turns the query into a SQL fragment selecting report ids, which the visibility selector then narrows."""

from __future__ import annotations

from django.db import connection

from xinbao.search.tokens import MAX_TOKENS, Term

SQLITE_TABLE = "search_fts"
PG_TABLE = "search_searchdocument"


def _sqlite_match(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        phrase = '"' + " ".join(term.tokens) + '"'
        parts.append(phrase + ("*" if term.prefix else ""))
    return " AND ".join(parts)


def _pg_tsquery(terms: list[Term]) -> str:
    """A tsquery literal: tokens are Han characters, letters and digits only, so quoting is plain. Literals rather
    than ``to_tsquery`` keep PostgreSQL's text parser (and its locale) out of the way."""
    parts = []
    for term in terms:
        tokens = [f"'{token}'" for token in term.tokens]
        if term.prefix:
            tokens[-1] += ":*"
        parts.append("(" + " <-> ".join(tokens) + ")")
    return " & ".join(parts)


def _pg_tsvector(fields: list[str]) -> str:
    """Positions as PostgreSQL counts them (1-based), one position left empty between fields so that a phrase
    never runs from the title into the body — as FTS5 keeps its columns apart. (PostgreSQL also keeps at most 256
    positions of one token; a bigram repeated more often than that in one item is found by its earlier
    occurrences only.)"""
    entries: dict[str, list[int]] = {}
    position = 0
    for field in fields:
        for token in field.split():
            position += 1
            entries.setdefault(token, []).append(min(position, MAX_TOKENS))
        position += 1
    return " ".join(f"'{token}':{','.join(map(str, positions))}" for token, positions in entries.items())


def match_ids_sql(terms: list[Term]) -> tuple[str, list[str]]:
    """SQL selecting the ids of reports matching every term, for ``pk__in=RawSQL(...)``."""
    if connection.vendor == "postgresql":
        return (
            f"SELECT report_id FROM {PG_TABLE} WHERE vector @@ %s::tsquery",
            [_pg_tsquery(terms)],
        )
    return f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [_sqlite_match(terms)]


def write(report_id: int, title: str, body: str, extra: str) -> None:
    """Store the tokens of one item (replacing what was there). Titles weigh no more than bodies: results are
    ordered by date, which is what an office searching its own items expects."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {PG_TABLE} SET vector = %s::tsvector WHERE report_id = %s",
                [_pg_tsvector([title, body, extra]), report_id],
            )
        else:
            cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = %s", [report_id])
            cursor.execute(
                f"INSERT INTO {SQLITE_TABLE}(rowid, title, body, extra) VALUES (%s, %s, %s, %s)",
                [report_id, title, body, extra],
            )


def remove(report_id: int) -> None:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = %s", [report_id])
