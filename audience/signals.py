"""Keep Related Posts in step with content (infrastructure, like the search
index): an article saved or re-tagged, or an editor's pin or exclusion, gets
its list recomputed by a task after commit."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import Article
from audience.models import RelatedChoice
from audience.tasks import update_related


def _later(article_id: int) -> None:
    transaction.on_commit(lambda: update_related.enqueue(article_id))


@receiver(post_save, sender=Article)
def article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if not raw:
        _later(instance.pk)


@receiver(m2m_changed, sender=Article.tags.through)
def article_tags_changed(sender, instance, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(
        instance, Article
    ):
        _later(instance.pk)


@receiver([post_save, post_delete], sender=RelatedChoice)
def choice_changed(sender, instance: RelatedChoice, raw: bool = False, **kwargs):
    if not raw:
        _later(instance.article_id)
