from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from articles.tasks import publish_due_articles
from articles.tests.factories import ArticleFactory
from lib import pagecache

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
    url = published_article.get_absolute_url()
    client.get(url)
    pagecache.invalidate(pagecache.tag("article", published_article.slug))
    cache.add(pagecache.lock_key(url), 1, 30)  # another worker rebuilds it now
    response = client.get(url)
    assert response["X-Page-Cache"] == "stale"
    assert published_article.headline in response.content.decode()


def test_invalidating_one_page_leaves_the_others_cached(client, published_article):
    other = ArticleFactory.create()
    client.get(published_article.get_absolute_url())
    client.get(other.get_absolute_url())
    pagecache.invalidate(pagecache.tag("article", published_article.slug))
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(published_article.get_absolute_url())["X-Page-Cache"] == "miss"


def test_an_unpublished_article_leaves_no_copy_behind(client, published_article):
    url = published_article.get_absolute_url()
    client.get(url)
    published_article.status = Article.Status.DRAFT
    published_article.save()
    assert client.get(url).status_code == 404
    cache.add(pagecache.lock_key(url), 1, 30)  # a rebuild in flight
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


# -- Only the pages that show or list a story change --------------------------


def _cached(client, *urls: str) -> dict[str, str]:
    """Each page as the cache answers it now (after a first visit filled it)."""
    return {url: client.get(url)["X-Page-Cache"] for url in urls}


def test_publishing_a_story_outdates_the_lists_it_joins_and_no_other_page(
    client, category, author, published_article
):
    from articles.tests.factories import AuthorFactory, CategoryFactory, TagFactory

    other_section = CategoryFactory(name="Air Power", slug="air-power")
    elsewhere = ArticleFactory.create(category=other_section, author=AuthorFactory())
    radar = TagFactory(name="Radar", slug="radar")
    quiet_tag = TagFactory(name="Logistics", slug="logistics")
    urls = [
        "/",
        category.get_absolute_url(),
        other_section.get_absolute_url(),
        author.get_absolute_url(),
        radar.get_absolute_url(),
        quiet_tag.get_absolute_url(),
        published_article.get_absolute_url(),
        elsewhere.get_absolute_url(),
        "/feed/",
    ]
    _cached(client, *urls)
    assert set(_cached(client, *urls).values()) == {"hit"}

    fresh = ArticleFactory.create(
        category=category, author=author, headline="Harbour radar goes live"
    )
    fresh.tags.add(radar)
    day = timezone.localdate(fresh.published_at)
    date_url = f"/{day:%Y}/{day:%m}/"
    state = _cached(client, *urls, date_url)
    outdated = {u for u, s in state.items() if s != "hit"}
    assert outdated == {
        "/",
        category.get_absolute_url(),
        author.get_absolute_url(),
        radar.get_absolute_url(),
        "/feed/",
        date_url,  # first visit
    }
    for url in outdated - {date_url}:
        assert "Harbour radar goes live" in client.get(url).content.decode()


def test_editing_an_old_story_outdates_its_page_and_lists_but_not_the_home_page(
    client, category, author
):
    old = ArticleFactory.create(
        category=category,
        author=author,
        published_at=timezone.now() - dt.timedelta(days=400),
    )
    for _ in range(60):  # newer stories fill the home page, its section block
        ArticleFactory.create(category=category)  # and the feeds
    urls = ["/", "/feed/", old.get_absolute_url(), category.get_absolute_url()]
    _cached(client, *urls)
    old.headline = "Dockyard history, corrected"
    old.save()
    assert _cached(client, *urls) == {
        "/": "hit",
        "/feed/": "hit",
        old.get_absolute_url(): "miss",
        category.get_absolute_url(): "miss",
    }
    last_page = f"{category.get_absolute_url()}page/13/"  # 61 stories, 5 a page
    assert "Dockyard history, corrected" in client.get(last_page).content.decode()


