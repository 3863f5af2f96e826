"""One query function per block of the article and home pages.

The page templates never query; each block's inclusion tag calls one function
here. Later capabilities (audience signals, comments) replace the data source of
a block by changing its function, not the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone

from articles.models import Article

TOP_WEEK_DAYS = 7
POPULAR_DAYS = 30


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
    """Articles sharing the most tags with `article`, then its category, newest
    first. Uses the article's prefetched tags, so it costs one query."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    qs = (
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(Q(tags__in=tag_ids) | Q(category_id=article.category_id))
        .for_listing()
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .order_by("-shared", "-published_at", "-pk")
    )
    return list(qs[:limit])
