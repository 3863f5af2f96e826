from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles import sitemaps
from articles.models import Article
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    TagFactory,
)
from lib.testing import PUBLIC_URL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_site")]

SITE_URL = PUBLIC_URL
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def fetch_xml(client, url: str, **extra) -> ET.Element:
    response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(root: ET.Element, tag: str = "url") -> list[str]:
    found = []
    for el in root.findall(f"sm:{tag}", NS):
        location = el.findtext("sm:loc", namespaces=NS)
        assert location is not None
        found.append(location)
    return found


def lastmods(root: ET.Element, tag: str = "url") -> list[str | None]:
    return [
        el.findtext("sm:lastmod", namespaces=NS) for el in root.findall(f"sm:{tag}", NS)
    ]


def test_the_sitemap_index_lists_every_section_with_absolute_addresses(
    client, published_article
):
    root = fetch_xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert locations(root, "sitemap") == [
        f"{SITE_URL}/sitemap-articles.xml",
        f"{SITE_URL}/sitemap-categories.xml",
        f"{SITE_URL}/sitemap-tags.xml",
        f"{SITE_URL}/sitemap-authors.xml",
    ]
    articles_lastmod = lastmods(root, "sitemap")[0]
    assert dt.datetime.fromisoformat(articles_lastmod) == (
        published_article.updated_at.replace(microsecond=0)
    )


def test_the_article_sitemap_lists_published_articles_only(client, published_article):
    ArticleFactory(status=Article.Status.DRAFT, slug="a-draft")
    ArticleFactory(status=Article.Status.PENDING, slug="awaiting-review")
    ArticleFactory(
        status=Article.Status.SCHEDULED,
        slug="embargoed",
        published_at=timezone.now() + dt.timedelta(hours=3),
    )
    root = fetch_xml(client, "/sitemap-articles.xml")
    assert locations(root) == [SITE_URL + published_article.get_absolute_url()]
    [lastmod] = lastmods(root)
    assert dt.datetime.fromisoformat(lastmod) == (
        published_article.updated_at.replace(microsecond=0)
    )


def test_sitemap_addresses_ignore_the_host_header(client, published_article, settings):
    settings.ALLOWED_HOSTS = ["evil.example.com"]
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml"):
        response = client.get(url, HTTP_HOST="evil.example.com")
        assert b"evil.example.com" not in response.content
        assert SITE_URL.encode() in response.content


def test_a_large_article_sitemap_is_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    now = timezone.now()
    articles = [
        ArticleFactory(published_at=now - dt.timedelta(hours=h))
        for h in range(5, 0, -1)
    ]
    index = fetch_xml(client, "/sitemap.xml")
    assert [u for u in locations(index, "sitemap") if "articles" in u] == [
        f"{SITE_URL}/sitemap-articles.xml",
        f"{SITE_URL}/sitemap-articles-2.xml",
        f"{SITE_URL}/sitemap-articles-3.xml",
    ]
    pages = [
        locations(fetch_xml(client, url))
        for url in (
            "/sitemap-articles.xml",
            "/sitemap-articles-2.xml",
            "/sitemap-articles-3.xml",
        )
    ]
    expected = [SITE_URL + a.get_absolute_url() for a in articles]  # oldest first
    assert pages == [expected[:2], expected[2:4], expected[4:]]
    assert client.get("/sitemap-articles-4.xml").status_code == 404
    first = client.get("/sitemap-articles-1.xml")
    assert first.status_code == 301
    assert first["Location"] == "/sitemap-articles.xml"


def test_the_section_sitemaps_list_archives_that_hold_published_stories(
    client, published_article, author
):
    land = CategoryFactory(name="Land", slug="land")
    armour = CategoryFactory(name="Armour", slug="armour", parent=land)
    CategoryFactory(name="Empty", slug="empty")
    drones = TagFactory(name="Drones", slug="drones")
    TagFactory(name="Unused", slug="unused")
    co_author = AuthorFactory(display_name="Jonas Weber", slug="jonas-weber")
    AuthorFactory(display_name="Draft Only", slug="draft-only")
    story = ArticleFactory(category=armour, tags=[drones], author=author)
    story.coauthors.add(co_author)
    ArticleFactory(status=Article.Status.DRAFT, author=AuthorFactory(slug="draft-only"))

    categories = fetch_xml(client, "/sitemap-categories.xml")
    assert locations(categories) == [
        f"{SITE_URL}/category/land/",
        f"{SITE_URL}/category/land/armour/",
        f"{SITE_URL}/category/naval-affairs/",
    ]
    assert all(lastmods(categories))
    tags = fetch_xml(client, "/sitemap-tags.xml")
    assert locations(tags) == [f"{SITE_URL}/tag/drones/"]
    story.refresh_from_db()
    assert dt.datetime.fromisoformat(lastmods(tags)[0]) == story.updated_at.replace(
        microsecond=0
    )
    authors = fetch_xml(client, "/sitemap-authors.xml")
    assert locations(authors) == [
        f"{SITE_URL}/author/amina-rauf/",
        f"{SITE_URL}/author/jonas-weber/",
    ]
    assert all(lastmods(authors))


