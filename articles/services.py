"""Page assembly that spans several blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from articles import blocks
from articles.models import Article, Category

LATEST_COUNT = 6
SECTION_COUNT = 4


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
    shown: set[int] = field(default_factory=set)


def main_categories() -> list[Category]:
    return list(Category.objects.filter(parent__isnull=True))


def home_page() -> HomePage:
    """Build the home page so that no story appears in two blocks."""
    published = Article.objects.published().for_listing()
    lead = published.order_by("-sticky", "-published_at", "-pk").first()
    shown: set[int] = {lead.pk} if lead else set()
    latest = list(published.exclude(pk__in=shown).newest_first()[:LATEST_COUNT])
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
    top_week = blocks.top_this_week(exclude=shown)
    shown.update(a.pk for a in top_week)
    popular = blocks.popular_articles(exclude=shown)
    shown.update(a.pk for a in popular)
    return HomePage(lead, latest, sections, top_week, popular, shown)
