"""PostgreSQL: a list of every word (lexeme) in the articles' vectors.

The last word a reader types also matches as a prefix ("submar" finds
"submarine"). A prefix makes the GIN index collect the postings of every word
it begins into a bitmap first, two to three times the work of looking up a
word: 4-10 ms for a common one. Knowing the words a prefix stands for, a search
looks up those words instead ("defenc" OR "defenceless"), which finds the same
articles. The trigger that writes an article's vector adds its new words here,
without a unique constraint (two writers adding the same new word never wait
for each other; a search reads DISTINCT). Words are never removed: one no
article holds any more only makes a lookup find nothing. Nothing on SQLite.
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
    UPDATE articles_article SET search_vector = vector WHERE id = NEW.article_id;
    INSERT INTO search_vocabulary (lexeme)
    SELECT word FROM unnest(tsvector_to_array(vector)) AS word
    WHERE NOT EXISTS (SELECT 1 FROM search_vocabulary v WHERE v.lexeme = word);
    RETURN NULL;
END $$"""

PREVIOUS_TRIGGER_FUNCTION = earlier("0003_postgres_vector_on_the_article", "TRIGGER_FUNCTION")

POSTGRES = [
    # "C": byte order, so that a prefix is a range of the index.
    'CREATE TABLE IF NOT EXISTS search_vocabulary (lexeme text COLLATE "C" NOT NULL)',
    "CREATE INDEX IF NOT EXISTS search_vocabulary_lexeme "
    "ON search_vocabulary (lexeme)",
    TRIGGER_FUNCTION,
    "INSERT INTO search_vocabulary (lexeme) SELECT word FROM ("
    "SELECT DISTINCT unnest(tsvector_to_array(search_vector)) AS word "
    "FROM articles_article) AS words WHERE NOT EXISTS ("
    "SELECT 1 FROM search_vocabulary v WHERE v.lexeme = words.word)",
    "ANALYZE search_vocabulary",
]
POSTGRES_REVERSE = [PREVIOUS_TRIGGER_FUNCTION, "DROP TABLE IF EXISTS search_vocabulary"]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("search", "0003_postgres_vector_on_the_article")]

    operations = [migrations.RunPython(on_postgres(POSTGRES), on_postgres(POSTGRES_REVERSE))]
