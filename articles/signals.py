"""Cache purges when content changes (infrastructure only)."""

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Author, Category, Tag
from core.context_processors import NAV_CACHE_KEY
from core.models import SiteSettings
from lib.pagecache import bump_generation


@receiver([post_save, post_delete], sender=Category)
def purge_navigation(**kwargs) -> None:
    cache.delete(NAV_CACHE_KEY)


for model in (Article, Author, Category, Tag, SiteSettings):
    post_save.connect(bump_generation, sender=model, dispatch_uid=f"pc-save-{model}")
    post_delete.connect(bump_generation, sender=model, dispatch_uid=f"pc-del-{model}")
for through in (Article.tags.through, Article.coauthors.through):
    m2m_changed.connect(bump_generation, sender=through, dispatch_uid=f"pc-{through}")
