-- Search's objects in SQLite, as they are now. Applied by migration
-- search.0007 (and by any later migration that changes this file; see
-- search/migrations/_schema.py): every statement can run again on a database
-- that has them. Migration 0001 created them first.

-- An external-content FTS5 index over search_searchdocument: Porter stemmer,
-- unicode61 tokenizer, diacritics removed. Ranked with bm25 in
-- search/backends/sqlite.py.
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    headline, standfirst, body_text, extra,
    content='search_searchdocument', content_rowid='article_id',
    tokenize='porter unicode61 remove_diacritics 2');

-- Kept in step with what `search.services.index_articles` writes.
DROP TRIGGER IF EXISTS search_fts_ai;
CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
    INSERT INTO search_fts(rowid, headline, standfirst, body_text, extra)
    VALUES (new.article_id, new.headline, new.standfirst, new.body_text, new.extra);
END;
DROP TRIGGER IF EXISTS search_fts_ad;
CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
    INSERT INTO search_fts(search_fts, rowid, headline, standfirst, body_text, extra)
    VALUES ('delete', old.article_id, old.headline, old.standfirst, old.body_text,
            old.extra);
END;
DROP TRIGGER IF EXISTS search_fts_au;
CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
    INSERT INTO search_fts(search_fts, rowid, headline, standfirst, body_text, extra)
    VALUES ('delete', old.article_id, old.headline, old.standfirst, old.body_text,
            old.extra);
    INSERT INTO search_fts(rowid, headline, standfirst, body_text, extra)
    VALUES (new.article_id, new.headline, new.standfirst, new.body_text, new.extra);
END;
