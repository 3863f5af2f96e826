"""One query function per block of the article and home pages.

The page templates never query; each block's inclusion tag calls one function
here. Later capabilities (audience signals, comments) replace the data source of
a block by changing its function, not the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count
from django.utils import timezone

from articles.models import Article

TOP_WEEK_DAYS = 7
POPULAR_DAYS = 30
RELATED_CANDIDATES = 60


def start_of_trailing_days(days: int) -> dt.datetime:
    """Midnight, in the current (site) time zone, `days - 1` days before today."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    return dt.datetime.combine(
        first, dt.time.min, tzinfo=timezone.get_current_timezone()
    )


def top_this_week(*, limit: int = 5, exclude: Iterable[int] = ()) -> list[Article]:
    """Top 5 This Week. Until read counts exist, the newest of the last 7 days."""
    qs = (
        Article.objects.published()
        .since(start_of_trailing_days(TOP_WEEK_DAYS))
        .exclude(pk__in=list(exclude))
        .for_listing()
        .newest_first()
    )
    return list(qs[:limit])


def popular_articles(*, limit: int = 5, exclude: Iterable[int] = ()) -> list[Article]:
    """Popular Articles over a longer window. Until read counts exist: the sticky
    stories first, then the newest of the last 30 days not shown elsewhere."""
    qs = (
        Article.objects.published()
        .since(start_of_trailing_days(POPULAR_DAYS))
        .exclude(pk__in=list(exclude))
        .for_listing()
        .order_by("-sticky", "-published_at", "-pk")
    )
    return list(qs[:limit])


def related_articles(article: Article, *, limit: int = 4) -> list[Article]:
    """Articles sharing the most tags with `article`, newest first among equals,
    topped up with the newest of its category. Uses the prefetched tags; at most
    four small queries (the tag counts come from the tag index alone)."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    live = Article.objects.published().exclude(pk=article.pk).for_listing()
    related: list[Article] = []
    if tag_ids:
        shared = dict(
            Article.tags.through.objects.filter(tag_id__in=tag_ids)
            .exclude(article_id=article.pk)
            .values("article_id")
            .annotate(n=Count("tag_id"))
            .order_by("-n", "-article_id")
            .values_list("article_id", "n")[:RELATED_CANDIDATES]
        )
        ranked = sorted(
            live.filter(pk__in=list(shared)).values_list("pk", "published_at"),
            key=lambda row: (shared[row[0]], row[1]),
            reverse=True,
        )[:limit]
        found = live.in_bulk([pk for pk, _published in ranked])
        related = [found[pk] for pk, _published in ranked]
    if len(related) < limit:
        more = (
            live.filter(category_id=article.category_id)
            .exclude(pk__in=[a.pk for a in related])
            .newest_first()
        )
        related += list(more[: limit - len(related)])
    return related