def test_renaming_a_section_outdates_every_page(client, category, published_article):
    urls = ["/", published_article.get_absolute_url(), "/feed/"]
    _cached(client, *urls)
    category.name = "Maritime Security"
    category.save()
    assert set(_cached(client, *urls).values()) == {"miss"}
    assert "Maritime Security" in client.get("/").content.decode()


def test_a_lost_tag_version_never_serves_an_old_page(
    client, settings, published_article
):
    url = published_article.get_absolute_url()
    client.get(url)
    name = pagecache.tag("article", published_article.slug)
    if settings.PAGE_CACHE_TAGS_DIR:  # the embedded mode's tag files
        os.remove(pagecache._tag_file(str(settings.PAGE_CACHE_TAGS_DIR), name))
    else:  # evicted from Redis
        cache.delete(pagecache._tag_key(name))
    assert client.get(url)["X-Page-Cache"] == "miss"  # rebuilt, not trusted


# -- What a reverse proxy or CDN is told ---------------------------------------


def test_pages_tell_a_proxy_how_long_to_keep_them_and_what_they_show(
    client, settings, published_article
):
    settings.PROXY_CACHE_SECONDS = 10
    response = client.get(published_article.get_absolute_url())
    assert response["Cache-Control"] == (
        "public, max-age=0, s-maxage=10, stale-while-revalidate=10, "
        "stale-if-error=86400"
    )
    slug = published_article.slug
    assert response["Surrogate-Key"] == f"article:{slug} comments:{slug} site"
    assert not response.cookies
    hit = client.get(published_article.get_absolute_url())
    assert hit["Surrogate-Key"] == response["Surrogate-Key"]
    assert hit["Content-Security-Policy"] == response["Content-Security-Policy"]
    assert "Set-Cookie" not in hit


def test_staff_previews_and_query_strings_are_private(
    client, editor, published_article
):
    url = published_article.get_absolute_url()
    assert client.get(url, {"unapproved": "1"})["Cache-Control"] == "private, no-cache"
    client.force_login(editor)
    assert client.get(url)["Cache-Control"] == "private, no-cache"
    draft = ArticleFactory.create(status=Article.Status.DRAFT)
    preview = client.get(f"/preview/{draft.pk}/")
    assert "no-cache" in preview["Cache-Control"]
    assert "public" not in preview["Cache-Control"]


# -- The fast lane: hits answered before Django --------------------------------


def _through_asgi(**request):
    from django.core.handlers.wsgi import WSGIHandler

    from lib.testing import asgi_request
    from lib.threadedwsgi import ThreadedWSGI

    passed = []

    def django(environ, start_response):
        passed.append(environ["PATH_INFO"])
        return WSGIHandler()(environ, start_response)

    app = pagecache.with_page_cache(ThreadedWSGI(django, workers=1))
    messages = asgi_request(app, **request)
    headers = dict(messages[0]["headers"])
    body = b"".join(m.get("body", b"") for m in messages[1:])
    return messages[0]["status"], headers, body, passed


@pytest.mark.django_db(transaction=True)
def test_a_current_copy_is_answered_without_django_with_the_same_headers(
    site_settings, published_article
):
    url = published_article.get_absolute_url()
    status, first, body, passed = _through_asgi(path=url)
    assert (status, first[b"x-page-cache"], passed) == (200, b"miss", [url])
    status, again, cached_body, passed = _through_asgi(path=url)
    assert (status, again[b"x-page-cache"], passed) == (200, b"hit", [])
    assert cached_body == body
    for name in (b"content-security-policy", b"cache-control", b"content-type"):
        assert again[name] == first[name]
    assert again[b"content-length"] == str(len(body)).encode()
    _status, head, head_body, _passed = _through_asgi(path=url, method="HEAD")
    assert head[b"x-page-cache"] == b"hit" and head_body == b""


