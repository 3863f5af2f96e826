"""The media library in the admin, and the article admin's use of it."""

from __future__ import annotations

import re

import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, article_form_data
from media.models import Image
from media.tests import helpers
from media.tests.factories import ImageFactory
from newsroom.models import Role

ADD = "/admin/media/image/add/"


def change_url(image: Image) -> str:
    return f"/admin/media/image/{image.pk}/change/"


def words(image: Image, **changes) -> dict:
    data = {
        "title": image.title, "alt": image.alt, "caption": image.caption,
        "credit": image.credit, "focal_x": image.focal_x, "focal_y": image.focal_y,
    }  # fmt: skip
    return data | changes


def test_a_contributor_uploads_an_image_and_the_worker_renders_it(
    signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(Role.CONTRIBUTOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADD,
            {
                "file": helpers.upload(helpers.jpeg_with_gps(900, 600), "quay.jpg"),
                "title": "",
                "alt": "The quay at dusk",
                "caption": "Karachi harbour",
                "credit": "Staff photo",
            },
        )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.title == "quay"
    assert image.uploaded_by == client.user
    assert image.renditions["shapes"]["full"][0][0] == 320
    listing = client.get("/admin/media/image/").content.decode()
    assert 'class="media-thumb"' in listing and "full-050-050-320.jpg" in listing


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"GIF89a but not really", "fake.gif", "not an image"),
        (helpers.SVG_WITH_SCRIPT, "logo.svg", "SVG images are not accepted"),
        (helpers.png_bomb(), "bomb.png", "too many pixels"),
    ],
)
def test_bad_uploads_get_a_form_error_not_a_crash(signed_in, content, name, message):
    response = signed_in(Role.CONTRIBUTOR).post(
        ADD, {"file": helpers.upload(content, name), "alt": "<script>x</script>"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "<script>x</script>" not in response.content.decode()
    assert not Image.objects.exists()


def test_a_duplicate_upload_points_at_the_image_already_there(signed_in):
    client = signed_in(Role.CONTRIBUTOR)
    content = helpers.png(80, 60)
    client.post(ADD, {"file": helpers.upload(content, "a.png"), "title": "First"})
    response = client.post(ADD, {"file": helpers.upload(content, "b.png")})
    assert response.status_code == 200
    assert "already in the library as “First”" in response.content.decode()
    assert Image.objects.count() == 1


def test_a_new_focal_point_makes_new_crops(
    signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(Role.EDITOR)
    image = ImageFactory(width=64, height=48)
    page = client.get(change_url(image)).content.decode()
    assert 'class="focal-picker" data-focal-x="0.5" data-focal-y="0.5"' in page
    assert "js/focal-point.js" in page
    assert 'style="' not in re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(image), words(image, focal_x="0.9"))
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.renditions["focus"] == [0.9, 0.5]
    assert "square-090-050" in image.renditions["shapes"]["square"][0][2]


def test_a_focal_point_outside_the_image_is_refused(signed_in):
    client = signed_in(Role.EDITOR)
    image = ImageFactory()
    response = client.post(change_url(image), words(image, focal_x="1.5"))
    assert response.status_code == 200
    image.refresh_from_db()
    assert image.focal_x == 0.5


def test_contributors_change_their_own_images_only_and_delete_none(
    signed_in, django_user_model
):
    client = signed_in(Role.CONTRIBUTOR)
    mine = ImageFactory(uploaded_by=client.user)
    theirs = ImageFactory()
    assert client.post(change_url(mine), words(mine, alt="Mine")).status_code == 302
    client.post(change_url(theirs), words(theirs, alt="Vandalised"))
    theirs.refresh_from_db()
    assert theirs.alt != "Vandalised"
    client.post(f"/admin/media/image/{mine.pk}/delete/", {"post": "yes"})
    assert Image.objects.filter(pk=mine.pk).exists()


def test_an_editor_may_edit_anyones_image_but_not_delete_one_in_use(
    signed_in, published_article
):
    client = signed_in(Role.EDITOR)
    image = ImageFactory()
    Article.objects.filter(pk=published_article.pk).update(featured_image=image)
    client.post(change_url(image), words(image, alt="Better words"))
    image.refresh_from_db()
    assert image.alt == "Better words"
    page = client.get(change_url(image)).content.decode()
    assert published_article.headline in page  # "Used in"
    response = client.post(f"/admin/media/image/{image.pk}/delete/", {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()  # PROTECT
    assert "protected" in response.content.decode().lower()


def test_the_list_searches_title_alt_caption_and_credit(signed_in):
    client = signed_in(Role.CONTRIBUTOR)
    ImageFactory(title="Frigate", credit="Harbour Press")
    ImageFactory(title="Tank")
    page = client.get("/admin/media/image/", {"q": "harbour"}).content.decode()
    assert "Frigate" in page and "Tank" not in page
    missing = client.get("/admin/media/image/", {"alt": "missing"})
    assert missing.status_code == 200


# The article admin ------------------------------------------------------------


@pytest.fixture
def editor_client(signed_in):
    return signed_in(Role.EDITOR)


def test_the_article_form_chooses_its_image_by_search(editor_client, category):
    article = ArticleFactory(category=category, status=Article.Status.DRAFT)
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    html = page.content.decode()
    assert 'name="featured_image"' in html
    assert "admin-autocomplete" in html  # not a select of every image
    ImageFactory(title="Frigate at dawn")
    found = editor_client.get(
        "/admin/autocomplete/",
        {
            "term": "frigate",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "featured_image",
        },  # fmt: skip
    ).json()
    assert [r["text"] for r in found["results"]] == ["Frigate at dawn"]


def test_a_story_whose_image_has_no_alt_text_is_not_published(editor_client, category):
    image = ImageFactory(alt="")
    article = ArticleFactory(category=category, status=Article.Status.DRAFT,
                             published_at=None)  # fmt: skip
    url = f"/admin/articles/article/{article.pk}/change/"
    response = editor_client.post(
        url, article_form_data(article, featured_image=image.pk, status="published")
    )
    assert response.status_code == 200
    assert "Add alt text (what the image shows) to the featured image" in (
        response.content.decode()
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.featured_image is None
    # A draft may have it; scheduling is refused too.
    response = editor_client.post(
        url, article_form_data(article, featured_image=image.pk)
    )
    assert response.status_code == 302
    scheduled = article_form_data(
        article, featured_image=image.pk, status="scheduled",
        published_at_0="2099-01-01", published_at_1="10:00:00",
    )  # fmt: skip
    assert "Add alt text" in editor_client.post(url, scheduled).content.decode()
    image.alt = "A frigate leaving port"
    image.save()
    response = editor_client.post(
        url, article_form_data(article, featured_image=image.pk, status="published")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_a_body_image_without_alt_text_stops_publishing_too(editor_client, category):
    blank = ImageFactory(alt="", title="Chart")
    article = ArticleFactory(category=category, status=Article.Status.DRAFT,
                             published_at=None)  # fmt: skip
    Article.objects.filter(pk=article.pk).update(
        body=f'<figure class="image" data-image-id="{blank.pk}"><img src="x"></figure>'
    )
    article.refresh_from_db()
    assert article.images_without_alt() == [f"the body's image “Chart” ({blank.pk})"]
    response = editor_client.post(
        "/admin/articles/article/",
        {"action": "make_published", "_selected_action": [article.pk]},  # fmt: skip
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
