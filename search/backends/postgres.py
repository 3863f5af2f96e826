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
#: Below this share of matching articles in the ids searched so far, an
#: unfiltered search reads the next window through the GIN index (`_window`).
SPARSE = 0.1


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
    """(id, published_at as a number, score) of the newest CANDIDATES + 1
    matches, newest first; the score (ts_rank_cd) only when ranking.

    Searched in windows of article ids from the newest down: first the newest
    FIRST_WINDOW ids, then a window sized from the share of matches seen so far
    to hold the rest. Without windows, a word in a few percent of articles
    walked tens of thousands of rows, or a GIN scan read a heap row for every
    match in the archive. Each candidate is ranked in the statement that finds
    it, while its row is at hand, not looked up again by id."""
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
    # Only the article's own state filters it: a window's share of matches
    # then says how common the words are.
    unfiltered = not (
        query.category_ids or query.author_id or query.date_from or query.date_to
    )
    score = (
        "ts_rank_cd(d.vector, to_tsquery('english', %s), 32)"
        if query.order == "relevance"
        else "%s::real"
    )
    score_param = text if query.order == "relevance" else 0.0
    window = _Window(cursor, text, score, score_param, where, params)
    width, searched, found = FIRST_WINDOW, 0, []
    while upper > 0 and len(found) <= CANDIDATES:
        lower = max(upper - width, 0)
        sparse = unfiltered and searched > 0 and len(found) < SPARSE * searched
        limit = CANDIDATES + 1 - len(found)
        found.extend(
            window.by_index(lower, upper, limit)
            if sparse
            else window.by_walk(lower, upper, limit)
        )
        searched += upper - lower
        upper = lower
        need = CANDIDATES + 1 - len(found)
        # Size the next window to hold what is missing, with a margin.
        width = int(need * searched / len(found) * 1.25) if found else width * WIDEN
    return found


class _Window:
    """The newest matches with ids in (lower, upper], two ways.

    Where matches are dense, walking the ids newest first and testing each
    vector stops early; the planner picks that, or the GIN index, for the
    window. Where they are sparse, the walk reads and unpacks thousands of
    vectors that do not match (40 ms for a word in 6 % of articles) while the
    GIN index alone, its bitmap ANDed with the id range, finds the few rows
    (about 10 ms); the planner prices testing a vector as almost free and
    walks, so `by_index` turns plain index scans off for that one statement."""

    def __init__(self, cursor, text, score, score_param, where, params):
        self.cursor, self.text = cursor, text
        self.score, self.score_param = score, score_param
        self.where, self.params = where, params

    def by_walk(self, lower: int, upper: int, limit: int) -> list[tuple]:
        self.cursor.execute(
            # published_at as microseconds since 1970: sorts the same, and
            # spares making a thousand time-zone-aware datetimes per search.
            "SELECT a.id, (extract(epoch FROM a.published_at) * 1000000)::bigint, "
            f"{self.score} FROM search_searchdocument d "
            "JOIN articles_article a ON a.id = d.article_id "
            "WHERE d.vector @@ to_tsquery('english', %s) "
            "AND d.article_id > %s AND d.article_id <= %s "
            f"AND {' AND '.join(self.where)} ORDER BY a.id DESC LIMIT %s",
            [self.score_param, self.text, lower, upper, *self.params, limit],
        )
        return self.cursor.fetchall()

    def by_index(self, lower: int, upper: int, limit: int) -> list[tuple]:
        cursor = self.cursor
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(
            f"SELECT d.article_id, {self.score} FROM search_searchdocument d "
            "WHERE d.vector @@ to_tsquery('english', %s) "
            "AND d.article_id > %s AND d.article_id <= %s",
            [self.score_param, self.text, lower, upper],
        )
        scores = dict(cursor.fetchall())
        cursor.execute("SET LOCAL enable_indexscan = on")
        if not scores:
            return []
        cursor.execute(
            "SELECT a.id, (extract(epoch FROM a.published_at) * 1000000)::bigint "
            f"FROM articles_article a WHERE a.id = ANY(%s) "
            f"AND {' AND '.join(self.where)} ORDER BY a.id DESC LIMIT %s",
            [list(scores), *self.params, limit],
        )
        return [(pk, published, scores[pk]) for pk, published in cursor.fetchall()]