@pytest.mark.django_db(transaction=True)
def test_staff_query_strings_and_outdated_copies_go_to_django(
    site_settings, published_article
):
    url = published_article.get_absolute_url()
    _through_asgi(path=url)
    *_, passed = _through_asgi(path=url, headers={"cookie": "a=1; sessionid=x"})
    assert passed == [url]
    *_, passed = _through_asgi(path=url, query="unapproved=3")
    assert passed == [url]
    pagecache.invalidate(pagecache.tag("comments", published_article.slug))
    _status, headers, _body, passed = _through_asgi(path=url)
    assert passed == [url] and headers[b"x-page-cache"] == b"miss"


@pytest.mark.django_db(transaction=True)
def test_the_fast_lane_fills_in_the_current_live_blocks(site_settings):
    from audience import services as audience
    from audience.models import DailyReads

    today = timezone.localdate()
    a, b, c = (ArticleFactory.create(headline=f"Story {n}") for n in "ABC")
    DailyReads.objects.create(article=a, day=today, count=5)
    audience.refresh_rankings()
    for article in (a, b):
        _through_asgi(path=article.get_absolute_url())  # cached
    DailyReads.objects.create(article=c, day=today, count=50)
    assert audience.refresh_rankings()  # new lists: the blocks' HTML is gone
    *_, passed = _through_asgi(path=b.get_absolute_url())
    assert passed == [b.get_absolute_url()]  # rebuilt once, making new blocks
    _status, headers, body, passed = _through_asgi(path=a.get_absolute_url())
    assert passed == [] and headers[b"x-page-cache"] == b"hit"
    top = body.decode().split('class="top-week__list"')[1]
    assert top.index("Story C") < top.index("Story A")
    assert int(headers[b"content-length"]) == len(body)


def test_new_related_posts_outdate_the_pages_that_show_them(client, category, author):
    from audience import related

    old = ArticleFactory.create(
        category=category, author=author, headline="Frigate radar trials off the coast"
    )
    related.update_article(old.pk)
    client.get(old.get_absolute_url())
    assert client.get(old.get_absolute_url())["X-Page-Cache"] == "hit"
    new = ArticleFactory.create(
        category=category, author=author, headline="Frigate radar trials end early"
    )
    assert client.get(old.get_absolute_url())["X-Page-Cache"] == "hit"
    related.update_article(new.pk)  # the task a save enqueues
    assert client.get(old.get_absolute_url())["X-Page-Cache"] == "miss"


def test_an_approved_comment_updates_the_count_on_its_cards_too(
    client, category, published_article, django_capture_on_commit_callbacks
):
    from comments import services
    from comments.models import Comment
    from comments.tests.factories import CommentFactory

    other_section = ArticleFactory.create()
    urls = [category.get_absolute_url(), other_section.get_absolute_url()]
    _cached(client, *urls)
    comment = CommentFactory(article=published_article, status=Comment.Status.PENDING)
    assert _cached(client, *urls) == dict.fromkeys(urls, "hit")  # held: nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(comment, Comment.Status.APPROVED)
    state = _cached(client, *urls)
    assert state == {urls[0]: "miss", urls[1]: "hit"}
    assert "1 comment" in client.get(urls[0]).content.decode()


def test_a_request_reads_each_tag_once_and_sees_its_own_changes(client, monkeypatch):
    """Inside a request the page and its fragments share one reading of the
    tags' versions (with Redis, a round trip each time), while a change the
    request makes itself is seen at once."""
    calls: list[list[str]] = []
    read = pagecache._read_versions
    monkeypatch.setattr(
        pagecache, "_read_versions", lambda names: calls.append(names) or read(names)
    )
    ArticleFactory(headline="One reading of the versions")
    calls.clear()
    assert "One reading" in client.get("/").content.decode()
    asked = [name for names in calls for name in names]
    assert asked and len(asked) == len(set(asked))

    token = pagecache._seen.set({})
    try:
        before = pagecache.version(pagecache.FRONT)
        pagecache.invalidate(pagecache.FRONT)
        assert pagecache.version(pagecache.FRONT) != before
    finally:
        pagecache._seen.reset(token)
    assert pagecache.version(pagecache.FRONT) != before
