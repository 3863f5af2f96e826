"""The block functions of the article and home pages read the audience app's
precomputed lists (ranking rules themselves: audience/tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, CategoryFactory, TagFactory
from audience.models import DailyReads, RelatedChoice
from audience.related import rebuild as rebuild_related
from audience.services import refresh_rankings
from reader import blocks

pytestmark = pytest.mark.django_db


def _at(days_ago: float, **kwargs) -> Article:
    return ArticleFactory.create(
        published_at=timezone.now() - dt.timedelta(days=days_ago), **kwargs
    )


def _reads(article: Article, count: int, days_ago: int = 0) -> None:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    DailyReads.objects.create(article=article, day=day, count=count)


def test_top_this_week_is_the_most_read_of_the_week_not_the_newest():
    old_hit, fresh, quiet = _at(20), _at(0.1), _at(1)
    _reads(old_hit, 50)
    _reads(fresh, 10)
    _reads(quiet, 200, days_ago=9)  # read a lot, but not this week
    refresh_rankings()
    top = blocks.top_this_week(limit=3)
    assert top[:2] == [old_hit, fresh]
    assert blocks.top_this_week(limit=1, exclude=[old_hit.pk]) == [fresh]


def test_popular_articles_count_thirty_days_and_hide_unpublished_ones():
    month_hit, week_hit, hidden = _at(40), _at(2), _at(3)
    _reads(month_hit, 90, days_ago=20)
    _reads(week_hit, 30)
    _reads(hidden, 500)
    refresh_rankings()
    Article.objects.filter(pk=hidden.pk).update(status=Article.Status.DRAFT)
    assert blocks.popular_articles(limit=2) == [month_hit, week_hit]


def test_related_articles_come_from_the_stored_list_in_one_query(
    django_assert_num_queries,
):
    naval, cyber = CategoryFactory(slug="naval"), CategoryFactory(slug="cyber")
    cable = TagFactory(slug="gotland-cable-incident")
    article = _at(0, category=naval, tags=[cable], headline="Cable cut off Gotland")
    same_story = _at(2, category=naval, tags=[cable], headline="Gotland cable repair")
    pinned = _at(3, category=cyber, headline="Ransomware hits a shipyard")
    RelatedChoice.objects.create(
        article=article, other=pinned, kind=RelatedChoice.Kind.PIN
    )
    rebuild_related()
    with django_assert_num_queries(1):
        related = blocks.related_articles(article)
    assert related[:2] == [pinned, same_story]


def test_no_story_appears_twice_on_the_home_page():
    sections = [CategoryFactory(slug=f"s{i}", position=i) for i in range(3)]
    for i in range(40):
        article = _at(i * 0.1, category=sections[i % 3], sticky=(i == 7))
        _reads(article, 40 - i)
    refresh_rankings()
    home = blocks.home_page()
    shown = [home.lead.pk] + [a.pk for a in home.latest]
    for section in home.sections:
        shown += [a.pk for a in section.articles]
    shown += [a.pk for a in home.top_week] + [a.pk for a in home.popular]
    assert len(shown) == len(set(shown))
    assert Article.objects.get(pk=home.lead.pk).sticky
    assert len(home.latest) == blocks.LATEST_COUNT
    assert [s.category for s in home.sections] == sections
    assert home.top_week and home.popular
