"""PostgreSQL full-text search: weighted tsvector, GIN index, ts_rank_cd."""

from __future__ import annotations

from django.db import connection

from search.backends import Hit, SearchQuery, SearchResults, filters, marked
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
        order = "score DESC" if query.order == "relevance" else "published_at DESC"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", params)
            total = cursor.fetchone()[0]
            if not total:
                return SearchResults()
            # Rank and page first; make snippets only for the page's rows.
            cursor.execute(
                "SELECT page.id, page.score, ts_headline('english', "
                "coalesce(nullif(d.body_text, ''), d.headline), q.query, %s) "
                "FROM (SELECT a.id, a.published_at, "
                "ts_rank_cd(d.vector, q.query, 32) AS score, q.query AS query "
                f"{base} ORDER BY {order}, a.id DESC LIMIT %s OFFSET %s) AS page "
                "JOIN search_searchdocument d ON d.article_id = page.id, "
                "LATERAL (SELECT page.query) AS q(query) "
                f"ORDER BY {order.replace('published_at', 'page.published_at')}, "
                "page.id DESC",
                [HEADLINE_OPTIONS, *params, query.limit, query.offset],
            )
            rows = cursor.fetchall()
        hits = [Hit(pk, float(score), marked(snippet)) for pk, score, snippet in rows]
        return SearchResults(hits, total)
