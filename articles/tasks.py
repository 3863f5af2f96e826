from __future__ import annotations

from django.tasks import task

from articles.models import Article
from lib.pagecache import bump_generation


@task
def publish_due_articles() -> list[int]:
    """Publish every scheduled article whose time has come; return their ids."""
    from articles.services import announce  # services imports this module

    published = []
    for article in Article.objects.due():
        if article.publish_if_due():
            published.append(article.pk)
            announce(article)
    if published:
        bump_generation()
    return published
