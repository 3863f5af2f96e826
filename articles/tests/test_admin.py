from __future__ import annotations

import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, TagFactory
from core.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "chief", "chief@example.test", "a-long-test-password"
    )
    client.force_login(user)
    return client


def test_the_article_list_filters_by_status_category_and_author(
    admin_client, published_article, django_assert_max_num_queries
):
    ArticleFactory.create_batch(30)
    ArticleFactory(status=Article.Status.DRAFT, headline="Unfinished draft")
    # 16: the reads of the listed articles (audience) come in one more query.
    with django_assert_max_num_queries(16):
        response = admin_client.get("/admin/articles/article/?status__exact=draft")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unfinished draft" in html and published_article.headline not in html
    for param in (
        f"category__id__exact={published_article.category_id}",
        f"author__id__exact={published_article.author_id}",
        "q=frigate",
        "published_at__year=2026",
    ):
        assert admin_client.get(f"/admin/articles/article/?{param}").status_code == 200


def test_an_editor_can_write_an_article_in_the_admin(admin_client, category, author):
    tag = TagFactory()
    response = admin_client.post(
        "/admin/articles/article/add/",
        {
            "headline": "Coast guard receives patrol boats",
            "slug": "coast-guard-receives-patrol-boats",
            "standfirst": "Four boats arrive ahead of schedule.",
            "body": "<p>The boats arrived.</p><script>alert(1)</script>",
            "status": "published",
            "published_at_0": "2026-11-20",
            "published_at_1": "10:00:00",
            "category": category.pk,
            "author": author.pk,
            "tags": [tag.pk],
            "comments_open": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="coast-guard-receives-patrol-boats")
    assert article.body == "<p>The boats arrived.</p>"
    assert list(article.tags.all()) == [tag]


def test_a_duplicate_slug_is_refused_with_a_clear_error(
    admin_client, published_article, category, author
):
    before = Article.objects.count()
    response = admin_client.post(
        "/admin/articles/article/add/",
        {
            "headline": "Same slug",
            "slug": published_article.slug,
            "status": "draft",
            "category": category.pk,
            "author": author.pk,
        },
    )
    assert response.status_code == 200
    assert "Article with this Slug already exists" in response.content.decode()
    assert Article.objects.count() == before


def _save_site_settings(admin_client, **fields):
    """The site settings form, sent with these fields over valid ones."""
    site = SiteSettings.load()
    data = {
        "site_name": "X",
        "time_zone": "UTC",
        "posts_per_page": "7",
        "feed_items": "20",
    }
    return admin_client.post(
        f"/admin/core/sitesettings/{site.pk}/change/", data | fields
    )


def test_site_settings_are_editable_and_take_effect(admin_client, client):
    response = _save_site_settings(
        admin_client,
        site_name="Border Watch",
        tagline="Security Insights",
        time_zone="Asia/Karachi",
    )
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Border Watch" in html and "Security Insights" in html


@pytest.mark.parametrize("wanted", ["0", "101", "-3", "ten", "1e3", "9" * 400])
def test_site_settings_refuse_a_feed_length_out_of_bounds(admin_client, wanted):
    response = _save_site_settings(admin_client, feed_items=wanted)
    assert response.status_code == 200
    assert 'id="id_feed_items_error"' in response.content.decode()
    assert SiteSettings.load().feed_items == 20


def test_site_settings_reject_an_unknown_time_zone(admin_client):
    site = SiteSettings.load()
    response = admin_client.post(
        f"/admin/core/sitesettings/{site.pk}/change/",
        {"site_name": "X", "time_zone": "Mars/Olympus", "posts_per_page": "7"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert SiteSettings.load().time_zone != "Mars/Olympus"


def test_an_author_photo_is_chosen_from_the_media_library(admin_client):
    from articles.models import Author
    from media.tests.factories import ImageFactory

    portrait = ImageFactory(width=320, height=240)
    response = admin_client.post(
        "/admin/articles/author/add/",
        {
            "display_name": "Omar Haddad",
            "slug": "omar-haddad",
            "role_line": "Defence Editor",
            "photo": portrait.pk,
        },
    )
    assert response.status_code == 302
    author = Author.objects.get(slug="omar-haddad")
    assert author.photo == portrait
    assert (author.photo.width, author.photo.height) == (320, 240)


def test_a_photo_that_is_not_in_the_library_is_refused(admin_client):
    from articles.models import Author

    response = admin_client.post(
        "/admin/articles/author/add/",
        {"display_name": "Omar Haddad", "slug": "omar-haddad", "photo": "999999"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Author.objects.filter(slug="omar-haddad").exists()
