"""Page assembly that spans several blocks."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from articles import blocks
from articles.models import Article, Category
from articles.tasks import publish_due_articles

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
    top_week = blocks.top_this_week(exclude=shown)
    shown.update(a.pk for a in top_week)
    popular = blocks.popular_articles(exclude=shown)
    shown.update(a.pk for a in popular)
    return HomePage(lead, latest, sections, top_week, popular)


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
    """A story was just published: email the subscribers who want every post."""
    if not apps.is_installed("subscriptions") or not article.is_live:
        return
    from subscriptions.tasks import fan_out

    transaction.on_commit(lambda: fan_out.enqueue(article.pk))
