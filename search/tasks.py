from __future__ import annotations

from django.tasks import task

from search import services


@task
def reindex_articles(article_ids: list[int]) -> int:
    """Rewrite many documents (a renamed author, tag or category) off the request."""
    return services.index_articles(article_ids)