def test_a_parent_category_takes_the_newest_change_below_it(client):
    land = CategoryFactory(name="Land", slug="land")
    armour = CategoryFactory(name="Armour", slug="armour", parent=land)
    ArticleFactory(category=land)
    newest = ArticleFactory(category=armour)
    root = fetch_xml(client, "/sitemap-categories.xml")
    by_url = dict(zip(locations(root), lastmods(root), strict=True))
    assert (
        by_url[f"{SITE_URL}/category/land/"]
        == by_url[f"{SITE_URL}/category/land/armour/"]
    )
    assert dt.datetime.fromisoformat(by_url[f"{SITE_URL}/category/land/"]) == (
        newest.updated_at.replace(microsecond=0)
    )


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap-nothing.xml",
        "/sitemap-articles-0.xml",
        "/sitemap-articles-99999.xml",
        "/sitemap-articles-abc.xml",
        "/sitemap.xml/",
    ],
)
def test_unknown_sitemaps_are_the_branded_404(client, published_article, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_query_strings_on_sitemaps_do_not_crash(client, published_article):
    for url in (
        "/sitemap.xml?p=abc",
        "/sitemap-articles.xml?p=-1",
        "/news-sitemap.xml?x",
    ):
        assert client.get(url).status_code == 200


def test_sitemaps_are_served_from_the_cache_and_refreshed_on_publish(
    client, published_article, django_assert_num_queries
):
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml"):
        assert client.get(url)["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response["X-Page-Cache"] == "hit"
        assert response["Content-Type"].startswith("application/xml")
    fresh = ArticleFactory(slug="fresh-from-the-harbour")
    assert SITE_URL + fresh.get_absolute_url() in locations(
        fetch_xml(client, "/sitemap-articles.xml")
    )


def test_the_news_sitemap_lists_the_last_two_days_only(client, site_settings):
    now = timezone.now()
    recent = ArticleFactory(
        headline="Fleet sails at dawn & returns",
        published_at=now - dt.timedelta(hours=3),
    )
    yesterday = ArticleFactory(published_at=now - dt.timedelta(hours=30))
    ArticleFactory(published_at=now - dt.timedelta(days=3))
    ArticleFactory(status=Article.Status.DRAFT, published_at=now)
    ArticleFactory(
        status=Article.Status.SCHEDULED, published_at=now + dt.timedelta(hours=1)
    )

    root = fetch_xml(client, "/news-sitemap.xml")

    assert root.tag == f"{{{NS['sm']}}}urlset"
    assert locations(root) == [
        SITE_URL + recent.get_absolute_url(),
        SITE_URL + yesterday.get_absolute_url(),
    ]
    first = root.find("sm:url/news:news", NS)
    assert first.findtext("news:publication/news:name", namespaces=NS) == (
        "Frontline Test Desk"
    )
    assert first.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert first.findtext("news:title", namespaces=NS) == (
        "Fleet sails at dawn & returns"
    )
    published = first.findtext("news:publication_date", namespaces=NS)
    assert published == recent.published_at.replace(microsecond=0).isoformat()


def test_news_dates_carry_the_site_time_zone_offset(client, site_settings):
    site_settings.time_zone = "Asia/Karachi"
    site_settings.save()
    article = ArticleFactory()
    root = fetch_xml(client, "/news-sitemap.xml")
    published = root.findtext("sm:url/news:news/news:publication_date", namespaces=NS)
    assert published.endswith("+05:00")
    assert dt.datetime.fromisoformat(published) == article.published_at.replace(
        microsecond=0
    )


def test_the_news_sitemap_is_valid_when_empty(client):
    root = fetch_xml(client, "/news-sitemap.xml")
    assert locations(root) == []


def test_robots_txt_allows_all_but_the_admin_and_previews_and_names_the_sitemaps(
    client, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example.com"]
    response = client.get("/robots.txt", HTTP_HOST="evil.example.com")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "",
        f"Sitemap: {SITE_URL}/sitemap.xml",
        f"Sitemap: {SITE_URL}/news-sitemap.xml",
    ]
    assert client.post("/robots.txt").status_code == 405


def test_the_sitemaps_take_a_bounded_number_of_queries(
    client, category, author, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    tags = [TagFactory() for _ in range(3)]
    for _ in range(2):
        ArticleFactory(category=category, author=author, tags=tags)
    urls = [
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-categories.xml",
        "/sitemap-tags.xml",
        "/sitemap-authors.xml",
        "/news-sitemap.xml",
    ]
    client.get("/robots.txt")  # the site settings are cached from now on
    few = {}
    for url in urls:
        with django_assert_max_num_queries(12) as queries:
            client.get(url)
        few[url] = len(queries)
    for _ in range(20):
        ArticleFactory(
            category=CategoryFactory(), author=AuthorFactory(), tags=[TagFactory()]
        )
    for url in urls:
        with django_assert_max_num_queries(12) as queries:
            client.get(url)
        assert len(queries) == few[url], url
