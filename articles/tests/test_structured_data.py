"""Metadata for search engines and social sites: canonical links, Open Graph,
Twitter cards and schema.org JSON-LD on the article, home and archive pages."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.utils import timezone
from PIL import Image

from articles.models import Article
from articles.templatetags.articles_tags import to_json_ld
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    TagFactory,
)
from lib.testing import PUBLIC_URL
from media.tests.factories import ImageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_site")]

SITE = PUBLIC_URL
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
HOSTILE = '</script><script>alert(1)</script> "Frigates" & <b>co</b> 🚢'


class Head(HTMLParser):
    """What a crawler reads from a page: meta tags, links and JSON-LD blocks."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.json_ld: list[dict] = []
        self.scripts = 0
        self._in_json_ld = False
        self._data: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.append((key, attrs["content"]))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self.scripts += 1
            self._in_json_ld = attrs.get("type") == "application/ld+json"
            self._data = []

    def handle_data(self, data):
        if self._in_json_ld:
            self._data.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_json_ld:
            self.json_ld.append(json.loads("".join(self._data)))
            self._in_json_ld = False

    def one(self, key: str) -> str:
        values = self.all(key)
        assert len(values) == 1, (key, values)
        return values[0]

    def all(self, key: str) -> list[str]:
        return [value for k, value in self.meta if k == key]

    def of_type(self, kind: str) -> dict:
        found = [block for block in self.json_ld if block.get("@type") == kind]
        assert len(found) == 1, (kind, self.json_ld)
        return found[0]

    def canonical(self) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == "canonical"]


def head_of(client, url: str) -> Head:
    response = client.get(url)
    assert response.status_code == 200
    return Head(response.content.decode())


@pytest.fixture
def full_article(category, author):
    """An article with everything: a sub-category, tags, a co-author, an image."""
    section = CategoryFactory(name="Fleets", slug="fleets", parent=category)
    coauthor = AuthorFactory(
        display_name="Omar Haddad", slug="omar-haddad", role_line="Defence Editor"
    )
    article = ArticleFactory(
        headline="Navy orders six frigates",
        standfirst="The contract is the largest in a decade.",
        category=section,
        author=author,
        tags=[TagFactory(name="Frigates"), TagFactory(name="Procurement")],
        featured_image=ImageFactory(
            width=1200,
            height=675,
            title="frigate",
            alt="A frigate leaving port",
            caption="HMS Example at sea",
        ),
        published_at=timezone.now() - dt.timedelta(days=2),
    )
    article.coauthors.add(coauthor)
    return Article.objects.for_page().get(pk=article.pk)


# The article page --------------------------------------------------------------


def test_the_article_page_carries_a_news_article_with_every_field(
    client, full_article, author
):
    head = head_of(client, full_article.get_absolute_url())
    data = head.of_type("NewsArticle")
    canonical = SITE + full_article.get_absolute_url()

    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Navy orders six frigates"
    assert data["description"] == "The contract is the largest in a decade."
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
    assert data["articleSection"] == "Fleets"
    assert data["keywords"] == ["Frigates", "Procurement"]
    assert data["image"]["@type"] == "ImageObject"
    assert data["image"]["url"] == SITE + full_article.featured_image.file.url
    assert data["image"]["url"].startswith(f"{SITE}/media/images/")
    assert (data["image"]["width"], data["image"]["height"]) == (1200, 675)
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Amina Rauf",
            "url": f"{SITE}/author/amina-rauf/",
            "jobTitle": "Special Correspondent",
        },
        {
            "@type": "Person",
            "name": "Omar Haddad",
            "url": f"{SITE}/author/omar-haddad/",
            "jobTitle": "Defence Editor",
        },
    ]


def test_the_news_article_publisher_is_the_site_with_a_raster_logo(
    client, full_article
):
    publisher = head_of(client, full_article.get_absolute_url()).of_type("NewsArticle")[
        "publisher"
    ]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == "Frontline Test Desk"
    logo = publisher["logo"]
    assert logo["@type"] == "ImageObject"
    assert logo["url"] == f"{SITE}/static/img/publisher-logo.png"
    assert (logo["width"], logo["height"]) == (600, 60)
    with Image.open(finders.find("img/publisher-logo.png")) as image:
        assert image.format == "PNG"
        assert image.size == (600, 60)


