"""Cache purges when the navigation changes (infrastructure only)."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Category
from core.context_processors import NAV_CACHE_KEY


@receiver([post_save, post_delete], sender=Category)
def purge_navigation(**kwargs) -> None:
    cache.delete(NAV_CACHE_KEY)
