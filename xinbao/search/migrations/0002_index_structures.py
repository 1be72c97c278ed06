"""The token index in each database's own structure (see xinbao/search/backends.py): an FTS5 table on SQLite, a
tsvector column with a GIN index on PostgreSQL. Reversible on both."""

from django.db import migrations


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE search_searchdocument ADD COLUMN vector tsvector")
            cursor.execute("CREATE INDEX search_doc_vector_gin ON search_searchdocument USING gin (vector)")
        else:
            # The tokens are already split (space-separated); unicode61 only needs to split on spaces.
            cursor.execute(
                "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, extra, tokenize = 'unicode61')"
            )


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS search_doc_vector_gin")
            cursor.execute("ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector")
        else:
            cursor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
