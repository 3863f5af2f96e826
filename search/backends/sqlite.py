"""SQLite FTS5 with bm25 ranking (the embedded default)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.utils.dateparse import parse_datetime

from search.backends import (
    CANDIDATES,
    CARD_COLUMNS,
    CARD_JOIN,
    SearchQuery,
    SearchResults,
    cards,
    filters,
    page_of,
)

# bm25 column weights: headline, standfirst, body_text, extra (tags, authors).
WEIGHTS = "10.0, 4.0, 1.0, 4.0"
# Shorter prefixes ("no*") expand to too many words to be useful or fast.
PREFIX_MIN = 4
# Same columns and tokenizer as search_fts (search/sql/sqlite.sql).
TOKENIZE = "porter unicode61 remove_diacritics 2"
# A covering index on the article columns the filters read. It is declared in
# Article.Meta so Django recreates it when a migration rebuilds the table.
FILTER_INDEX = "article_search_filter_idx"
#: English words too common to narrow a search: the Snowball list PostgreSQL's
#: "english" configuration leaves out of its queries, left out here too (a
#: query of nothing else keeps them). Each is in most articles, and matching
#: "what we know so far" word for word cost three times "know far".
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he
    him his himself she her hers herself it its itself they them their theirs
    themselves what which who whom this that these those am is are was were be
    been being have has had having do does did doing a an the and but if or
    because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under
    again further then once here there when where why how all any both each few
    more most other some such no nor not only own same so than too very s t can
    will just don should now
    """.split()
)


def match_expression(terms: list[str], prefix: bool = True) -> str:
    """Every word must match; the last one also as a prefix (typing "submar")
    unless `prefix` is false."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    if prefix and len(terms[-1]) >= PREFIX_MIN:
        quoted[-1] += "*"
    return " ".join(quoted)


def _in_archive(cursor, word: str) -> bool:
    """Whether some article holds `word` (as the tokenizer stems it): then a
    reader typed it whole, and it is not looked up as a prefix. A prefix makes
    FTS5 merge the posting lists of every word it begins ("minister": also
    "ministry"), 10-15 ms for common ones."""
    cursor.execute(
        "SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT 1",
        [match_expression([word], prefix=False)],
    )
    return cursor.fetchone() is not None


class SqliteBackend:
    def search(self, query: SearchQuery) -> SearchResults:
        terms = [t for t in query.terms if t not in STOP_WORDS] or query.terms
        if not terms:
            return SearchResults()
        where, params = filters(query)
        # Newest first needs no score: bm25 first counts, over the whole index,
        # the documents holding each word, a cost worth paying only to rank.
        # bm25 is lower for better matches: negated, higher is better.
        score = f"-bm25(search_fts, {WEIGHTS})" if query.order == "relevance" else "0"
        # CROSS JOIN makes SQLite read the full-text matches first (newest
        # first: FTS5 walks its index by rowid and stops after the LIMIT) and
        # look each one up in a covering index, never in the article rows.
        # One query gives the candidates, their count and whether there are more.
        with connection.cursor() as cursor:
            typing = len(terms[-1]) >= PREFIX_MIN and not _in_archive(cursor, terms[-1])
            match = match_expression(terms, prefix=typing)
            cursor.execute(
                # published_at as its stored text (it sorts as the datetime
                # does) spares converting a thousand datetimes per search.
                f"SELECT a.id, CAST(a.published_at AS TEXT), {score} FROM search_fts "
                f"CROSS JOIN articles_article a INDEXED BY {FILTER_INDEX} "
                "ON a.id = search_fts.rowid "
                f"WHERE search_fts MATCH %s AND {' AND '.join(where)} "
                "ORDER BY search_fts.rowid DESC LIMIT %s",
                [match, *params, CANDIDATES + 1],
            )
            rows = cursor.fetchall()
            if not rows:
                return SearchResults()
            page, total, more = page_of(rows, query)
            rows = _snippets(cursor, match, [row[0] for row in page])
        hits = cards(page, rows, published_at=_datetime)
        return SearchResults(hits, total, more)


def _datetime(stored: datetime | str) -> datetime:
    """A datetime column as Django stores it on SQLite: UTC without an offset
    (Django's converter has parsed it already when the column is declared
    "datetime")."""
    value = parse_datetime(stored) if isinstance(stored, str) else stored
    if value is None:
        raise ValueError(f"not a stored datetime: {stored!r}")
    return value.replace(tzinfo=UTC)


def _snippets(cursor, match: str, ids: list[int]) -> list[tuple]:
    """(id, snippet, *CARD_COLUMNS) of the rows of the page. snippet() runs on
    a scratch FTS5 table indexing just those rows (same tokenizer, same text,
    so the same snippet): on search_fts, every call would expand the query's
    prefix over the whole index and seek through long posting lists again. The
    scratch table reads its text through a view of search_searchdocument
    (external content), so its rows are not copied, and 'delete-all' empties
    it without tokenizing them again (about 1 ms less a search than a table
    with its own copy)."""
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(
        "CREATE TEMP VIEW IF NOT EXISTS search_snippet_text AS SELECT article_id, "
        "headline, standfirst, body_text, extra FROM main.search_searchdocument"
    )
    cursor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_snippets USING fts5("
        "headline, standfirst, body_text, extra, content='search_snippet_text', "
        f"content_rowid='article_id', tokenize='{TOKENIZE}')"
    )
    try:
        cursor.execute(
            "INSERT INTO temp.search_snippets"
            "(rowid, headline, standfirst, body_text, extra) "
            "SELECT article_id, headline, standfirst, body_text, extra "
            f"FROM search_searchdocument WHERE article_id IN ({marks})",
            ids,
        )
        cursor.execute(
            "SELECT s.rowid, snippet(search_snippets, -1, char(2), char(3), '…', 28), "
            f"{CARD_COLUMNS} FROM temp.search_snippets s "
            f"JOIN main.articles_article a ON a.id = s.rowid {CARD_JOIN} "
            "WHERE search_snippets MATCH %s",
            [match],
        )
        return cursor.fetchall()
    finally:
        cursor.execute(
            "INSERT INTO temp.search_snippets(search_snippets) VALUES('delete-all')"
        )
