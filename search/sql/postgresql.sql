-- Search's objects in PostgreSQL, as they are now. Applied by migration
-- search.0007 (and by any later migration that changes this file; see
-- search/migrations/_schema.py): every statement can run again on a database
-- that has them. Migrations 0002-0006 are the steps that brought databases of
-- earlier versions here.
--
-- Why the vector is on the article's row, the vocabulary and the query
-- function: docs/architecture.md, "Search".

-- An article's weighted vector: headline A, standfirst and tags/authors/
-- section B, body C; English stemming.
CREATE OR REPLACE FUNCTION search_document_vector(
    headline text, standfirst text, extra text, body text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT
        setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, coalesce(extra, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
$$;

-- The vector lives in the article's row (not a model field: Django never
-- reads or writes it), in the row itself (MAIN), lz4 where the server has it.
ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_vector tsvector;
ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN;
DO $$ BEGIN
    ALTER TABLE articles_article ALTER COLUMN search_vector SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN NULL;
END $$;
CREATE INDEX IF NOT EXISTS article_search_vector_gin
    ON articles_article USING GIN (search_vector);

-- Every word (lexeme) any vector holds, for a reader's last word typed as a
-- prefix. "C" collation: byte order, so a prefix is a range of the index. No
-- unique constraint: two writers adding the same new word never wait for
-- each other; readers take DISTINCT. Words are never removed.
CREATE TABLE IF NOT EXISTS search_vocabulary (lexeme text COLLATE "C" NOT NULL);
CREATE INDEX IF NOT EXISTS search_vocabulary_lexeme ON search_vocabulary (lexeme);

-- What `search.services.index_articles` writes (search_searchdocument) sets
-- the article's vector, only when it changed (no new row version, no GIN
-- churn, for a save that changed no searchable text), and adds its new words
-- to the vocabulary.
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
END $$;
DROP TRIGGER IF EXISTS search_document_to_article ON search_searchdocument;
CREATE TRIGGER search_document_to_article AFTER INSERT OR UPDATE
    ON search_searchdocument FOR EACH ROW
    EXECUTE FUNCTION search_document_to_article();

-- The first step of every search (search/backends/postgres.py): the query's
-- stems, the newest article id and the words the vocabulary has for the last
-- word's prefix. A PL/pgSQL function so that each connection plans it once.
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
END $$;