def test_article_dates_are_iso_8601_with_the_site_offset(
    client, site_settings, full_article
):
    site_settings.time_zone = "Asia/Karachi"
    site_settings.save()
    # The permalink's day is Karachi's: built outside a request, it must be
    # built in that zone too (from 19:00 UTC the days differ).
    with timezone.override(site_settings.tzinfo):
        url = full_article.get_absolute_url()
    head = head_of(client, url)
    data = head.of_type("NewsArticle")
    for value in (
        data["datePublished"],
        data["dateModified"],
        head.one("article:published_time"),
        head.one("article:modified_time"),
    ):
        assert ISO_WITH_OFFSET.match(value), value
        assert value.endswith("+05:00")
    published = dt.datetime.fromisoformat(data["datePublished"])
    assert published == full_article.published_at.replace(microsecond=0)
    # Not changed in substance since publication: modified when published.
    assert data["dateModified"] == data["datePublished"]
    assert head.one("article:modified_time") == data["datePublished"]
    assert head.one("article:published_time") == data["datePublished"]


def test_the_breadcrumb_goes_home_then_the_categories_parents_first_then_the_article(
    client, full_article
):
    trail = head_of(client, full_article.get_absolute_url()).of_type("BreadcrumbList")
    assert trail["@context"] == "https://schema.org"
    items = trail["itemListElement"]
    assert [i["@type"] for i in items] == ["ListItem"] * 4
    assert [i["position"] for i in items] == [1, 2, 3, 4]
    assert [(i["name"], i["item"]) for i in items] == [
        ("Home", f"{SITE}/"),
        ("Naval Affairs", f"{SITE}/category/naval-affairs/"),
        ("Fleets", f"{SITE}/category/naval-affairs/fleets/"),
        ("Navy orders six frigates", SITE + full_article.get_absolute_url()),
    ]


def test_the_article_page_carries_open_graph_tags_for_an_article(client, full_article):
    head = head_of(client, full_article.get_absolute_url())
    canonical = SITE + full_article.get_absolute_url()
    assert head.canonical() == [canonical]
    assert head.one("og:type") == "article"
    assert head.one("og:title") == "Navy orders six frigates"
    assert head.one("og:description") == "The contract is the largest in a decade."
    assert head.one("description") == "The contract is the largest in a decade."
    assert head.one("og:url") == canonical
    assert head.one("og:site_name") == "Frontline Test Desk"
    assert head.one("og:image") == SITE + full_article.featured_image.file.url
    assert head.one("og:image:width") == "1200"
    assert head.one("og:image:height") == "675"
    assert head.one("og:image:alt") == "A frigate leaving port"
    assert head.one("article:section") == "Fleets"
    assert head.all("article:tag") == ["Frigates", "Procurement"]
    assert head.all("article:author") == [
        f"{SITE}/author/amina-rauf/",
        f"{SITE}/author/omar-haddad/",
    ]


def test_an_article_with_an_image_gets_a_large_twitter_card(client, full_article):
    head = head_of(client, full_article.get_absolute_url())
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:title") == "Navy orders six frigates"
    assert head.one("twitter:description") == (
        "The contract is the largest in a decade."
    )
    assert head.one("twitter:image") == SITE + full_article.featured_image.file.url
    assert head.one("twitter:image:alt") == "A frigate leaving port"


def test_an_article_without_an_image_gets_a_summary_card_and_no_image_tags(
    client, published_article
):
    head = head_of(client, published_article.get_absolute_url())
    assert head.one("twitter:card") == "summary"
    for key in ("og:image", "og:image:width", "og:image:alt", "twitter:image"):
        assert head.all(key) == []
    data = head.of_type("NewsArticle")
    assert "image" not in data
    assert "keywords" not in data
    assert [a["name"] for a in data["author"]] == ["Amina Rauf"]


def test_an_article_without_a_standfirst_is_described_by_its_opening_words(
    client, category, author
):
    article = ArticleFactory(
        category=category, author=author, standfirst="", body="<p>Opening words.</p>"
    )
    head = head_of(client, article.get_absolute_url())
    assert head.one("og:description") == "Opening words."
    assert head.of_type("NewsArticle")["description"] == "Opening words."


def test_a_preview_of_a_draft_has_no_publication_date_and_is_not_indexed(
    client, editor
):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    head = head_of(client, draft.get_absolute_url())
    assert head.one("robots") == "noindex"
    assert "datePublished" not in head.of_type("NewsArticle")
    assert head.all("article:published_time") == []


def test_urls_come_from_site_url_and_never_from_the_request_host(client, full_article):
    html = client.get(
        full_article.get_absolute_url(), HTTP_HOST="localhost"
    ).content.decode()
    head_html = html[: html.index("</head>")]
    assert "//localhost" not in head_html
    assert "testserver" not in head_html
    head = Head(html)
    for key in ("og:url", "og:image", "twitter:image", "article:author"):
        assert all(v.startswith(SITE + "/") for v in head.all(key)), key


# Hostile text ------------------------------------------------------------------


