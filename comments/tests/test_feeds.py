from __future__ import annotations

import calendar
import datetime as dt

import feedparser  # type: ignore[import-untyped]
import pytest
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory
from comments import services
from comments.models import Comment
from comments.tests.factories import CommentFactory
from lib.testing import PUBLIC_URL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_site")]

SITE_URL = PUBLIC_URL


def feed_url(article: Article) -> str:
    return article.get_absolute_url() + "feed/"


def fetch(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return response, parsed


def test_the_comments_feed_lists_approved_comments_newest_first(
    client, published_article
):
    now = timezone.now()
    older = CommentFactory(
        article=published_article,
        author_name="Jonas Weber",
        body="The map in the second paragraph is out of date.",
        created_at=now - dt.timedelta(minutes=30),
    )
    newer = CommentFactory(
        article=published_article,
        author_name="Sara Malik",
        body="See https://example.org/report for the figures.",
        created_at=now - dt.timedelta(minutes=5),
    )
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH):
        CommentFactory(
            article=published_article, status=status, body=f"Hidden {status}"
        )
    CommentFactory(body="On another story")

    response, parsed = fetch(client, feed_url(published_article))

    assert response["Content-Type"].startswith("application/rss+xml")
    page = SITE_URL + published_article.get_absolute_url()
    assert parsed.feed.title == f"Comments on: {published_article.headline}"
    assert parsed.feed.link == page
    assert [e.title for e in parsed.entries] == ["By: Sara Malik", "By: Jonas Weber"]
    assert [e.link for e in parsed.entries] == [
        f"{page}#comment-{newer.pk}",
        f"{page}#comment-{older.pk}",
    ]
    assert [e.author for e in parsed.entries] == ["Sara Malik", "Jonas Weber"]
    assert (
        parsed.entries[0].id
        == f"{SITE_URL}/?p={published_article.pk}#comment-{newer.pk}"
    )
    published = dt.datetime.fromtimestamp(
        calendar.timegm(parsed.entries[1].published_parsed), tz=dt.UTC
    )
    assert published == older.created_at.replace(microsecond=0)
    assert 'rel="nofollow ugc noopener"' in parsed.entries[0].summary
    assert "Hidden" not in response.content.decode()
    assert "another story" not in response.content.decode()


def test_an_article_without_comments_has_an_empty_valid_feed(client, published_article):
    _response, parsed = fetch(client, feed_url(published_article))
    assert parsed.entries == []


def test_comment_text_cannot_inject_markup_into_the_feed(client, published_article):
    CommentFactory(
        article=published_article,
        author_name="<b>Mallory</b>",
        body='<script>alert(1)</script><img src=x onerror="alert(2)">',
    )
    response, parsed = fetch(client, feed_url(published_article))
    assert b"<script" not in response.content
    assert b"&lt;script" not in response.content  # no live tag once unescaped
    assert "<script" not in parsed.entries[0].summary
    assert parsed.entries[0].title == "By: <b>Mallory</b>"


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.PENDING, Article.Status.SCHEDULED]
)
def test_an_unpublished_article_has_no_comments_feed(client, status):
    article = ArticleFactory(
        slug="not-yet",
        status=status,
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    CommentFactory(article=article)
    day = timezone.localtime(article.published_at)
    response = client.get(f"/{day:%Y/%m/%d}/not-yet/feed/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_an_unknown_article_feed_is_the_branded_404(client):
    response = client.get("/2025/07/04/no-such-story/feed/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_a_comments_feed_with_the_wrong_date_redirects(client, published_article):
    response = client.get(f"/1999/01/01/{published_article.slug}/feed/")
    assert response.status_code == 301
    assert response["Location"] == feed_url(published_article)


def test_hostile_query_strings_do_not_crash_the_comments_feed(
    client, published_article
):
    for query in ("?page=abc", "?cpage=-1", "?paged=%00&x[]=1"):
        assert client.get(feed_url(published_article) + query).status_code == 200


def test_the_comments_feed_is_cached_and_shows_an_approved_comment_at_once(
    client, published_article, django_capture_on_commit_callbacks
):
    url = feed_url(published_article)
    other = ArticleFactory()
    client.get(url)
    client.get(feed_url(other))
    assert client.get(url)["X-Page-Cache"] == "hit"
    comment = CommentFactory(
        article=published_article, status=Comment.Status.PENDING, body="Now approved"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(comment, Comment.Status.APPROVED)
    response, parsed = fetch(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert len(parsed.entries) == 1
    assert "Now approved" in parsed.entries[0].summary
    assert client.get(feed_url(other))["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(comment, Comment.Status.TRASH)
    assert fetch(client, url)[1].entries == []


def test_the_comments_feed_takes_a_bounded_number_of_queries(
    client, published_article, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    CommentFactory.create_batch(2, article=published_article)
    client.get(feed_url(published_article))  # the site settings are cached now
    with django_assert_max_num_queries(3) as few:
        client.get(feed_url(published_article))
    CommentFactory.create_batch(30, article=published_article)
    with django_assert_max_num_queries(3) as many:
        response = client.get(feed_url(published_article))
    assert len(many) == len(few)
    assert len(feedparser.parse(response.content).entries) == 20
