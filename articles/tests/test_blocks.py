from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from articles import blocks, services
from articles.models import Article
from articles.tests.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


def _at(days_ago: float, **kwargs) -> Article:
    return ArticleFactory(
        published_at=timezone.now() - dt.timedelta(days=days_ago), **kwargs
    )


def test_top_this_week_shows_the_newest_five_of_the_last_seven_days():
    week = [_at(d) for d in (0.1, 1, 2, 3, 4, 5)]
    _at(9)  # too old
    ArticleFactory(status=Article.Status.DRAFT)
    top = blocks.top_this_week()
    assert top == week[:5]


def test_this_week_starts_at_midnight_in_the_site_time_zone():
    # 2025-07-10 02:00 in Karachi is 2025-07-09 21:00 UTC. The week is July 4..10
    # in Karachi, so an article from July 3, 20:00 UTC (July 4, 01:00 local) is in.
    inside = ArticleFactory(published_at=dt.datetime(2025, 7, 3, 20, 0, tzinfo=dt.UTC))
    outside = ArticleFactory(
        published_at=dt.datetime(2025, 7, 3, 18, 30, tzinfo=dt.UTC)
    )  # July 3, 23:30 local
    with time_machine.travel(dt.datetime(2025, 7, 9, 21, 0, tzinfo=dt.UTC), tick=False):
        with timezone.override("Asia/Karachi"):
            top = blocks.top_this_week()
        with timezone.override("UTC"):
            top_utc = blocks.top_this_week()
    assert inside in top and outside not in top
    # In UTC it is still July 9: the week is July 3..9 and both are in.
    assert inside in top_utc and outside in top_utc


def test_popular_articles_put_sticky_stories_first_and_skip_excluded_ones():
    recent = _at(1)
    sticky = _at(20, sticky=True)
    excluded = _at(0.5)
    _at(45)  # outside the 30 day window
    popular = blocks.popular_articles(exclude=[excluded.pk])
    assert popular == [sticky, recent]


def test_related_articles_prefer_shared_tags_then_the_same_category():
    naval, cyber = CategoryFactory(slug="naval"), CategoryFactory(slug="cyber")
    cable, baltic, misc = (
        TagFactory(slug="cable"),
        TagFactory(slug="baltic"),
        TagFactory(),
    )
    article = _at(0, category=naval, tags=[cable, baltic])
    two_tags = _at(5, category=cyber, tags=[cable, baltic])
    one_tag = _at(1, category=cyber, tags=[cable, misc])
    same_category = _at(2, category=naval, tags=[misc])
    _at(1, category=cyber, tags=[misc])  # unrelated
    _at(1, category=naval, status=Article.Status.DRAFT)
    page_article = Article.objects.for_page().get(pk=article.pk)
    assert blocks.related_articles(page_article) == [two_tags, one_tag, same_category]


def test_no_story_appears_twice_on_the_home_page():
    sections = [CategoryFactory(slug=f"s{i}", position=i) for i in range(3)]
    for i in range(40):
        _at(i * 0.1, category=sections[i % 3], sticky=(i == 7))
    home = services.home_page()
    shown = [home.lead.pk] + [a.pk for a in home.latest]
    for section in home.sections:
        shown += [a.pk for a in section.articles]
    shown += [a.pk for a in home.top_week] + [a.pk for a in home.popular]
    assert len(shown) == len(set(shown))
    assert home.lead.sticky
    assert len(home.latest) == services.LATEST_COUNT
    assert [s.category for s in home.sections] == sections
    assert home.top_week and home.popular
