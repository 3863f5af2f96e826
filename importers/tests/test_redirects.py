"""Old WordPress addresses answer with a 301 to the new ones."""

from __future__ import annotations

import pytest
from django.utils.encoding import iri_to_uri

from articles.models import Article
from importers.tests.conftest import UPLOADS, run_import

FERRY = "/2019/03/16/night-ferry-returns/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=101", FERRY),
        ("/2019/03/night-ferry-returns/", FERRY),  # old /YYYY/MM/slug/ structure
        ("/2019/03/night-ferry-returns", FERRY),  # without the trailing slash
        ("/?page_id=2", "/about/"),
        ("/?cat=4", "/category/port/shipping/"),
        ("/?tag=tides", "/tag/tides/"),
        ("/?author=5", "/author/tquay/"),
        ("/kaffee-am-käi/", "/2019/04/05/kaffee-am-käi/"),  # old /slug/ structure
        ("/?attachment_id=201", "/media/wordpress/harbour-example/2019/03/harbour.png"),
        (
            "/2019/03/night-ferry-returns/harbour/",  # an attachment page
            "/media/wordpress/harbour-example/2019/03/harbour.png",
        ),
    ],
)
def test_old_addresses_redirect_permanently(harbour, client, old, new):
    path, _, query = old.partition("?")
    response = client.get(path, dict([query.split("=")]) if query else {})
    assert response.status_code == 301
    assert response["Location"] == iri_to_uri(new)
    assert "X-Page-Cache" not in response


def test_a_redirect_is_one_query(harbour, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the old link (+ the site settings)
        response = client.get("/", {"p": "101"})
    assert response.status_code == 301


@pytest.mark.parametrize(
    "old",
    [
        "/?p=9999",  # unknown ID
        "/?p=103",  # a draft: not public
        "/?p=105",  # private
        "/2019/04/staff-rota/",  # private post's old permalink
        "/no/such/old/page/",
    ],
)
def test_unknown_or_hidden_ones_get_the_normal_404(harbour, client, old):
    path, _, query = old.partition("?")
    response = client.get(path, dict([query.split("=")]) if query else {})
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_a_custom_old_category_base_redirects(db, site_settings, client):
    run_import("classic-1.1.xml", category_base="topics")
    response = client.get("/topics/port/shipping/")
    assert response.status_code == 301
    assert response["Location"] == "/category/port/shipping/"


def test_search_still_answers_on_the_home_page(harbour, client):
    response = client.get("/", {"s": "ferry"})
    assert response.status_code == 200
    assert "Night ferry returns" in response.content.decode()


def test_the_home_page_is_still_cached_and_redirects_are_not(harbour, client):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    for _ in range(2):
        assert client.get("/", {"p": "101"}).status_code == 301
    # An old permalink that later becomes a real page is served, not redirected.
    assert client.get(FERRY).status_code == 200


def test_an_edited_slug_redirects_to_the_current_address(harbour, client):
    ferry = Article.objects.get(slug="night-ferry-returns")
    ferry.slug = "night-ferry-is-back"
    ferry.save()
    response = client.get("/", {"p": "101"})
    assert response["Location"] == "/2019/03/16/night-ferry-is-back/"


def test_media_attachment_without_file_is_a_404(db, site_settings, client):
    run_import("classic-1.1.xml")  # no --media-dir: nothing copied
    assert client.get("/", {"attachment_id": "201"}).status_code == 404
    assert UPLOADS.exists()


def test_an_old_author_address_redirects_when_the_slug_changed(
    db, site_settings, client
):
    from articles.tests.factories import AuthorFactory

    AuthorFactory(slug="tquay", display_name="Someone else already here")
    run_import("classic-1.1.xml")
    # Our /author/tquay/ belongs to the earlier author; Tobias got tquay-2, and
    # his old WordPress address is taken by a live page here, which wins.
    assert client.get("/author/tquay/").status_code == 200
    response = client.get("/", {"author": "5"})
    assert response["Location"] == "/author/tquay-2/"
