"""Keep the search index in step with content (infrastructure only)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Author, Category, Tag
from search import services
from search.forms import CHOICES_KEY
from search.tasks import reindex_articles


def _later(ids) -> None:
    """One article: index it after commit. Many: leave it to the task worker."""
    ids = list(ids)
    if len(ids) == 1:
        transaction.on_commit(lambda: services.index_articles(ids))
    elif ids:
        transaction.on_commit(lambda: reindex_articles.enqueue(ids))


@receiver(post_save, sender=Article)
def article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if not raw:
        _later([instance.pk])


@receiver(m2m_changed, sender=Article.tags.through)
@receiver(m2m_changed, sender=Article.coauthors.through)
def article_links_changed(sender, instance, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(
        instance, Article
    ):
        _later([instance.pk])


@receiver(post_save, sender=Author)
def author_renamed(sender, instance: Author, raw: bool = False, **kwargs) -> None:
    if not raw and instance.pk:
        _later(Article.objects.by_author(instance).values_list("pk", flat=True))


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance: Tag, raw: bool = False, **kwargs) -> None:
    if not raw:
        _later(instance.articles.values_list("pk", flat=True))


@receiver(post_save, sender=Category)
def category_renamed(sender, instance: Category, raw: bool = False, **kwargs) -> None:
    if not raw:
        _later(instance.articles.values_list("pk", flat=True))


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def filter_choices_changed(sender, **kwargs) -> None:
    """The search form lists sections and authors from the cache."""
    cache.delete(CHOICES_KEY)
