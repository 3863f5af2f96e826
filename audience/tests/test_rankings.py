"""Top 5 This Week and Popular Articles: windows, order, ties, the periodic task
and the page cache."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory
from audience import services, tasks
from audience.models import DailyReads, RankedArticle
from audience.tests.conftest import CHROME
from reader import blocks

pytestmark = pytest.mark.django_db


def _article(days_ago: float = 1, **kwargs) -> Article:
    return ArticleFactory.create(
        published_at=timezone.now() - dt.timedelta(days=days_ago), **kwargs
    )


def _reads(article: Article, count: int, day: dt.date) -> None:
    DailyReads.objects.create(article=article, day=day, count=count)


def _top(name: str = "week", limit: int = 5) -> list[Article]:
    return services.ranked_articles(name, limit=limit)


def test_the_most_read_come_first_and_ties_go_to_the_newest():
    today = timezone.localdate()
    older, newer, most, least = (_article(d) for d in (5, 2, 6, 1))
    for article, n in ((older, 20), (newer, 20), (most, 35), (least, 3)):
        _reads(article, n, today)
    _reads(least, 4, today - dt.timedelta(days=1))  # days add up
    services.refresh_rankings()
    assert _top(limit=4) == [most, newer, older, least]
    assert list(
        RankedArticle.objects.filter(list="week").values_list("reads", flat=True)[:4]
    ) == [35, 20, 20, 7]


def test_many_more_read_drafts_do_not_push_live_articles_out_and_ties_hold():
    """Candidates are checked for being live a batch at a time: the live ones
    far down the most-read order, and a tie across the cut, come out right."""
    today = timezone.localdate()
    drafts = ArticleFactory.create_batch(110, status=Article.Status.DRAFT)
    DailyReads.objects.bulk_create(
        DailyReads(article=a, day=today, count=1000 + i) for i, a in enumerate(drafts)
    )
    first, tied_old, tied_new, last = (_article(d) for d in (4, 3, 1, 2))
    for article, n in ((first, 50), (tied_old, 40), (tied_new, 40), (last, 10)):
        _reads(article, n, today)
    assert services.ranked_since(today - dt.timedelta(days=6), today, length=2) == [
        (first.pk, 50),
        (tied_new.pk, 40),
    ]
    assert [pk for pk, _n in services.ranked_since(today, today, length=4)] == [
        first.pk, tied_new.pk, tied_old.pk, last.pk,
    ]  # fmt: skip


def test_unread_articles_fill_the_list_newest_first_after_the_read_ones():
    today = timezone.localdate()
    read = _article(9)
    _reads(read, 1, today)
    fresh, fresher = _article(2), _article(0.5)
    services.refresh_rankings()
    assert _top(limit=3) == [read, fresher, fresh]


def test_unpublished_scheduled_and_deleted_articles_never_appear():
    today = timezone.localdate()
    shown = _article(1)
    draft = _article(1)
    scheduled = ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    gone = _article(1)
    for article in (shown, draft, scheduled, gone):
        _reads(article, 10, today)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    services.refresh_rankings()
    gone.delete()
    assert _top() == [shown]
    # Unpublished after the refresh: hidden at once, not at the next refresh.
    Article.objects.filter(pk=shown.pk).update(status=Article.Status.DRAFT)
    assert _top() == []


def test_popular_uses_its_own_window(settings):
    today = timezone.localdate()
    week, month, too_old = _article(3), _article(25), _article(60)
    _reads(week, 10, today)
    _reads(month, 50, today - dt.timedelta(days=20))
    _reads(too_old, 99, today - dt.timedelta(days=40))
    services.refresh_rankings()
    assert _top("week", 1) == [week]
    assert _top("popular", 2) == [month, week]
    settings.AUDIENCE_POPULAR_DAYS = 60
    services.refresh_rankings()
    assert _top("popular", 1) == [too_old]


def test_this_week_is_seven_days_of_the_site_time_zone(site_settings):
    # 2025-07-09 21:00 UTC is 2025-07-10 02:00 in Karachi: its week is July 4..10,
    # while in UTC it is still July 9 and the week is July 3..9.
    site_settings.time_zone = "Asia/Karachi"
    site_settings.save()
    now = dt.datetime(2025, 7, 9, 21, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        july3, july4, july10 = (_article(1) for _ in range(3))
        _reads(july3, 50, dt.date(2025, 7, 3))
        _reads(july4, 5, dt.date(2025, 7, 4))
        _reads(july10, 3, dt.date(2025, 7, 10))
        services.refresh_rankings()
        karachi = RankedArticle.objects.filter(list="week", reads__gt=0)
        assert list(karachi.values_list("article", flat=True)) == [july4.pk, july10.pk]
        site_settings.time_zone = "UTC"
        site_settings.save()
        services.refresh_rankings()
        utc = RankedArticle.objects.filter(list="week", reads__gt=0)
        assert list(utc.values_list("article", flat=True)) == [july3.pk, july4.pk]


def test_a_read_late_in_the_evening_utc_counts_on_the_next_day_in_karachi(
    client, site_settings
):
    site_settings.time_zone = "Asia/Karachi"
    site_settings.save()
    with time_machine.travel(dt.datetime(2025, 7, 9, 20, 30, tzinfo=dt.UTC)):
        published_article = _article(1)
        client.post(
            "/audience/read/",
            f"id={published_article.pk}",
            content_type="application/x-www-form-urlencoded",
            HTTP_USER_AGENT=CHROME,
        )
        services.flush_reads()
    assert DailyReads.objects.get().day == dt.date(2025, 7, 10)


def test_new_rankings_reach_cached_pages_without_rebuilding_them(
    client, site_settings, django_capture_on_commit_callbacks
):
    """Top 5 and Popular are live blocks: a cached page keeps them apart and
    gets their current HTML at each hit. A change of the lists rebuilds one
    page (which makes the new blocks); the other pages stay cached and show
    the new lists."""
    today = timezone.localdate()
    a, b, c = _article(1), _article(2), _article(3)
    _reads(a, 5, today)
    _reads(b, 1, today)
    services.refresh_rankings()
    pages = [x.get_absolute_url() for x in (a, b, c)]
    for page in pages:
        assert client.get(page)["X-Page-Cache"] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        assert not services.refresh_rankings()  # nothing changed
    assert [client.get(page)["X-Page-Cache"] for page in pages] == ["hit"] * 3
    DailyReads.objects.filter(article=c).update(count=0)
    _reads(c, 9, today)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.refresh_rankings()
    assert blocks.top_this_week(limit=3) == [c, a, b]
    assert client.get(pages[0])["X-Page-Cache"] == "miss"  # makes the new blocks
    for page in pages[1:]:
        response = client.get(page)
        assert response["X-Page-Cache"] == "hit"
        top = response.content.decode().split('class="top-week__list"')[1]
        assert top.index(c.headline) < top.index(a.headline) < top.index(b.headline)


def test_a_page_view_costs_one_query_per_list(django_assert_num_queries):
    _reads(_article(1), 3, timezone.localdate())
    services.refresh_rankings()
    with django_assert_num_queries(1):
        blocks.top_this_week(exclude=[1, 2, 3])
    with django_assert_num_queries(1):
        blocks.popular_articles()


def test_the_periodic_task_flushes_and_ranks_once_however_often_it_is_started(
    client, published_article
):
    client.post(
        "/audience/read/",
        f"id={published_article.pk}",
        content_type="application/x-www-form-urlencoded",
        HTTP_USER_AGENT=CHROME,
    )
    first = tasks.tick.call()
    assert first["flush"]["counted"] == 1
    assert first["rankings_changed"] is True
    assert tasks.tick.call() == {"skipped": True}  # another start: not due yet
    assert _top() == [published_article]
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        again = tasks.tick.call()
    assert again["flush"]["received"] == 0
    assert "rankings_changed" not in again  # rankings are due every 5 minutes


def test_the_tick_command_flushes_and_ranks_now(client, published_article):
    import io

    from django.core.management import call_command

    client.post(
        "/audience/read/",
        f"id={published_article.pk}",
        content_type="application/x-www-form-urlencoded",
        HTTP_USER_AGENT=CHROME,
    )
    out = io.StringIO()
    call_command("audience_tick", stdout=out)
    assert "Flushed 1 reads (1 counted" in out.getvalue()
    assert _top(limit=1) == [published_article]
