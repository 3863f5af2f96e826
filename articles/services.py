"""Workflows on content that other layers call: scheduling, announcing a
publication, and the header's list of sections."""

from __future__ import annotations

from typing import Any, TypedDict

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Article, Author, Category
from articles.signals import article_published
from articles.tasks import publish_due_articles
from lib.pagecache import tag

#: The header's sections, cached (purged by articles.signals when a section
#: changes) and read with the site's settings in one round trip
#: (core.middleware.PREFETCHED, extended in ArticlesConfig.ready()).
NAV_CACHE_KEY = "articles:nav-sections:v1"


class NavSection(TypedDict):
    name: str
    url: str


def nav_sections(cached: list[NavSection] | None = None) -> list[NavSection]:
    """The main sections for the header: name and address of each top-level
    section, from the cache (`cached`: as the middleware read it already)."""
    nav = cache.get(NAV_CACHE_KEY) if cached is None else cached
    if nav is None:
        nav = [
            NavSection(name=c.name, url=c.get_absolute_url())
            for c in Category.objects.filter(parent__isnull=True)
        ]
        cache.set(NAV_CACHE_KEY, nav, 600)
    return nav


def schedule_publication(article: Article) -> None:
    """Make sure a scheduled article is published at its time: a deferred task
    runs at `published_at` (at once if the backend cannot defer)."""
    if article.status != Article.Status.SCHEDULED or article.published_at is None:
        return
    task = publish_due_articles
    if task.get_backend().supports_defer:
        task = task.using(run_after=article.published_at)
    transaction.on_commit(task.enqueue)


def announce(article: Article) -> None:
    """A story was just published: tell the apps that act on it
    (`articles.signals.article_published`, sent after commit)."""
    if not article.is_live:
        return
    article_id = article.pk
    transaction.on_commit(
        lambda: article_published.send(sender=Article, article_id=article_id)
    )


def purge_navigation(**kwargs: Any) -> None:
    cache.delete(NAV_CACHE_KEY)


def connect_cache_purges() -> None:
    """Keep the header's sections current (infrastructure only; called by
    ArticlesConfig.ready()). Cached pages: reader/signals.py."""
    post_save.connect(purge_navigation, sender=Category, dispatch_uid="nav-save")
    post_delete.connect(purge_navigation, sender=Category, dispatch_uid="nav-del")


# Page-cache tags of the content's public addresses, from the URL's arguments
# (lib.pagecache.cached_page): the reader pages and the feeds of the same
# thing carry the same tags, which reader/signals.py bumps.


#: The public corrections page: bumped by a note saved or deleted, and by a
#: change to a story that has notes (its headline and link are listed).
CORRECTIONS = tag("corrections", "all")


def corrections_tags(**_: str) -> list[str]:
    return [CORRECTIONS]


def article_page_tags(slug: str, **_: str) -> list[str]:
    """An article's page (and comments feed) shows it and its discussion."""
    return [tag("article", slug), tag("comments", slug)]


def section_tags(path: str, **_: str) -> list[str]:
    return [tag("section", path.rsplit("/", 1)[-1])]


def tag_tags(slug: str, **_: str) -> list[str]:
    return [tag("tag", slug)]


def author_tags(slug: str, **_: str) -> list[str]:
    return [tag("author", slug)]


def date_tags(
    year: str, month: str | None = None, day: str | None = None, **_: str
) -> list[str]:
    return [tag("date", "-".join(part for part in (year, month, day) if part))]


def images_used_in(image_id: int) -> list[tuple[str, str]]:
    """Where the media library's image is shown: stories (lead image or body)
    and authors' photos, with their admin addresses (at most 50 of each)."""
    found = [
        (
            f"{_('Story')}: {headline}",
            reverse("admin:articles_article_change", args=[pk]),
        )
        for pk, headline in Article.objects.showing_image(image_id)
        .order_by("-pk")
        .values_list("pk", "headline")[:50]
    ]
    found += [
        (f"{_('Author')}: {name}", reverse("admin:articles_author_change", args=[pk]))
        for pk, name in Author.objects.filter(photo_id=image_id).values_list(
            "pk", "display_name"
        )[:50]
    ]
    return found
