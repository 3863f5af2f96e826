from __future__ import annotations

from django.tasks import task

from search import services


@task
def reindex_articles(article_ids: list[int]) -> int:
    """Rewrite many documents (a renamed author, tag or category) off the request."""
    return services.index_articles(article_ids)


@task
def refresh_search_statistics() -> int:
    """The word counts of the newest articles that size PostgreSQL's search
    windows (search.backends.postgres.refresh_recent_shares); nothing to do on
    SQLite."""
    from search.backends import postgres

    return postgres.refresh_recent_shares()
