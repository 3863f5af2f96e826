"""The focal-point picker in Debian's Chromium: a click sets the point and
moves the crop previews, under the strict CSP; and a story's page shows the
renditions the browser picks, with the placeholder of an author without a
photo as a filled circle."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import Client

from articles.models import Article
from articles.tests.factories import ArticleFactory, AuthorFactory
from media import services
from media.models import Image
from media.renditions import make_renditions
from media.tests import helpers
from newsroom.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_page(browser, live_server):
    """open_page(user=None): a page in a new context (signed in as the user),
    and the console errors it logs; the contexts are closed before the live
    server stops."""
    opened: list = []

    def open_(user=None):
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        opened.append(ctx)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            ctx.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                              "value": cookie, "url": live_server.url}])  # fmt: skip
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        return page, errors

    yield open_
    for ctx in opened:
        ctx.close()


def test_a_click_sets_the_focal_point_and_the_page_shows_the_crops(
    open_page, live_server, django_user_model, site_settings, category
):
    from newsroom import services as roles

    editor = django_user_model.objects.create_user("desk", "d@example.test", "x" * 12)
    roles.set_role(editor, Role.EDITOR)
    checked = services.check_upload(
        io.BytesIO(helpers.dot_image(800, 400, at=(0.8, 0.3)))
    )
    image, _ = services.add_image(checked, name="dot.png", alt="A red dot")
    make_renditions(image.pk)

    page, errors = open_page(editor)
    page.goto(f"{live_server.url}/admin/media/image/{image.pk}/change/")
    picture = page.locator(".focal-picker img")
    box = picture.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.3)
    assert page.input_value("#id_focal_x") == "0.8"
    assert page.input_value("#id_focal_y") == "0.3"
    position = page.locator(".crop-preview--square img").evaluate(
        "i => i.style.objectPosition"
    )
    assert position == "80% 30%"
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.8, 0.3)
    assert errors == []  # no CSP violation, no script error

    # On the reader's page (the worker made the new crops after the save).
    image.refresh_from_db()
    assert image.renditions["focus"] == [0.8, 0.3]
    bare = AuthorFactory(display_name="Omar Haddad", slug="omar")
    story = ArticleFactory(category=category, author=bare, featured_image=image)
    story = Article.objects.get(pk=story.pk)
    reader, errors = open_page()
    reader.goto(live_server.url + story.get_absolute_url())
    lead = reader.locator(".article__figure img")
    chosen = lead.evaluate(
        "i => i.complete ? i.currentSrc"
        " : new Promise(r => { i.onload = () => r(i.currentSrc); })"
    )
    assert "/renditions/" in chosen and chosen.endswith(".avif")
    initials = reader.locator(".author-box__photo.initials")
    size = initials.bounding_box()
    assert size is not None and round(size["width"]) == round(size["height"]) == 96
    colour = initials.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert initials.inner_text() == "OH"
    assert errors == []
    assert Image.objects.count() == 1
