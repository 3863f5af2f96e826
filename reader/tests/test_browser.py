"""A reader's path through the site in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from lib.testing import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom(site_settings):
    """The demo newsroom that `make run` loads, smaller."""
    call_command("seed_demo", articles=60, comments=150, stdout=io.StringIO())
    return list(Article.objects.published().for_page().newest_first())


def _load_all_images(page) -> None:
    """Lazy images load on scroll; load them all before a full-page screenshot."""
    page.evaluate(
        """async () => {
            const images = [...document.images];
            images.forEach(i => { i.loading = "eager"; });
            await Promise.all(images.map(i => i.complete ? null
                : new Promise(r => { i.onload = i.onerror = r; })));
        }"""
    )


BLOCKS = [
    ".date-bar",
    ".top-week",
    ".related",
    ".article",
    ".article__figure img",
    ".subscribe-box",
    ".author-box",
    ".comment-form",
    ".popular",
]


def test_a_reader_goes_from_the_home_page_to_an_article_and_sees_every_block(
    browser, live_server, newsroom
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, viewport in {
        "desktop": {"width": 1280, "height": 900},
        "phone": {"width": 360, "height": 740},
    }.items():
        page = browser.new_page(viewport=viewport)
        errors: list[str] = []
        page.on(
            "console", lambda m, errs=errors: m.type == "error" and errs.append(m.text)
        )
        page.goto(live_server.url + "/")
        assert page.locator("h1.site-title").inner_text() == "Frontline Test Desk"
        _load_all_images(page)
        page.screenshot(path=SCREENSHOTS / f"home-{name}.png", full_page=True)
        page.locator(".latest .card__title a").first.click()
        page.wait_for_load_state()
        assert "/category/" not in page.url
        for selector in BLOCKS:
            assert page.locator(selector).first.is_visible(), selector
        assert page.locator(".top-week li").count() == 5
        slug = page.url.rstrip("/").rsplit("/", 1)[-1]
        article = Article.objects.select_related("author").get(slug=slug)
        names = page.locator(".author-box__name").all_inner_texts()
        assert names[0] == article.author.display_name
        photo = page.locator(".author-box__photo")
        photo.scroll_into_view_if_needed()
        width = photo.evaluate(
            "i => i.complete ? i.naturalWidth"
            " : new Promise(r => { i.onload = () => r(i.naturalWidth); })"
        )
        assert width > 0
        date_bar = page.locator(".date-bar").inner_text()
        assert date_bar == timezone.localdate().strftime("%A, %B %-d, %Y")
        # No horizontal scrolling on a 360 px phone.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0
        _load_all_images(page)
        page.screenshot(path=SCREENSHOTS / f"article-{name}.png", full_page=True)
        assert errors == []
        page.close()


def test_the_comment_form_explains_what_is_missing(browser, live_server, newsroom):
    page = browser.new_page()
    page.goto(live_server.url + newsroom[0].get_absolute_url())
    page.locator(".comment-form button[type=submit]").click()
    message = page.locator("#comment-body").evaluate("e => e.validationMessage")
    assert message == "Please enter your comment!"
    page.fill("#comment-body", "A thoughtful remark.")
    page.locator(".comment-form button[type=submit]").click()
    message = page.locator("#comment-name").evaluate("e => e.validationMessage")
    assert message == "Please enter your name here"
    page.close()


def test_keyboard_users_can_skip_to_the_content_and_see_focus(
    browser, live_server, newsroom
):
    page = browser.new_page()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()
