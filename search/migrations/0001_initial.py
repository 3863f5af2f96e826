from django.db import migrations, models
import django.db.models.deletion

SQLITE = [
    # External-content FTS5 over search_searchdocument, with the Porter stemmer.
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        headline, standfirst, body_text, extra,
        content='search_searchdocument', content_rowid='article_id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, headline, standfirst, body_text, extra)
        VALUES (new.article_id, new.headline, new.standfirst, new.body_text, new.extra);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, headline, standfirst, body_text, extra)
        VALUES ('delete', old.article_id, old.headline, old.standfirst, old.body_text,
                old.extra);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, headline, standfirst, body_text, extra)
        VALUES ('delete', old.article_id, old.headline, old.standfirst, old.body_text,
                old.extra);
        INSERT INTO search_fts(rowid, headline, standfirst, body_text, extra)
        VALUES (new.article_id, new.headline, new.standfirst, new.body_text, new.extra);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES = [
    # Weighted: headline A, standfirst and tags/authors B, body C; English stemming.
    """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A') ||
            setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B') ||
            setweight(to_tsvector('english'::regconfig, coalesce(extra, '')), 'B') ||
            setweight(to_tsvector('english'::regconfig, coalesce(body_text, '')), 'C')
        ) STORED""",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [("articles", "0002_article_comment_count")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("headline", models.TextField(verbose_name="headline")),
                ("standfirst", models.TextField(blank=True, verbose_name="standfirst")),
                ("body_text", models.TextField(blank=True, verbose_name="body text")),
                (
                    "extra",
                    models.TextField(
                        blank=True,
                        help_text="Space-separated",
                        verbose_name="tags, authors and category",
                    ),
                ),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
