"""One function per block of the article and home pages, and the home page's
assembly.

The page templates never query; the views call these. Each block's data comes
from the app that owns it (Top 5, Popular and Related from audience); this
module is where they meet the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from articles.models import Article, Category
from audience.related import related_articles as stored_related
from audience.services import ranked_articles

LATEST_COUNT = 6
SECTION_COUNT = 4


def top_this_week(*, limit: int = 5, exclude: Iterable[int] = ()) -> list[Article]:
    """Top 5 This Week: the most-read live articles of the trailing seven days
    in the site's time zone, newest first among equals. Precomputed by the
    audience app's periodic task; one query here."""
    return ranked_articles("week", limit=limit, exclude=list(exclude))


def popular_articles(*, limit: int = 5, exclude: Iterable[int] = ()) -> list[Article]:
    """Popular Articles: the most-read over AUDIENCE_POPULAR_DAYS (30), the same
    way."""
    return ranked_articles("popular", limit=limit, exclude=list(exclude))


def related_articles(article: Article, *, limit: int = 4) -> list[Article]:
    """Related Posts by content (TF-IDF, editors' pins and exclusions), computed
    by a task when the article changes; one query here."""
    return stored_related(article, limit=limit)


@dataclass
class HomeSection:
    category: Category
    articles: list[Article]


@dataclass
class HomePage:
    lead: Article | None
    latest: list[Article]
    sections: list[HomeSection]
    top_week: list[Article]
    popular: list[Article]


def main_categories() -> list[Category]:
    return list(Category.objects.filter(parent__isnull=True))


def home_page() -> HomePage:
    """Build the home page so that no story appears in two blocks."""
    published = Article.objects.published().for_listing()
    lead = published.filter(sticky=True).order_by("-published_at").first()
    newest = list(published.newest_first()[: LATEST_COUNT + 1])
    lead = lead or (newest[0] if newest else None)
    shown: set[int] = {lead.pk} if lead else set()
    latest = [a for a in newest if a.pk not in shown][:LATEST_COUNT]
    shown.update(a.pk for a in latest)
    sections = []
    tree = Category.tree()
    for category in main_categories():
        items = list(
            published.in_category(category, tree)
            .exclude(pk__in=shown)
            .newest_first()[:SECTION_COUNT]
        )
        if items:
            sections.append(HomeSection(category, items))
            shown.update(a.pk for a in items)
    top_week = top_this_week(exclude=shown)
    shown.update(a.pk for a in top_week)
    popular = popular_articles(exclude=shown)
    shown.update(a.pk for a in popular)
    return HomePage(lead, latest, sections, top_week, popular)
