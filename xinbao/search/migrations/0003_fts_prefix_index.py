"""SQLite: the FTS5 table gains a one-character prefix index (``prefix='1'``).

Why: a query of one Han character is a prefix query over the bigram tokens ("村" finds 村民, 村里…); without a prefix
index FTS5 merges the postings of every token starting with that character on each lookup — 420–520 ms at
1,000,000 items (bench/RESULTS.md, issue 7), ~35x slower than with the index on the same data. The table is
rebuilt from its own rows (FTS5 has no ALTER for options). PostgreSQL's tsvector index answers prefixes already."""

from django.db import migrations

COLUMNS = "title, body, extra"


def _rebuild(schema_editor, options: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE search_fts_new USING fts5({COLUMNS}, tokenize = 'unicode61'{options})"
        )
        cursor.execute(
            f"INSERT INTO search_fts_new(rowid, {COLUMNS}) SELECT rowid, {COLUMNS} FROM search_fts ORDER BY rowid"
        )
        cursor.execute("DROP TABLE search_fts")
        cursor.execute("ALTER TABLE search_fts_new RENAME TO search_fts")


def forwards(apps, schema_editor):
    _rebuild(schema_editor, ", prefix = '1'")


def backwards(apps, schema_editor):
    _rebuild(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_structures")]

    operations = [migrations.RunPython(forwards, backwards)]
