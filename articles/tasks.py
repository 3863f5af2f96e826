from __future__ import annotations

from django.tasks import task

from articles.models import Article
from articles.signals import article_published
from lib.pagecache import bump_generation


@task
def publish_due_articles() -> list[int]:
    """Publish every scheduled article whose time has come; return their ids.
    Each one is announced (`article_published`) once its row is updated."""
    published = []
    for article in Article.objects.due():
        if article.publish_if_due():
            published.append(article.pk)
            article_published.send(sender=Article, article_id=article.pk)
    if published:
        bump_generation()
    return published
