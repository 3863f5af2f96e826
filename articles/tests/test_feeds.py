from __future__ import annotations

import calendar
import datetime as dt

import feedparser  # type: ignore[import-untyped]
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Category
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    TagFactory,
)
from lib.testing import PUBLIC_URL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_site")]

SITE_URL = PUBLIC_URL


def fetch(client, url: str, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return response, parsed


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


def as_utc(struct) -> dt.datetime:
    return dt.datetime.fromtimestamp(calendar.timegm(struct), tz=dt.UTC)


def test_the_site_feed_is_rss_with_absolute_links_dates_authors_and_categories(
    client, published_article, category, author
):
    tag = TagFactory(name="Frigates", slug="frigates")
    co_author = AuthorFactory(display_name="Jonas Weber", slug="jonas-weber")
    published_article.tags.add(tag)
    published_article.coauthors.add(co_author)
    published_article.refresh_from_db()

    response, parsed = fetch(client, "/feed/")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Frontline Test Desk"
    assert parsed.feed.link == f"{SITE_URL}/"
    [entry] = parsed.entries
    assert entry.title == published_article.headline
    assert entry.link == SITE_URL + published_article.get_absolute_url()
    assert entry.id == f"{SITE_URL}/?p={published_article.pk}"
    assert entry.author == "Amina Rauf, Jonas Weber"
    assert [t.term for t in entry.tags] == ["Naval Affairs", "Frigates"]
    published = as_utc(entry.published_parsed)
    assert published == published_article.published_at.replace(microsecond=0)
    assert entry.comments == entry.link + "#comments"


def test_the_atom_feed_carries_published_and_updated_dates(client, published_article):
    response, parsed = fetch(client, "/feed/atom/")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Frontline Test Desk"
    [entry] = parsed.entries
    assert entry.link == SITE_URL + published_article.get_absolute_url()
    assert entry.author == "Amina Rauf"
    assert entry.author_detail.href == f"{SITE_URL}/author/amina-rauf/"
    assert as_utc(entry.published_parsed) == published_article.published_at.replace(
        microsecond=0
    )
    # Not changed in substance since: updated when published.
    assert entry.updated_parsed == entry.published_parsed
    assert {link.rel: link.href for link in parsed.feed.links}["self"] == (
        f"{SITE_URL}/feed/atom/"
    )


def test_addresses_come_from_site_url_not_from_the_host_header(
    client, published_article, settings
):
    settings.ALLOWED_HOSTS = ["evil.example.com"]
    response, parsed = fetch(client, "/feed/", HTTP_HOST="evil.example.com")
    assert b"evil.example.com" not in response.content
    assert parsed.entries[0].link.startswith(SITE_URL + "/")


def test_drafts_pending_and_scheduled_articles_never_appear(client, published_article):
    for status in (Article.Status.DRAFT, Article.Status.PENDING):
        ArticleFactory(headline=f"Unpublished {status}", status=status)
    ArticleFactory(
        headline="Embargoed until tomorrow",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    ArticleFactory(
        headline="Published but dated in the future",
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    for url in ("/feed/", "/feed/atom/", "/category/naval-affairs/feed/"):
        _response, parsed = fetch(client, url)
        assert titles(parsed) == [published_article.headline]


def test_the_feed_lists_the_twenty_newest_articles_newest_first(client):
    now = timezone.now()
    articles = [
        ArticleFactory(published_at=now - dt.timedelta(hours=hours))
        for hours in range(1, 26)
    ]
    _response, parsed = fetch(client, "/feed/")
    assert titles(parsed) == [a.headline for a in articles[:20]]


def test_the_feed_gives_the_standfirst_by_default(client, published_article):
    _response, parsed = fetch(client, "/feed/")
    assert parsed.entries[0].summary == published_article.standfirst
    assert "comparing two designs" not in parsed.entries[0].summary


def test_without_a_standfirst_the_summary_is_an_excerpt_of_the_body(client):
    ArticleFactory(standfirst="", body="<p>Only <b>the</b> body tells it.</p>")
    _response, parsed = fetch(client, "/feed/")
    assert parsed.entries[0].summary == "Only the body tells it."


def test_the_feed_gives_the_sanitised_body_when_full_text_is_on(client, site_settings):
    site_settings.feed_full_text = True
    site_settings.save()
    ArticleFactory(
        body='<p>First <a href="https://example.org/">link</a>.</p>'
        "<script>alert(1)</script><p>Second.</p>"
    )
    response, parsed = fetch(client, "/feed/")
    summary = parsed.entries[0].summary
    assert '<a href="https://example.org/"' in summary
    assert "<p>Second.</p>" in summary
    assert b"<script" not in response.content
    assert b"&lt;script" not in response.content


def test_headlines_with_markup_characters_stay_text(client):
    ArticleFactory(headline='Tanks & <drones> at the "border"')
    for url in ("/feed/", "/feed/atom/"):
        _response, parsed = fetch(client, url)
        assert titles(parsed) == ['Tanks & <drones> at the "border"']


def test_permalinks_in_the_feed_use_the_site_time_zone(client, site_settings):
    site_settings.time_zone = "Asia/Karachi"
    site_settings.save()
    ArticleFactory(
        slug="late-night-report",
        published_at=dt.datetime(2025, 7, 3, 20, 0, tzinfo=dt.UTC),  # 01:00 on 4th
    )
    _response, parsed = fetch(client, "/feed/")
    assert parsed.entries[0].link == f"{SITE_URL}/2025/07/04/late-night-report/"


def test_a_category_feed_holds_its_stories_and_its_subcategories_stories(client):
    land = CategoryFactory(name="Land", slug="land")
    armour = CategoryFactory(name="Armour", slug="armour", parent=land)
    ArticleFactory(headline="Tank upgrade approved", category=armour)
    ArticleFactory(headline="Army reform bill", category=land)
    ArticleFactory(headline="Frigate sea trials")

    _response, parsed = fetch(client, "/category/land/armour/feed/")
    assert parsed.feed.title == "Frontline Test Desk » Armour"
    assert parsed.feed.link == f"{SITE_URL}/category/land/armour/"
    assert titles(parsed) == ["Tank upgrade approved"]

    _response, parsed = fetch(client, "/category/land/feed/")
    assert sorted(titles(parsed)) == ["Army reform bill", "Tank upgrade approved"]


def test_a_subcategory_feed_without_its_parent_redirects(client):
    land = CategoryFactory(name="Land", slug="land")
    CategoryFactory(name="Armour", slug="armour", parent=land)
    response = client.get("/category/armour/feed/")
    assert response.status_code == 301
    assert response["Location"] == "/category/land/armour/feed/"


def test_the_category_archive_is_still_served_next_to_its_feed(client):
    land = CategoryFactory(name="Land", slug="land")
    CategoryFactory(name="Armour", slug="armour", parent=land)
    assert client.get("/category/land/armour/").status_code == 200
    assert client.get("/category/land/armour/page/2/").status_code == 404


def test_a_tag_feed_holds_the_tagged_stories(client, published_article):
    tag = TagFactory(name="Submarines", slug="submarines")
    ArticleFactory(headline="New boats ordered", tags=[tag])
    _response, parsed = fetch(client, "/tag/submarines/feed/")
    assert parsed.feed.title == "Frontline Test Desk » Submarines"
    assert parsed.feed.link == f"{SITE_URL}/tag/submarines/"
    assert titles(parsed) == ["New boats ordered"]


def test_an_author_feed_holds_their_stories_and_those_they_co_wrote(
    client, published_article, author
):
    other = ArticleFactory(headline="Joint reporting from the port")
    other.coauthors.add(author)
    ArticleFactory(headline="Someone else's story")
    _response, parsed = fetch(client, "/author/amina-rauf/feed/")
    assert parsed.feed.title == "Frontline Test Desk » Amina Rauf"
    assert sorted(titles(parsed)) == sorted(
        [published_article.headline, "Joint reporting from the port"]
    )


@pytest.mark.parametrize(
    "url",
    [
        "/category/no-such-section/feed/",
        "/category/land/no-such-child/feed/",
        "/tag/no-such-tag/feed/",
        "/author/nobody/feed/",
    ],
)
def test_an_unknown_archive_feed_is_the_branded_404(client, url):
    CategoryFactory(name="Land", slug="land")
    response = client.get(url)
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/feed/?page=abc",
        "/feed/?paged=-1&cat[]=1",
        "/feed/atom/?p=%00",
        "/tag/%F0%9F%92%A3/feed/",
        "/category/" + "a/" * 200 + "feed/",
        "/feed/rss2/",
    ],
)
def test_hostile_feed_addresses_do_not_crash(client, published_article, url):
    response = client.get(url)
    assert response.status_code in (200, 404)


def test_feeds_refuse_to_be_posted_to(client):
    assert client.post("/feed/").status_code == 405


def test_a_feed_is_served_from_the_cache_the_second_time(
    client, published_article, django_assert_num_queries
):
    first = client.get("/feed/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/feed/")
    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Type"].startswith("application/rss+xml")
    assert second.content == first.content
    assert feedparser.parse(second.content).bozo == 0


@pytest.mark.parametrize(
    "url",
    [
        "/feed/",
        "/feed/atom/",
        "/category/naval-affairs/feed/",
        "/author/amina-rauf/feed/",
    ],
)
def test_a_newly_published_article_appears_in_cached_feeds_at_once(
    client, published_article, category, author, url
):
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    ArticleFactory(
        headline="Breaking: harbour closed", category=category, author=author
    )
    _response, parsed = fetch(client, url)
    assert "Breaking: harbour closed" in titles(parsed)


def test_a_scheduled_article_appears_in_the_feed_when_the_task_publishes_it(
    client, published_article
):
    from articles.tasks import publish_due_articles

    ArticleFactory(
        headline="Embargo lifted",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert "Embargo lifted" not in titles(fetch(client, "/feed/")[1])
    publish_due_articles.call()
    assert "Embargo lifted" in titles(fetch(client, "/feed/")[1])


def _many_articles(count: int, category, author) -> None:
    tags = [TagFactory() for _ in range(3)]
    co_author = AuthorFactory.create()
    for _ in range(count):
        article = ArticleFactory.create(category=category, author=author, tags=tags)
        article.coauthors.add(co_author)


@pytest.mark.parametrize("full_text", [False, True])
@pytest.mark.parametrize(
    "url", ["/feed/", "/feed/atom/", "/category/naval-affairs/feed/"]
)
def test_feeds_take_a_bounded_number_of_queries_whatever_the_number_of_items(
    client,
    site_settings,
    category,
    author,
    django_assert_max_num_queries,
    settings,
    url,
    full_text,
):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0  # every item rendered each time
    site_settings.feed_full_text = full_text
    site_settings.save()
    _many_articles(2, category, author)
    client.get(url)  # the site settings are cached from now on
    # 8: the items' correction notes come in one query.
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    _many_articles(25, category, author)
    with django_assert_max_num_queries(8) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert len(feedparser.parse(response.content).entries) == 20


def test_the_site_feeds_are_announced_on_the_home_page(client, published_article):
    html = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" '
        'title="Frontline Test Desk &raquo; Feed" href="/feed/">'
    ) in html
    assert 'type="application/atom+xml"' in html
    assert 'href="/feed/atom/"' in html


def test_an_archive_announces_its_own_feed(client, published_article, author):
    land = CategoryFactory(name="Land", slug="land")
    CategoryFactory(name="Armour", slug="armour", parent=land)
    TagFactory(name="Drones", slug="drones")
    pages = {
        "/category/land/armour/": 'href="/category/land/armour/feed/"',
        "/tag/drones/": 'href="/tag/drones/feed/"',
        "/author/amina-rauf/": 'href="/author/amina-rauf/feed/"',
    }
    for page, link in pages.items():
        html = client.get(page).content.decode()
        assert link in html, page
        assert 'href="/feed/"' in html


def test_the_article_page_announces_its_comments_feed(client, published_article):
    url = published_article.get_absolute_url()
    html = client.get(url).content.decode()
    assert f'href="{url}feed/"' in html
    assert "Comments Feed" in html


def test_a_preview_does_not_announce_a_comments_feed(client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    html = client.get(f"/preview/{draft.pk}/").content.decode()
    assert "Comments Feed" not in html


def test_the_feed_links_cost_no_queries(
    published_article, site_settings, django_assert_num_queries
):
    land = CategoryFactory(name="Land", slug="land")
    armour = CategoryFactory(name="Armour", slug="armour", parent=land)
    armour = Category.objects.select_related("parent").get(pk=armour.pk)
    article = Article.objects.for_page().get(pk=published_article.pk)
    context = {
        "site": site_settings,
        "kind": "category",
        "category": armour,
        "article": article,
    }
    with django_assert_num_queries(0):
        html = render_to_string("includes/feed_links.html", context)
    assert 'href="/category/land/armour/feed/"' in html
    assert f'href="{published_article.get_absolute_url()}feed/"' in html


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/tag/frigates/feed/"])
def test_a_feed_renders_only_the_items_that_changed(
    client, site_settings, category, author, settings, url
):
    """Items are fragments (lib/fragments): a feed made again reads its ids
    and versions, and renders only what changed, in the same order."""
    settings.PAGE_CACHE_SECONDS = 0
    tag = TagFactory(slug="frigates", name="Frigates")
    now = timezone.now()
    stories = [
        ArticleFactory(
            category=category,
            author=author,
            tags=[tag],
            headline=f"Frigate story {i}",
            published_at=now - dt.timedelta(hours=i),
        )
        for i in range(5)
    ]
    first = [e.title for e in feedparser.parse(client.get(url).content).entries]
    assert first == [f"Frigate story {i}" for i in range(5)]
    with CaptureQueriesContext(connection) as stored:
        again = [e.title for e in feedparser.parse(client.get(url).content).entries]
    assert again == first
    assert not [q for q in stored.captured_queries if '"headline"' in q["sql"]]

    stories[2].headline = "Frigate story 2, corrected"
    stories[2].save()
    edited = [e.title for e in feedparser.parse(client.get(url).content).entries]
    assert edited == [*first[:2], "Frigate story 2, corrected", *first[3:]]


def test_the_feed_date_moves_with_a_change_of_substance_not_a_minor_edit(client):
    """RSS lastBuildDate and Atom's feed <updated>: the newest publication or
    update of substance among the items, as the items themselves say."""
    published = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
    article = ArticleFactory(published_at=published)
    article.standfirst = "A typo fixed."
    article.save()  # a minor edit: updated_at moves, substance does not
    for url in ("/feed/", "/feed/atom/"):
        _response, parsed = fetch(client, url)
        assert as_utc(parsed.feed.updated_parsed) == published

    later = published + dt.timedelta(days=1)
    article.note_update(later)
    article.save()
    for url in ("/feed/", "/feed/atom/"):
        _response, parsed = fetch(client, url)
        assert as_utc(parsed.feed.updated_parsed) == later


def test_a_feed_lists_as_many_stories_as_the_settings_say(client):
    from core.models import SiteSettings

    for n in range(6):
        ArticleFactory(
            headline=f"Convoy report {n}",
            published_at=timezone.now() - dt.timedelta(hours=n + 1),
        )
    site = SiteSettings.load()
    site.feed_items = 4
    site.save()
    for url in ("/feed/", "/feed/atom/"):
        _response, parsed = fetch(client, url)
        assert titles(parsed) == [f"Convoy report {n}" for n in range(4)], url
    site.feed_items = 20
    site.save()
    _response, parsed = fetch(client, "/feed/")
    assert len(parsed.entries) == 6
