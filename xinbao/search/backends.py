"""The index in each database: an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL.

Both hold the same tokens (``tokens.index_tokens``) and answer the same question — which items contain every term
as a run of consecutive tokens — so the two databases return the same items (tested on both in CI). Each backend
turns the query into a SQL fragment selecting report ids, which the visibility selector then narrows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


#: On SQLite, a query matching at least this many items is checked item by item (see ``match_condition``).
SQLITE_COMMON = 100_000
#: On PostgreSQL, a query matching at most this many items is answered from the list of their ids.
PG_FEW = 2000


def _sqlite_matches(match: str, limit: int) -> int:
    """How many items the query matches, counting no further than ``limit``: FTS5 stops reading there, so this costs
    a few milliseconds even for a word in every item."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s LIMIT %s)",
            [match, limit],
        )
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class Condition:
    """SQL true for the rows of a reports table that match; ``per_item`` when it looks each row up."""

    template: str  # with {table}: the reports table's name or alias in the query it goes into
    params: list[Any]
    per_item: bool
    #: At most ``PG_FEW`` matches (on either database): few enough to ask the visibility rule about each (``visibility.visible_ids``)
    #: rather than list everything the reader may see.
    few: bool = False

    def on(self, table: str) -> str:
        return self.template.format(table=table)


def match_condition(terms: list[Term]) -> Condition:
    """A SQL condition on the rows of a reports table: the item matches every term.

    Either database may be asked the wrong way round. Listing every match first costs ~1 s for a word found in
    most of a million items, when the reader may see a few thousand of them; checking each visible item costs
    ~35 µs an item, too much for a province office's 50,000 when the word is rare. So the index is first asked
    for at most a few thousand matches (cheap however common the word): when that is all there are, the ids
    themselves are the condition; otherwise each visible item is checked. (PostgreSQL cannot weigh this itself:
    it estimates a phrase's bigrams as independent — a handful of rows for a phrase in 30,000 items — and then
    picks nested loops that took 45 s at a million items.)"""
    if connection.vendor == "postgresql":
        query = _pg_tsquery(terms)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT report_id FROM {PG_TABLE} WHERE vector @@ %s::tsquery LIMIT %s", [query, PG_FEW + 1]
            )
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= PG_FEW:
            return Condition("{table}.id = ANY(%s)", [ids], per_item=False, few=True)
        return Condition(
            f"(SELECT vector FROM {PG_TABLE} WHERE report_id = {{table}}.id) @@ %s::tsquery",
            [query],
            per_item=True,
        )
    match = _sqlite_match(terms)
    # Prefixes (one character, letters, digits) too, now that the walk stops at the page's LIMIT and reads no item
    # rows: listing a character's matches built a set of up to 500,000 ids for every count and page (1,000,000
    # items, province editor: 村 220 -> 18 ms, 街 114 -> 60 ms; county editor 村 135 -> 27 ms).
    matches = _sqlite_matches(match, SQLITE_COMMON)
    if matches >= SQLITE_COMMON:
        return Condition(
            f"EXISTS (SELECT 1 FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s AND rowid = {{table}}.id)",
            [match],
            per_item=True,
        )
    return Condition(
        f"{{table}}.id IN (SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s)",
        [match],
        per_item=False,
        few=matches <= PG_FEW,
    )


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
