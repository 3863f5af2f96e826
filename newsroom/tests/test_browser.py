"""The review flow in Debian's Chromium: a contributor submits, an editor
schedules and shares a preview, the story goes live at its time; the back
office on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from articles.models import Article
from articles.tasks import publish_due_articles
from lib.testing import SCREENSHOTS
from newsroom.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def _signed_in(browser, live_server, user, **context):
    """A browser context with the account's session (the sign-in form is
    the accounts app's, tested there)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    ctx = browser.new_context(**context)
    ctx.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie,
                "url": live_server.url,
            }
        ]
    )
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    return page, errors


def test_a_contributor_submits_an_editor_schedules_and_it_goes_live(
    browser, live_server, make_account, story_of, site_settings
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    writer = make_account(Role.CONTRIBUTOR, "writer")
    story_of(writer, headline="Submarine tender reopens", body="<p>Bids due.</p>")

    page, errors = _signed_in(browser, live_server, writer)
    page.goto(live_server.url + "/admin/")
    with page.expect_navigation():
        page.locator("#my-drafts a", has_text="Submarine tender reopens").click()
    options = page.locator("#id_status option").all_text_contents()
    assert options == ["Draft", "Pending review"]  # nothing else to choose
    page.select_option("#id_status", "pending")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert errors == []
    article = Article.objects.get(headline="Submarine tender reopens")
    assert article.status == Article.Status.PENDING

    editor = make_account(Role.EDITOR, "desk")
    page, errors = _signed_in(browser, live_server, editor)
    page.goto(live_server.url + "/admin/")
    with page.expect_navigation():
        page.locator("#waiting-review a", has_text="Submarine tender reopens").click()
    when = timezone.localtime(timezone.now() + dt.timedelta(minutes=30))
    page.select_option("#id_status", "scheduled")
    page.fill("#id_published_at_0", when.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", when.strftime("%H:%M:00"))
    preview = page.locator("a.preview-link").get_attribute("href")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert errors == []
    page.goto(live_server.url + "/admin/")
    assert "Submarine tender reopens" in page.locator("#scheduled-next").inner_text()

    # A colleague without an account reads it before it is out.
    assert preview is not None
    guest = browser.new_context().new_page()
    guest.goto(live_server.url + preview.removeprefix(settings.SITE_URL))
    assert guest.locator("h1", has_text="Submarine tender reopens").is_visible()
    robots = guest.locator('meta[name="robots"]').get_attribute("content")
    assert robots == "noindex"

    article.refresh_from_db()
    permalink = live_server.url + Article.permalink(article.published_at, article.slug)
    reader = browser.new_context().new_page()
    assert reader.goto(permalink).status == 404  # not yet
    with time_machine.travel(article.published_at + dt.timedelta(seconds=40)):
        assert publish_due_articles.call() == [article.pk]  # the minute's sweep
        response = reader.goto(permalink)
        assert response.status == 200
        assert reader.locator("h1", has_text="Submarine tender reopens").is_visible()
        # The preview link now leads to the published page.
        guest.goto(live_server.url + preview.removeprefix(settings.SITE_URL))
        assert guest.url == permalink


def test_the_back_office_works_on_a_phone(
    browser, live_server, make_account, story_of, colleague, site_settings
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    editor = make_account(Role.EDITOR, "desk")
    for n in range(3):
        story_of(colleague, Article.Status.PENDING, headline=f"Story {n} for review")
    article = story_of(editor, headline="A draft with a rather long headline indeed")
    page, errors = _signed_in(browser, live_server, editor, viewport=PHONE)
    for path, shot in [
        ("/admin/", "admin-dashboard-phone"),
        (f"/admin/articles/article/{article.pk}/change/", "admin-article-phone"),
    ]:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, path
        page.screenshot(path=SCREENSHOTS / f"{shot}.png", full_page=True)
    page.goto(live_server.url + "/admin/")
    bar = page.locator(".newsroom-bar")
    assert bar.is_visible()
    assert bar.locator("a", has_text="For review").is_visible()
    # Panels stack in one column, each as wide as the content.
    panels = page.locator(".newsroom-panel")
    lefts = {round(b["x"]) for b in (p.bounding_box() for p in panels.all()) if b}
    assert len(lefts) == 1
    with page.expect_navigation():
        bar.locator("a", has_text="For review").click()
    assert "Story 0 for review" in page.content()
    assert errors == []  # nothing refused by the Content-Security-Policy
