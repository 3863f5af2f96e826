from __future__ import annotations

from django.tasks import task

from articles.models import Article
from articles.signals import article_published


@task
def publish_due_articles() -> list[int]:
    """Publish every scheduled article whose time has come; return their ids.
    Each one is announced (`article_published`) once its row is updated: the
    reader's cached pages and the subscribers' mail follow from there."""
    published = []
    for article in Article.objects.due():
        if article.publish_if_due():
            published.append(article.pk)
            article_published.send(sender=Article, article_id=article.pk)
    return published
