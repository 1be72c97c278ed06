"""PostgreSQL: an item's tsvector is kept in its row (compressed) instead of in the TOAST table.

Why: a common word or a phrase over a large visible set is checked item by item (backends.match_condition), and each
check fetched the vector through the TOAST index and its chunks: ~25-35 µs an item at 1,000,000 items. Kept inline
(STORAGE MAIN, and rows may grow to a page before anything is moved out) the same 8,000 random checks took 37-56 ms
instead of 78-92 ms (a 60,000-row sample of the bench data, warm cache). A vector too large for a page still goes
to TOAST. Existing rows are rewritten once so that they follow the new storage. SQLite's FTS5 table is unaffected."""

from django.db import migrations

PG_UP = """
ALTER TABLE search_searchdocument SET (toast_tuple_target = 8160);
ALTER TABLE search_searchdocument ALTER COLUMN vector SET STORAGE MAIN;
UPDATE search_searchdocument SET vector = vector || ''::tsvector;
"""
PG_DOWN = """
ALTER TABLE search_searchdocument RESET (toast_tuple_target);
ALTER TABLE search_searchdocument ALTER COLUMN vector SET STORAGE EXTENDED;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_fts_prefix_index")]

    operations = [migrations.RunPython(forwards, backwards)]
