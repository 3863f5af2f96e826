"""PostgreSQL full-text search: weighted tsvector, GIN index, ts_rank_cd."""

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
from search.backends.sqlite import PREFIX_MIN

HEADLINE_OPTIONS = (
    "StartSel=\x02, StopSel=\x03, MaxWords=40, MinWords=20, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)


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
        where, params = filters(query)
        conditions = " AND ".join(["d.vector @@ q.query", *where])
        base = (
            "FROM search_searchdocument d "
            "JOIN articles_article a ON a.id = d.article_id, "
            "to_tsquery('english', %s) AS q(query) "
            f"WHERE {conditions}"
        )
        params = [tsquery_text(terms), *params]
        # The newest CANDIDATES matches, ranked by ts_rank_cd or date within them.
        candidates = (
            "SELECT a.id AS id, a.published_at AS published_at, "
            f"ts_rank_cd(d.vector, q.query, 32) AS score {base} "
            "ORDER BY a.id DESC LIMIT %s"
        )
        order = "score DESC" if query.order == "relevance" else "published_at DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 {base} ORDER BY a.id DESC LIMIT %s) c",
                [*params, CANDIDATES + 1],
            )
            total = cursor.fetchone()[0]
            if not total:
                return SearchResults()
            cursor.execute(
                f"SELECT id, score FROM ({candidates}) c "
                f"ORDER BY {order}, id DESC LIMIT %s OFFSET %s",
                [*params, CANDIDATES, query.limit, query.offset],
            )
            page = cursor.fetchall()
            snippets = {}
            if page:
                # Snippets only for the rows of this page.
                cursor.execute(
                    "SELECT d.article_id, ts_headline('english', "
                    "coalesce(nullif(d.body_text, ''), d.headline), "
                    "to_tsquery('english', %s), %s) "
                    "FROM search_searchdocument d WHERE d.article_id = ANY(%s)",
                    [params[0], HEADLINE_OPTIONS, [pk for pk, _score in page]],
                )
                snippets = dict(cursor.fetchall())
        hits = [
            Hit(pk, float(score), marked(snippets.get(pk, ""))) for pk, score in page
        ]
        more = total > CANDIDATES
        return SearchResults(hits, min(total, CANDIDATES), more)