def test_a_hostile_headline_and_standfirst_stay_inside_the_json_and_the_attributes(
    client, category, author
):
    article = ArticleFactory(
        headline=HOSTILE, standfirst=HOSTILE, category=category, author=author
    )
    html = client.get(article.get_absolute_url()).content.decode()
    head_html = html[: html.index("</head>")]

    # Nothing the editor typed becomes markup: no new element, no script.
    assert "<script>alert(1)" not in html
    assert "<b>co</b>" not in head_html
    # The two JSON-LD blocks and site.js are the only scripts in the head.
    assert head_html.count("<script") == 3
    assert head_html.count("</script>") == 3
    # Inside JSON the dangerous characters are \u escapes; emoji are kept.
    assert "\\u003C/script\\u003E" in head_html
    assert "\\u0026" in head_html

    head = Head(html)
    assert head.of_type("NewsArticle")["headline"] == HOSTILE
    assert head.of_type("NewsArticle")["description"] == HOSTILE
    assert head.of_type("BreadcrumbList")["itemListElement"][-1]["name"] == HOSTILE
    assert head.one("og:title") == HOSTILE
    assert head.one("og:description") == HOSTILE
    assert head.one("twitter:title") == HOSTILE
    assert (
        'content="&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; '
        "&quot;Frigates&quot; &amp; &lt;b&gt;co&lt;/b&gt; 🚢"
    ) in head_html


