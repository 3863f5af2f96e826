"""PostgreSQL full-text search: weighted tsvector, GIN index, ts_rank_cd."""

from __future__ import annotations

from django.db import connection, transaction

from search.backends import (
    CANDIDATES,
    Hit,
    SearchQuery,
    SearchResults,
    filters,
    marked,
    page_of,
)
from search.backends.sqlite import PREFIX_MIN

HEADLINE_OPTIONS = (
    "StartSel=\x02, StopSel=\x03, MaxWords=40, MinWords=20, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)
#: How many of the newest article ids are searched first, and how much wider
#: the next window is when nothing matched yet (see `_candidates`).
FIRST_WINDOW = 2000
WIDEN = 8


def tsquery_text(terms: list[str]) -> str:
    """Every word must match; the last one also as a prefix. Words are \\w+ only,
    quoted as lexemes, so nothing a reader types is query syntax."""
    quoted = ["'" + t.replace("'", "''") + "'" for t in terms]
    if len(terms[-1]) >= PREFIX_MIN:
        quoted[-1] += ":*"
    return " & ".join(quoted)


class PostgresBackend:
    def search(self, query: SearchQuery) -> SearchResults:
        terms = query.terms
        if not terms:
            return SearchResults()
        text = tsquery_text(terms)
        # One transaction, so that SET LOCAL lasts for this search only.
        with transaction.atomic(), connection.cursor() as cursor:
            # A parallel worker costs more to start than these short scans
            # take, and a busy web server has no idle core to give it.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            rows = _candidates(cursor, text, query)
            if not rows:
                return SearchResults()
            scores = {}
            if query.order == "relevance":
                # Rank the candidates only (each vector is read once, here).
                cursor.execute(
                    "SELECT article_id, "
                    "ts_rank_cd(vector, to_tsquery('english', %s), 32) "
                    "FROM search_searchdocument WHERE article_id = ANY(%s)",
                    [text, [pk for pk, _published in rows[:CANDIDATES]]],
                )
                scores = dict(cursor.fetchall())
            rows = [(pk, published, scores.get(pk, 0.0)) for pk, published in rows]
            page, total, more = page_of(
                rows, query, score=lambda row: row[2], published=lambda row: row[1]
            )
            snippets = {}
            if page:
                # Snippets only for the rows of this page.
                cursor.execute(
                    "SELECT d.article_id, ts_headline('english', "
                    "coalesce(nullif(d.body_text, ''), d.headline), "
                    "to_tsquery('english', %s), %s) "
                    "FROM search_searchdocument d WHERE d.article_id = ANY(%s)",
                    [text, HEADLINE_OPTIONS, [row[0] for row in page]],
                )
                snippets = dict(cursor.fetchall())
        hits = [
            Hit(pk, float(score), marked(snippets.get(pk, "")))
            for pk, _published, score in page
        ]
        return SearchResults(hits, total, more)


def _candidates(cursor, text: str, query: SearchQuery) -> list[tuple]:
    """(id, published_at as a number) of the newest CANDIDATES + 1 matches,
    newest first.

    Searched in windows of article ids from the newest down: first the newest
    FIRST_WINDOW ids, then a window sized from the share of matches seen so far
    to hold the rest. In a window the planner can choose well: for a common
    word, walk the ids testing each (inline) vector and stop early; for a rare
    one, the GIN index and only the matching rows. Without windows, a word in
    a few percent of articles walked tens of thousands of rows, or a GIN scan
    read a heap row for every match in the archive."""
    # An English stop word alone ("the") leaves an empty query: no matches.
    cursor.execute(
        "SELECT numnode(to_tsquery('english', %s)), "
        "(SELECT max(article_id) FROM search_searchdocument)",
        [text],
    )
    nodes, upper = cursor.fetchone()
    if not nodes or not upper:
        return []
    where, params = filters(query)
    sql = (
        # published_at as microseconds since 1970: sorts the same, and spares
        # making a thousand time-zone-aware datetimes per search.
        "SELECT a.id, (extract(epoch FROM a.published_at) * 1000000)::bigint "
        "FROM search_searchdocument d "
        "JOIN articles_article a ON a.id = d.article_id "
        "WHERE d.vector @@ to_tsquery('english', %s) "
        "AND d.article_id > %s AND d.article_id <= %s "
        f"AND {' AND '.join(where)} ORDER BY a.id DESC LIMIT %s"
    )
    width, searched, found = FIRST_WINDOW, 0, []
    while upper > 0 and len(found) <= CANDIDATES:
        lower = max(upper - width, 0)
        cursor.execute(sql, [text, lower, upper, *params, CANDIDATES + 1 - len(found)])
        found.extend(cursor.fetchall())
        searched += upper - lower
        upper = lower
        need = CANDIDATES + 1 - len(found)
        # Size the next window to hold what is missing, with a margin.
        width = int(need * searched / len(found) * 1.25) if found else width * WIDEN
    return found
