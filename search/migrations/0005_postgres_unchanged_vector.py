"""PostgreSQL: the trigger leaves an article's row alone when its document
gives the vector the row already has.

Every (re)index of an article writes its search document, and the trigger
wrote the article's row each time: a new row version (and GIN entries) for
every save, even one that changed no searchable text, and for every article
on `rebuild_search_index`. The table then holds about twice the pages until
VACUUM FULL or CLUSTER, and a search reads them: at 100,000 articles, 475 MB
bloated against 245 MB compact. Now the row is written only when the vector
differs, and only then are its words added to the vocabulary. Nothing on
SQLite.
"""

from django.db import migrations

from search.migrations._postgres import earlier, on_postgres

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION search_document_to_article() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    vector tsvector := search_document_vector(
        NEW.headline, NEW.standfirst, NEW.extra, NEW.body_text);
BEGIN
    UPDATE articles_article SET search_vector = vector
    WHERE id = NEW.article_id AND search_vector IS DISTINCT FROM vector;
    IF FOUND THEN
        INSERT INTO search_vocabulary (lexeme)
        SELECT word FROM unnest(tsvector_to_array(vector)) AS word
        WHERE NOT EXISTS (SELECT 1 FROM search_vocabulary v WHERE v.lexeme = word);
    END IF;
    RETURN NULL;
END $$"""

PREVIOUS_TRIGGER_FUNCTION = earlier("0004_postgres_vocabulary", "TRIGGER_FUNCTION")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_vocabulary")]

    operations = [
        migrations.RunPython(
            on_postgres([TRIGGER_FUNCTION]), on_postgres([PREVIOUS_TRIGGER_FUNCTION])
        )
    ]
