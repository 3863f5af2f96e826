"""PostgreSQL: the search vector moves to the article's row.

A search asks for the newest live articles matching the words, ranked. With the
vector in search_searchdocument, every candidate had to be looked up again in
articles_article for its status, publication time, section and author: a
second statement with a thousand ids, or a join the planner could only do row
by row, costing more than the search itself. With the vector on the article,
one statement reads the match, the filters and the rank from the same row.

The vector is not a model field: Django never reads or writes it. A trigger on
search_searchdocument (what `search.services.index_articles` writes) computes
it into the article's row, as the FTS5 triggers do on SQLite, so the two
engines follow the same writes. It stays in the row (STORAGE MAIN, lz4 where
the server has it), with its GIN index. Nothing to do on SQLite.

The UPDATE copies the vectors already computed; on a large archive it rewrites
every article row (about 30 s for 100,000), see docs/operations.md. Each
statement commits on its own (atomic = False), so the site is never locked for
the whole of it, and each can be run again: a migration stopped half way is
resumed by running it again.
"""

from django.db import migrations

from search.migrations._postgres import on_postgres

VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION search_document_vector(
    headline text, standfirst text, extra text, body text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- Weighted: headline A, standfirst and tags/authors B, body C; English.
    SELECT
        setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, coalesce(extra, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
$$"""

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION search_document_to_article() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_article
    SET search_vector = search_document_vector(
        NEW.headline, NEW.standfirst, NEW.extra, NEW.body_text)
    WHERE id = NEW.article_id;
    RETURN NULL;
END $$"""

POSTGRES = [
    "ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN",
    # lz4 needs a server built with it (Debian's and most are); else keep pglz.
    """DO $$ BEGIN
        ALTER TABLE articles_article ALTER COLUMN search_vector SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN NULL;
    END $$""",
    VECTOR_FUNCTION,
    TRIGGER_FUNCTION,
    "DROP TRIGGER IF EXISTS search_document_to_article ON search_searchdocument",
    "CREATE TRIGGER search_document_to_article AFTER INSERT OR UPDATE "
    "ON search_searchdocument FOR EACH ROW "
    "EXECUTE FUNCTION search_document_to_article()",
    # Copies the vectors computed before (or computes them, when a run stopped
    # after dropping that column); only rows still without one.
    """DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_name = 'search_searchdocument'
                   AND column_name = 'vector') THEN
            EXECUTE 'UPDATE articles_article a SET search_vector = d.vector
                     FROM search_searchdocument d
                     WHERE d.article_id = a.id AND a.search_vector IS NULL';
        ELSE
            UPDATE articles_article a
            SET search_vector = search_document_vector(
                d.headline, d.standfirst, d.extra, d.body_text)
            FROM search_searchdocument d
            WHERE d.article_id = a.id AND a.search_vector IS NULL;
        END IF;
    END $$""",
    # CONCURRENTLY: articles can still be written while the index is built.
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS article_search_vector_gin "
    "ON articles_article USING GIN (search_vector)",
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
    "ANALYZE articles_article",
]
POSTGRES_REVERSE = [
    """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector
        GENERATED ALWAYS AS (
            search_document_vector(headline, standfirst, extra, body_text)
        ) STORED""",
    "ALTER TABLE search_searchdocument ALTER COLUMN vector SET STORAGE MAIN",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument "
    "USING GIN (vector)",
    "DROP TRIGGER IF EXISTS search_document_to_article ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_document_to_article()",
    "DROP INDEX IF EXISTS article_search_vector_gin",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0002_postgres_vector_storage"),
        ("articles", "0003_article_search_filter_idx"),
    ]

    operations = [migrations.RunPython(on_postgres(POSTGRES), on_postgres(POSTGRES_REVERSE))]
