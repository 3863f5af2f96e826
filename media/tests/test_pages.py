"""The library's images on the reader pages: <picture> with the renditions'
srcset everywhere an image is shown, the original before they exist, a tidy
placeholder for an author without a photo, and never a stale copy."""

from __future__ import annotations

import io
import re

import pytest
from django.db.models import F

from articles.models import Article
from articles.tests.factories import ArticleFactory, AuthorFactory
from media import renditions, services
from media.models import Image
from media.tests import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]


def library_image(content: bytes | None = None, **words) -> Image:
    checked = services.check_upload(io.BytesIO(content or helpers.jpeg(1400, 900)))
    words.setdefault("alt", "Sailors on the deck of a frigate")
    image, _ = services.add_image(checked, name="deck.jpg", **words)
    return image


def rendered(image: Image, django_capture_on_commit_callbacks) -> Image:
    """Run the worker's task for the image, with what it does after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        renditions.make_renditions(image.pk)
    image.refresh_from_db()
    return image


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, re.DOTALL)


def test_the_article_page_shows_the_lead_image_with_srcset_caption_and_credit(
    client, published_article, django_capture_on_commit_callbacks
):
    image = library_image(caption="At sea off Karachi", credit="Staff photo")
    image = rendered(image, django_capture_on_commit_callbacks)
    Article.objects.filter(pk=published_article.pk).update(featured_image=image)
    html = client.get(published_article.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="article__figure">.*?</figure>', html, re.S)
    assert figure is not None
    shown = figure[0]
    assert '<source type="image/avif" srcset="/media/renditions/' in shown
    assert re.search(r'srcset="[^"]*full-050-050-320\.jpg 320w, ', shown)
    assert "1280w" in shown and "1920w" not in shown  # 1400 wide: no upscaling
    assert 'sizes="(max-width: 760px) 100vw, 720px"' in shown
    assert 'alt="Sailors on the deck of a frigate"' in shown
    assert 'width="1280" height="823"' in shown  # the largest, in its ratio
    assert "At sea off Karachi" in shown and "Staff photo" in shown


def test_before_the_renditions_exist_the_original_is_shown(client, published_article):
    image = library_image()
    Article.objects.filter(pk=published_article.pk).update(featured_image=image)
    html = client.get(published_article.get_absolute_url()).content.decode()
    (shown,) = [p for p in pictures(html) if "Sailors" in p]
    assert f'src="{image.file.url}"' in shown
    assert "srcset" not in shown and "<source" not in shown


def test_cards_and_the_lead_story_show_16_9_renditions(
    client, category, author, django_capture_on_commit_callbacks
):
    image = rendered(library_image(), django_capture_on_commit_callbacks)
    for n in range(3):
        ArticleFactory(category=category, author=author, featured_image=image,
                       headline=f"Story {n}")  # fmt: skip
    html = client.get("/").content.decode()
    (lead,) = re.findall(r'<article class="lead">.*?</article>', html, re.S)
    assert "wide-050-050-1280.avif 1280w" in lead
    html = client.get(f"/category/{category.slug}/").content.decode()
    cards = [p for p in pictures(html) if "wide-050-050" in p]
    assert len(cards) == 3
    for card in cards:
        assert 'type="image/avif"' in card
        assert 'alt=""' in card  # the link beside it names the story
        assert re.search(r'width="1280" height="720"', card)


def test_a_list_of_cards_costs_no_query_per_image(
    client, category, author, django_assert_max_num_queries
):
    for n in range(5):  # a page of the section (posts_per_page)
        image = library_image(helpers.png(40, 30, (n, 1, 2)))
        ArticleFactory(
            category=category,
            author=author,
            headline=f"Story {n}",
            featured_image=image,
        )
    with django_assert_max_num_queries(7):  # 6; one per image would be 11
        response = client.get(f"/category/{category.slug}/")
    assert response.content.decode().count("<picture>") == 5


def test_the_author_box_shows_the_square_photo(
    client, published_article, django_capture_on_commit_callbacks
):
    author = published_article.author
    author.photo = rendered(
        library_image(helpers.jpeg(600, 400), alt="Amina Rauf at her desk"),
        django_capture_on_commit_callbacks,
    )
    author.save()
    for url in (published_article.get_absolute_url(), author.get_absolute_url()):
        html = client.get(url).content.decode()
        box = re.search(r'<section class="block author-box".*?</section>', html, re.S)
        assert box is not None, url
        assert "square-050-050-96.avif 96w" in box[0]
        assert 'class="author-box__photo"' in box[0]
        assert 'width="384" height="384"' in box[0]
        assert 'alt="Amina Rauf at her desk"' in box[0]


def test_an_author_without_a_photo_gets_initials_not_an_empty_square(
    client, published_article
):
    coauthor = AuthorFactory(display_name="Omar al-Haddad", slug="omar")
    published_article.coauthors.add(coauthor)
    html = client.get(published_article.get_absolute_url()).content.decode()
    boxes = re.findall(r'<section class="block author-box".*?</section>', html, re.S)
    assert len(boxes) == 2
    for box, letters in zip(boxes, ["AR", "OH"], strict=True):
        assert "<img" not in box
        assert re.search(
            r'<span class="author-box__photo initials initials--\d" '
            rf'aria-hidden="true">{letters}</span>',
            box,
        )


def test_a_library_figure_in_the_body_is_shown_with_its_renditions(
    client, published_article, django_capture_on_commit_callbacks
):
    image = rendered(library_image(), django_capture_on_commit_callbacks)
    body = (
        f'<p>Before.</p><figure class="image" data-image-id="{image.pk}">'
        f'<img src="/media/old.jpg" alt="On deck" width="1400" height="900">'
        '<figcaption>At sea <small class="credit">Staff</small></figcaption>'
        '</figure><figure class="image" data-image-id="99999999">'
        '<img src="/media/gone.jpg" alt="Gone"></figure>'
    )
    published_article.body = body  # as the editor sends it, sanitised on save
    published_article.save()
    assert f'data-image-id="{image.pk}"' in published_article.body
    html = client.get(published_article.get_absolute_url()).content.decode()
    prose = re.search(r'<div class="article__body prose">(.*?)</div>', html, re.S)
    assert prose is not None
    figure = re.search(r'<figure class="image".*?</figure>', prose[1], re.S)
    assert figure is not None
    assert '<source type="image/avif" srcset="' in figure[0]
    assert 'alt="On deck"' in figure[0]
    assert "<figcaption>At sea" in figure[0]
    # An id that names no image keeps the plain <img> it carries.
    assert '<img src="/media/gone.jpg" alt="Gone">' in prose[1]


def test_share_tags_use_a_large_jpeg_rendition(
    client, public_site, published_article, django_capture_on_commit_callbacks
):
    image = rendered(library_image(), django_capture_on_commit_callbacks)
    Article.objects.filter(pk=published_article.pk).update(featured_image=image)
    html = client.get(published_article.get_absolute_url()).content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html)
    assert og is not None and og[1].endswith("full-050-050-1280.jpg")
    assert '<meta property="og:image:width" content="1280">' in html


def test_a_cached_page_shows_the_renditions_once_they_are_made(
    client, published_article, category, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    image = library_image()
    with django_capture_on_commit_callbacks(execute=False):
        published_article.featured_image = image
        published_article.save()
    Article.objects.filter(pk=published_article.pk).update(
        published_at=F("published_at")
    )
    url = published_article.get_absolute_url()
    before = client.get(url).content.decode()
    home_before = client.get("/").content.decode()
    assert "srcset" not in "".join(pictures(before))
    assert client.get(url).content.decode() == before  # served from the cache
    assert "wide-050-050" not in home_before
    rendered(image, django_capture_on_commit_callbacks)
    after = client.get(url).content.decode()
    assert '<source type="image/avif"' in after
    assert "wide-050-050-640.avif 640w" in client.get("/").content.decode()


def test_new_alt_text_shows_on_the_cached_page(
    client,
    published_article,
    settings,
    django_capture_on_commit_callbacks,
    admin_client,
):
    settings.PAGE_CACHE_SECONDS = 300
    image = library_image(alt="Old words")
    Article.objects.filter(pk=published_article.pk).update(featured_image=image)
    url = published_article.get_absolute_url()
    assert 'alt="Old words"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/media/image/{image.pk}/change/",
            {
                "title": image.title,
                "alt": "New words",
                "caption": "",
                "credit": "",
                "focal_x": "0.5",
                "focal_y": "0.5",
            },  # fmt: skip
        )
    assert response.status_code == 302
    assert 'alt="New words"' in client.get(url).content.decode()


def test_an_image_whose_file_was_lost_in_a_migration_still_renders_the_page(
    client, published_article
):
    # Moved from the old field with no file behind it: no size, no digest.
    lost = Image.objects.create(file="articles/gone.jpg", width=0, height=0, alt="Gone")
    Article.objects.filter(pk=published_article.pk).update(featured_image=lost)
    response = client.get(published_article.get_absolute_url())
    assert response.status_code == 200
    assert '<img src="/media/articles/gone.jpg" alt="Gone"' in response.content.decode()
