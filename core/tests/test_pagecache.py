from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.tasks import publish_due_articles
from articles.tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]


def test_a_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, published_article, django_assert_num_queries
):
    url = published_article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert published_article.headline in response.content.decode()
    assert "public" in response["Cache-Control"]


def test_a_new_article_shows_on_the_home_page_at_once(client, published_article):
    client.get("/")
    ArticleFactory(headline="Fresh report from the harbour")
    assert "Fresh report from the harbour" in client.get("/").content.decode()


def test_an_edit_shows_at_once(client, published_article):
    client.get(published_article.get_absolute_url())
    published_article.headline = "Corrected headline"
    published_article.save()
    html = client.get(published_article.get_absolute_url()).content.decode()
    assert "Corrected headline" in html


def test_a_scheduled_article_published_by_the_task_shows_at_once(client):
    client.get("/")
    ArticleFactory(
        headline="Embargo lifted on the patrol report",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert "Embargo lifted" not in client.get("/").content.decode()
    publish_due_articles.call()
    assert "Embargo lifted" in client.get("/").content.decode()


def test_the_date_bar_turns_over_at_midnight_even_when_cached(client):
    with time_machine.travel(dt.datetime(2025, 7, 3, 23, 59, tzinfo=dt.UTC)):
        assert "Thursday, July 3, 2025" in client.get("/").content.decode()
    with time_machine.travel(dt.datetime(2025, 7, 4, 0, 1, tzinfo=dt.UTC)):
        assert "Friday, July 4, 2025" in client.get("/").content.decode()


def test_logged_in_editors_and_query_strings_skip_the_cache(
    client, editor, published_article
):
    client.get("/")
    assert client.get("/?utm_source=mail").get("X-Page-Cache") is None
    client.force_login(editor)
    assert client.get("/").get("X-Page-Cache") is None


def test_not_found_pages_are_not_cached(client):
    client.get("/tag/nope/")
    assert client.get("/tag/nope/").get("X-Page-Cache") is None


def test_while_one_request_rebuilds_a_page_others_get_the_last_copy(
    client, published_article
):
    from django.core.cache import cache

    from lib import pagecache

    url = published_article.get_absolute_url()
    client.get(url)
    pagecache.purge(url)
    # Another worker is rebuilding this page right now.
    cache.add(f"pagecache:lock:{pagecache._key(url)}", 1, 30)
    response = client.get(url)
    assert response["X-Page-Cache"] == "stale"
    assert published_article.headline in response.content.decode()


def test_purging_one_page_leaves_the_others_cached(client, published_article):
    from lib import pagecache

    other = ArticleFactory()
    client.get(published_article.get_absolute_url())
    client.get(other.get_absolute_url())
    pagecache.purge(published_article.get_absolute_url())
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(published_article.get_absolute_url())["X-Page-Cache"] == "miss"


def test_an_unpublished_article_leaves_no_copy_behind(client, published_article):
    from django.core.cache import cache

    from lib import pagecache

    url = published_article.get_absolute_url()
    client.get(url)
    published_article.status = Article.Status.DRAFT
    published_article.save()
    assert client.get(url).status_code == 404
    cache.add(f"pagecache:lock:{pagecache._key(url)}", 1, 30)  # a rebuild in flight
    assert client.get(url).status_code == 404  # not the old copy


def test_a_new_comment_purges_its_article_page_only(
    client, published_article, django_capture_on_commit_callbacks
):
    from comments import services
    from comments.models import Comment
    from comments.tests.factories import CommentFactory

    other = ArticleFactory()
    client.get(published_article.get_absolute_url())
    client.get(other.get_absolute_url())
    comment = CommentFactory(
        article=published_article, status=Comment.Status.PENDING, body="Fresh remark"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(comment, Comment.Status.APPROVED)
    page = client.get(published_article.get_absolute_url())
    assert "Fresh remark" in page.content.decode()
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