def test_hostile_author_names_and_tags_stay_inside_the_json(client, category):
    author = AuthorFactory(display_name=HOSTILE, slug="hostile", role_line=HOSTILE)
    article = ArticleFactory(
        category=CategoryFactory(name=HOSTILE, slug="hostile-section"),
        author=author,
        tags=[TagFactory(name=HOSTILE, slug="hostile-tag")],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    head = Head(html)
    data = head.of_type("NewsArticle")
    assert data["author"][0]["name"] == HOSTILE
    assert data["author"][0]["jobTitle"] == HOSTILE
    assert data["keywords"] == [HOSTILE]
    assert data["articleSection"] == HOSTILE
    assert head.all("article:tag") == [HOSTILE]
    assert head.one("article:section") == HOSTILE


def test_the_json_serialiser_escapes_what_could_close_a_script_element():
    text = to_json_ld({"headline": "</script><!-- & \u2028 🚢"})
    assert not set(text) & {"<", ">", "&", "\u2028"}
    assert "🚢" in text
    assert json.loads(text) == {"headline": "</script><!-- & \u2028 🚢"}


# Author pages ------------------------------------------------------------------


def test_the_author_page_carries_a_person_with_a_plain_text_biography(client, author):
    author.bio = (
        '<p>Covers <a href="https://example.org">navies</a> and '
        "<strong>shipyards</strong>.</p><p>Based in Lahore.</p>"
    )
    author.photo = ImageFactory(width=400, height=400)
    author.save()
    ArticleFactory(author=author)
    head = head_of(client, "/author/amina-rauf/")
    person = head.of_type("Person")
    assert person["@context"] == "https://schema.org"
    assert person["name"] == "Amina Rauf"
    assert person["url"] == f"{SITE}/author/amina-rauf/"
    assert person["jobTitle"] == "Special Correspondent"
    assert person["description"] == "Covers navies and shipyards. Based in Lahore."
    assert person["image"]["@type"] == "ImageObject"
    assert person["image"]["url"] == SITE + author.photo.file.url
    assert person["image"]["url"].startswith(f"{SITE}/media/images/")
    assert (person["image"]["width"], person["image"]["height"]) == (400, 400)
    assert person["worksFor"]["name"] == "Frontline Test Desk"
    assert head.canonical() == [f"{SITE}/author/amina-rauf/"]
    assert head.one("og:type") == "website"
    assert head.one("og:title") == "Amina Rauf"
    assert head.one("og:description") == (
        "Covers navies and shipyards. Based in Lahore."
    )


def test_an_author_without_a_photo_or_role_has_no_image_or_job_title(client):
    AuthorFactory(display_name="Sam Lee", slug="sam-lee", role_line="", bio="")
    person = head_of(client, "/author/sam-lee/").of_type("Person")
    assert person["name"] == "Sam Lee"
    assert "image" not in person
    assert "jobTitle" not in person
    assert "description" not in person


def test_a_hostile_biography_stays_inside_the_json_and_the_attribute(client):
    AuthorFactory(
        display_name="Sam Lee",
        slug="sam-lee",
        bio="<p>Writes &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; "
        "&amp; &quot;quotes&quot; 🚢</p><script>alert(2)</script>",
    )
    html = client.get("/author/sam-lee/").content.decode()
    head_html = html[: html.index("</head>")]
    assert "<script>alert" not in html
    assert "alert(2)" not in html
    expected = 'Writes </script><script>alert(1)</script> & "quotes" 🚢'
    head = Head(html)
    assert head.of_type("Person")["description"] == expected
    assert head.one("og:description") == expected
    assert head_html.count("<script") == 2  # the Person and site.js


# Home page and archives --------------------------------------------------------


def test_the_home_page_carries_a_website_with_a_search_action(
    client, published_article
):
    head = head_of(client, "/")
    site = head.of_type("WebSite")
    assert site["@context"] == "https://schema.org"
    assert site["name"] == "Frontline Test Desk"
    assert site["url"] == f"{SITE}/"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"] == f"{SITE}/?s={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"


def test_the_home_page_carries_the_organization_with_its_logo(client):
    organization = head_of(client, "/").of_type("Organization")
    assert organization["@context"] == "https://schema.org"
    assert organization["name"] == "Frontline Test Desk"
    assert organization["url"] == f"{SITE}/"
    assert organization["logo"]["url"] == f"{SITE}/static/img/publisher-logo.png"


def test_the_home_page_carries_open_graph_basics_and_a_canonical_link(client):
    head = head_of(client, "/")
    assert head.canonical() == [f"{SITE}/"]
    assert head.one("og:type") == "website"
    assert head.one("og:title") == "Frontline Test Desk"
    assert head.one("og:description") == (
        "Defense News Hub, Military Updates, Security Insights"
    )
    assert head.one("og:url") == f"{SITE}/"
    assert head.one("og:site_name") == "Frontline Test Desk"
    assert head.one("twitter:card") == "summary"


def test_category_and_tag_archives_carry_open_graph_basics(client, category):
    category.description = 'Ships, "fleets" & <docks>'
    category.save()
    tag = TagFactory(name="Frigates", slug="frigates")
    ArticleFactory(category=category, tags=[tag])

    head = head_of(client, "/category/naval-affairs/")
    assert head.canonical() == [f"{SITE}/category/naval-affairs/"]
    assert head.one("og:type") == "website"
    assert head.one("og:title") == "Naval Affairs"
    assert head.one("og:description") == 'Ships, "fleets" & <docks>'
    assert head.one("og:url") == f"{SITE}/category/naval-affairs/"
    assert head.one("og:site_name") == "Frontline Test Desk"
    assert head.json_ld == []

    head = head_of(client, "/tag/frigates/")
    assert head.canonical() == [f"{SITE}/tag/frigates/"]
    assert head.one("og:type") == "website"
    assert head.one("og:title") == "Frigates"
    assert head.one("og:url") == f"{SITE}/tag/frigates/"


def test_page_one_of_an_archive_is_canonical_and_later_pages_are_their_own(
    client, category
):
    for i in range(12):
        ArticleFactory(
            category=category, published_at=timezone.now() - dt.timedelta(hours=i)
        )
    first = head_of(client, "/category/naval-affairs/")
    assert first.canonical() == [f"{SITE}/category/naval-affairs/"]
    second = head_of(client, "/category/naval-affairs/page/2/")
    assert second.canonical() == [f"{SITE}/category/naval-affairs/page/2/"]
    assert second.one("og:url") == f"{SITE}/category/naval-affairs/page/2/"
    assert second.one("og:title") == "Naval Affairs – Page 2"
    latest = head_of(client, "/page/2/")
    assert latest.canonical() == [f"{SITE}/page/2/"]


# Cost ----------------------------------------------------------------------------


def test_the_metadata_needs_no_query_of_its_own(
    full_article, site_settings, django_assert_num_queries
):
    template = Template(
        "{% load articles_tags %}{% include 'includes/meta_article.html' %}"
    )
    context = Context(
        {
            "article": full_article,
            "authors": full_article.all_authors(),
            "site": site_settings,
            "canonical_url": SITE + full_article.get_absolute_url(),
            # Read by the view, as the authors are.
            "corrections": list(full_article.corrections.in_order()),
        }
    )
    with django_assert_num_queries(0):
        html = template.render(context)
    head = Head(html)
    assert len(head.of_type("NewsArticle")["author"]) == 2
    assert head.all("article:tag") == ["Frigates", "Procurement"]


def test_the_article_page_with_metadata_keeps_its_query_budget(
    client, django_assert_max_num_queries, category, author, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the page itself, not the cache

    def make(n: int) -> Article:
        tags = [TagFactory() for _ in range(n)]
        article = ArticleFactory.create(
            category=CategoryFactory(parent=category), author=author, tags=tags
        )
        article.coauthors.add(*[AuthorFactory.create() for _ in range(n)])
        return article

    small, large = make(1), make(15)
    client.get(small.get_absolute_url())  # settings and menus are cached from here
    with django_assert_max_num_queries(12):
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(large.get_absolute_url())
    assert response.status_code == 200
    head = Head(response.content.decode())
    assert len(head.of_type("NewsArticle")["author"]) == 16
    assert len(head.all("article:tag")) == 15
