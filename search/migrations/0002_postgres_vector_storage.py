"""PostgreSQL: keep each document's tsvector in its row, lz4-compressed.

Ranking reads the vector of every candidate (up to 1,000 a search). Stored the
default way, with the body in the same row, the vector goes to the TOAST table
(pglz), and each read is an index lookup and a few page reads there. Moving the
body out of line first (EXTERNAL: it is read for the 10 snippets of a page only)
leaves room for the vector in the row (MAIN), and lz4 decompresses faster than
pglz. The UPDATE rewrites existing rows so they take the new layout (the
generated vector is recomputed); on a large archive it takes a while, see
docs/operations.md. Nothing to do on SQLite.
"""

from django.db import migrations

from search.migrations._postgres import on_postgres

POSTGRES = [
    "ALTER TABLE search_searchdocument ALTER COLUMN body_text SET STORAGE EXTERNAL, "
    "ALTER COLUMN vector SET STORAGE MAIN",
    # lz4 needs a server built with it (Debian's and most are); else keep pglz.
    """DO $$ BEGIN
        ALTER TABLE search_searchdocument ALTER COLUMN vector SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN NULL;
    END $$""",
    "UPDATE search_searchdocument SET body_text = body_text",
]
POSTGRES_REVERSE = [
    "ALTER TABLE search_searchdocument ALTER COLUMN body_text SET STORAGE EXTENDED, "
    "ALTER COLUMN vector SET STORAGE EXTENDED, "
    "ALTER COLUMN vector SET COMPRESSION default",
]


class Migration(migrations.Migration):
    # Each statement commits on its own: the ALTERs' exclusive lock is held for
    # an instant, not for the whole rewrite, so searches go on meanwhile.
    atomic = False

    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(on_postgres(POSTGRES), on_postgres(POSTGRES_REVERSE))]
