"""SQLite FTS5 with bm25 ranking (the embedded default)."""

from __future__ import annotations

from django.db import connection

from search.backends import (
    CANDIDATES,
    Hit,
    SearchQuery,
    SearchResults,
    filters,
    marked,
)

# bm25 column weights: headline, standfirst, body_text, extra (tags, authors).
WEIGHTS = "10.0, 4.0, 1.0, 4.0"
# Shorter prefixes ("no*") expand to too many words to be useful or fast.
PREFIX_MIN = 4


def match_expression(terms: list[str]) -> str:
    """Every word must match; the last one also as a prefix (typing "submar")."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    if len(terms[-1]) >= PREFIX_MIN:
        quoted[-1] += "*"
    return " ".join(quoted)


class SqliteBackend:
    def search(self, query: SearchQuery) -> SearchResults:
        terms = query.terms
        if not terms:
            return SearchResults()
        where, params = filters(query)
        where.insert(0, "search_fts MATCH %s")
        params.insert(0, match_expression(terms))
        conditions = " AND ".join(where)
        # CROSS JOIN makes SQLite read the full-text matches first and look up
        # their articles, instead of probing the index once per article.
        base = (
            "FROM search_fts CROSS JOIN articles_article a ON a.id = search_fts.rowid "
            f"WHERE {conditions}"
        )
        # The newest CANDIDATES matches (FTS5 walks its index by rowid, newest
        # first, and stops), ranked by bm25 or by date within them.
        candidates = (
            f"SELECT a.id AS id, a.published_at AS published_at, "
            f"bm25(search_fts, {WEIGHTS}) AS score {base} "
            "ORDER BY search_fts.rowid DESC LIMIT %s"
        )
        order = "score" if query.order == "relevance" else "published_at DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 {base} "
                "ORDER BY search_fts.rowid DESC LIMIT %s)",
                [*params, CANDIDATES + 1],
            )
            total = cursor.fetchone()[0]
            if not total:
                return SearchResults()
            cursor.execute(
                f"SELECT id, score FROM ({candidates}) "
                f"ORDER BY {order}, id DESC LIMIT %s OFFSET %s",
                [*params, CANDIDATES, query.limit, query.offset],
            )
            page = cursor.fetchall()
            # Snippets only for the rows of this page, not for every match.
            snippets = {}
            if page:
                marks = ", ".join(["%s"] * len(page))
                cursor.execute(
                    "SELECT rowid, snippet(search_fts, -1, char(2), char(3), '…', 28) "
                    f"FROM search_fts WHERE search_fts MATCH %s AND rowid IN ({marks})",
                    [params[0], *(pk for pk, _score in page)],
                )
                snippets = dict(cursor.fetchall())
        hits = [Hit(pk, -score, marked(snippets.get(pk, ""))) for pk, score in page]
        more = total > CANDIDATES
        return SearchResults(hits, min(total, CANDIDATES), more)
