"""PostgreSQL: the first step of every search as a function, whose plans each
connection keeps.

A search starts by asking PostgreSQL for the query's stems (to_tsquery), the
newest article id and, for the last word's prefix, the words the vocabulary
has for it (search/backends/postgres.py). As one statement that cost about a
millisecond of the server's time, most of it planning the statement again
for every search; as a PL/pgSQL function, planned once per connection, about
a third of that. Nothing on SQLite.
"""

from django.db import migrations

from search.migrations._postgres import on_postgres

FUNCTION = r"""
CREATE OR REPLACE FUNCTION search_query_words(
    typed text, expansion integer,
    OUT nodes integer, OUT stemmed text, OUT newest bigint, OUT completions text[])
LANGUAGE plpgsql STABLE AS $$
DECLARE
    query tsquery := to_tsquery('english', typed);
    stem text;
BEGIN
    nodes := numnode(query);
    stemmed := query::text;
    newest := (SELECT max(id) FROM articles_article);
    -- The last word, when it is a prefix ('defenc':*).
    stem := substring(stemmed FROM '''([^'']+)'':\*$');
    IF stem IS NOT NULL THEN
        completions := ARRAY(
            SELECT DISTINCT lexeme FROM search_vocabulary
            WHERE lexeme >= stem AND lexeme < stem || chr(1114111)
            ORDER BY lexeme LIMIT expansion);
    END IF;
END $$"""

DROP = "DROP FUNCTION IF EXISTS search_query_words(text, integer)"


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgres_unchanged_vector")]

    operations = [migrations.RunPython(on_postgres([FUNCTION]), on_postgres([DROP]))]
