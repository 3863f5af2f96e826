from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    TagFactory,
)
from audience.related import rebuild as rebuild_related
from audience.services import refresh_rankings
from comments.tests.factories import CommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]


def test_the_article_page_shows_every_block_in_the_reference_order(
    client, published_article, author
):
    ArticleFactory.create_batch(6, category=published_article.category)
    # The three lists are precomputed by the audience app's tasks.
    refresh_rankings()
    rebuild_related()
    response = client.get(published_article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    order = [
        'class="date-bar"',
        "Top 5 This Week",
        "Related Posts",
        published_article.headline,
        "Discover more from Frontline Test Desk",
        "Subscribe to get the latest posts sent to your email",
        'class="block author-box"',
        "Special Correspondent in Lahore",
        "Leave a reply",
        "Popular Articles",
    ]
    body_start = html.index("<body")
    positions = [html.index(marker, body_start) for marker in order]
    assert positions == sorted(positions)
    assert f'href="{author.get_absolute_url()}"' in html
    assert 'name="body" rows="6" required' in html


def test_the_date_bar_shows_today_in_full_in_the_site_time_zone(client, site_settings):
    site_settings.time_zone = "Asia/Karachi"
    site_settings.save()
    # 19:30 UTC on Thursday July 3rd is 00:30 on Friday July 4th in Karachi.
    with time_machine.travel(dt.datetime(2025, 7, 3, 19, 30, tzinfo=dt.UTC)):
        html = client.get("/").content.decode()
    assert "Friday, July 4, 2025" in html


def test_the_date_bar_in_utc_is_still_the_day_before(client):
    with time_machine.travel(dt.datetime(2025, 7, 3, 19, 30, tzinfo=dt.UTC)):
        html = client.get("/").content.decode()
    assert "Thursday, July 3, 2025" in html


def test_a_wrong_date_in_the_permalink_redirects_to_the_right_one(
    client, published_article
):
    response = client.get(f"/2001/01/01/{published_article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == published_article.get_absolute_url()


def test_drafts_are_not_found_by_readers_but_editors_can_preview(client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert client.get(f"/2025/01/01/{draft.slug}/").status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 302  # to login
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this article is draft" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_article_html_is_escaped_and_sanitised(client, category, author):
    article = ArticleFactory(
        headline='<script>alert("x")</script> Frigates',
        standfirst="<img src=x onerror=alert(1)>",
        body="<p>Fine</p><script>alert(2)</script>",
        category=category,
        author=author,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Frigates" in html
    assert "<img src=x onerror" not in html
    assert "alert(2)" not in html


def test_the_article_page_query_count_does_not_grow_with_tags_or_related(
    client, django_assert_max_num_queries, category, author, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the page itself, not the cache

    def make(n: int) -> Article:
        tags = [TagFactory() for _ in range(n)]
        article = ArticleFactory.create(category=category, author=author, tags=tags)
        coauthors = [AuthorFactory.create() for _ in range(n)]
        article.coauthors.add(*coauthors)
        for _ in range(n):
            ArticleFactory(category=category, tags=tags[:2])
        for i in range(n):
            root = CommentFactory(article=article)
            CommentFactory(article=article, parent=root, body=f"Reply {i}")
        return article

    small, large = make(1), make(15)
    client.get(small.get_absolute_url())  # settings and menus are cached from here
    with django_assert_max_num_queries(12):
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(large.get_absolute_url()).status_code == 200


def test_the_home_page_uses_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    for i in range(8):
        ArticleFactory.create_batch(5, category=CategoryFactory(slug=f"sec-{i}"))
    with django_assert_max_num_queries(20):
        response = client.get("/")
    assert response.status_code == 200
    assert "Latest stories" in response.content.decode()


def test_category_archives_paginate_wordpress_style(client, category):
    for i in range(12):
        ArticleFactory(
            category=category, published_at=timezone.now() - dt.timedelta(hours=i)
        )
    first = client.get("/category/naval-affairs/")
    assert first.status_code == 200
    assert len(first.context["cards"]) == 5
    assert 'href="/category/naval-affairs/page/2/"' in first.content.decode()
    third = client.get("/category/naval-affairs/page/3/")
    assert len(third.context["cards"]) == 2
    assert client.get("/category/naval-affairs/page/4/").status_code == 404
    assert client.get("/category/naval-affairs/page/1/").status_code == 301


def test_nested_category_urls_resolve_and_wrong_parents_redirect(client):
    land = CategoryFactory(slug="land", name="Land")
    armour = CategoryFactory(slug="armour", name="Armour", parent=land)
    ArticleFactory(category=armour, headline="Tank upgrade approved")
    response = client.get("/category/land/armour/")
    assert "Tank upgrade approved" in response.content.decode()
    assert "Tank upgrade approved" in client.get("/category/land/").content.decode()
    assert client.get("/category/armour/")["Location"] == "/category/land/armour/"


def test_tag_and_author_archives_list_their_articles(client, author):
    tag = TagFactory(slug="baltic", name="Baltic")
    tagged = ArticleFactory(tags=[tag], author=author)
    ArticleFactory(headline="Unrelated story")
    tag_html = client.get("/tag/baltic/").content.decode()
    assert tagged.headline in tag_html and "Unrelated story" not in tag_html
    author_html = client.get("/author/amina-rauf/").content.decode()
    assert tagged.headline in author_html
    assert "Special Correspondent in Lahore" in author_html


def test_date_archives_use_the_site_time_zone(client, site_settings):
    site_settings.time_zone = "Asia/Karachi"
    site_settings.save()
    article = ArticleFactory(
        published_at=dt.datetime(2025, 7, 3, 20, 0, tzinfo=dt.UTC)  # July 4 local
    )
    assert article.headline in client.get("/2025/07/04/").content.decode()
    assert article.headline not in client.get("/2025/07/03/").content.decode()
    assert article.headline in client.get("/2025/07/").content.decode()
    assert article.headline in client.get("/2025/").content.decode()
    assert client.get(f"/2025/07/04/{article.slug}/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/2025/02/30/",
        "/2025/13/",
        "/category/nope/",
        "/tag/nope/",
        "/author/nope/",
        "/2025/07/04/no-such-article/",
        "/page/99999/",
        "/category/" + "a/" * 200,
    ],
)
def test_bad_addresses_get_the_branded_not_found_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_the_latest_archive_continues_the_home_page(client):
    ArticleFactory.create_batch(7)
    response = client.get("/page/2/")
    assert response.status_code == 200
    assert len(response.context["cards"]) == 2
    assert client.get("/page/1/")["Location"] == "/"


def test_a_server_error_shows_the_branded_page_without_a_trace(rf):
    from core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    # It does not promise what a failed request cannot know.
    assert "it may not have been saved: please check" in body
    assert "Traceback" not in body


def test_pages_carry_a_content_security_policy_and_no_csrf_token(
    client, published_article
):
    response = client.get(published_article.get_absolute_url())
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "csrftoken" not in response.cookies
    assert 'name="csrfmiddlewaretoken" value=""' in response.content.decode()


def test_the_csrf_endpoint_hands_out_a_token(client):
    response = client.get("/csrf/")
    assert response.status_code == 200
    assert len(response.json()["token"]) >= 32
    assert "no-cache" in response["Cache-Control"]


def test_reader_pages_refuse_posts_without_changing_anything(client, published_article):
    before = Article.objects.count()
    response = client.post(published_article.get_absolute_url(), {"body": "x" * 10000})
    assert response.status_code in (403, 405)
    assert Article.objects.count() == before


def test_a_huge_query_string_is_ignored(client, published_article):
    response = client.get(published_article.get_absolute_url() + "?q=" + "A" * 50000)
    assert response.status_code == 200


def test_an_author_archive_counts_own_and_co_written_stories_once(client, author):
    """Pages of an author: their own stories and those they co-wrote, each
    once, also when they are listed as their own story's co-author."""
    now = timezone.now()
    own = [
        ArticleFactory(author=author, published_at=now - dt.timedelta(hours=i))
        for i in range(4)
    ]
    own[0].coauthors.add(author)  # listed twice on one story
    for i in range(2):
        other = ArticleFactory(published_at=now - dt.timedelta(hours=10 + i))
        other.coauthors.add(author)
    ArticleFactory(status=Article.Status.DRAFT, author=author)  # not shown
    url = author.get_absolute_url()
    first = client.get(url)
    assert len(first.context["cards"]) == 5  # posts_per_page
    assert first.context["page_obj"].paginator.count == 6
    assert len(client.get(f"{url}page/2/").context["cards"]) == 1
    assert client.get(f"{url}page/3/").status_code == 404


# -- An archive's subject (section, tag, author), kept per process -------------


def test_an_archive_follows_its_subject_renamed_moved_or_deleted(client, settings):
    """Each process keeps the archives' subjects it found, for the version of
    SITE: with the page cache off, only that could serve an old name."""
    settings.PAGE_CACHE_SECONDS = 0
    sea = CategoryFactory(name="Sea", slug="sea")
    drones = TagFactory(name="Drones", slug="drones")
    writer = AuthorFactory(display_name="Ines Varga", slug="ines-varga")
    ArticleFactory(category=sea, author=writer, tags=[drones])
    pages = ("/category/sea/", "/tag/drones/", "/author/ines-varga/")
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]

    sea.name, drones.name, writer.display_name = "Naval", "UAVs", "Ines Varga-Ross"
    for subject in (sea, drones, writer):
        subject.save()
    titles = [client.get(url).content.decode() for url in pages]
    assert "<h1" in titles[0] and ">Naval<" in titles[0]
    assert ">UAVs<" in titles[1] and ">Drones<" not in titles[1]
    assert "Ines Varga-Ross" in titles[2]

    sea.slug = "naval"
    sea.save()
    assert client.get("/category/sea/").status_code == 404
    assert client.get("/category/naval/").status_code == 200
    drones.delete()
    assert client.get("/tag/drones/").status_code == 404


def test_a_story_saved_live_with_a_time_to_come_joins_the_home_page_in_time(
    client, settings
):
    """No signal marks the moment its time comes: the home page's lists, kept
    by the versions of what they show, are read again within a minute."""
    settings.PAGE_CACHE_SECONDS = 0
    ArticleFactory(headline="Already out")
    start = timezone.now()
    ArticleFactory(
        headline="Embargoed budget story", published_at=start + dt.timedelta(seconds=30)
    )
    with time_machine.travel(start, tick=False):
        assert "Embargoed budget story" not in client.get("/").content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=20), tick=False):
        assert "Embargoed budget story" not in client.get("/").content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=95), tick=False):
        assert "Embargoed budget story" in client.get("/").content.decode()
