"""One query function per block of the article and home pages.

The page templates never query; each block's inclusion tag calls one function
here. Later capabilities (audience signals, comments) replace the data source of
a block by changing its function, not the page: Top 5, Popular and Related come
from the audience app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from articles.models import Article

TOP_WEEK_DAYS = 7


def start_of_trailing_days(days: int) -> dt.datetime:
    """Midnight, in the current (site) time zone, `days - 1` days before today."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    return dt.datetime.combine(
        first, dt.time.min, tzinfo=timezone.get_current_timezone()
    )


def top_this_week(*, limit: int = 5, exclude: Iterable[int] = ()) -> list[Article]:
    """Top 5 This Week: the most-read live articles of the trailing seven days
    in the site's time zone, newest first among equals. Precomputed by the
    audience app's periodic task; one query here."""
    from audience.services import ranked_articles

    return ranked_articles("week", limit=limit, exclude=list(exclude))


def popular_articles(*, limit: int = 5, exclude: Iterable[int] = ()) -> list[Article]:
    """Popular Articles: the most-read over AUDIENCE_POPULAR_DAYS (30), the same
    way."""
    from audience.services import ranked_articles

    return ranked_articles("popular", limit=limit, exclude=list(exclude))


def related_articles(article: Article, *, limit: int = 4) -> list[Article]:
    """Related Posts by content (TF-IDF, editors' pins and exclusions), computed
    by a task when the article changes; one query here."""
    from audience.related import related_articles as stored

    return stored(article, limit=limit)
