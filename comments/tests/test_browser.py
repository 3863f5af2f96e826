"""Comments in Debian's Chromium: hostile input never runs, and the whole
reader → moderator → reader path works."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from comments import services
from comments.models import Comment
from comments.tests.xss_vectors import VECTORS
from lib.testing import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
POST = "/comments/post/"
SCRIPTABLE_TAGS = "script, iframe, object, embed, svg, img, style, link, meta, base"
HOSTILE_TAGS = SCRIPTABLE_TAGS + ", form, input, textarea, select"


def _watch(page) -> list[str]:
    fired: list[str] = []

    def on_dialog(dialog, fired=fired):
        fired.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return fired


def _hostile_markup(page, selector: str, tags: str = HOSTILE_TAGS) -> int:
    return page.evaluate(
        """([selector, tags]) => {
            const root = document.querySelector(selector);
            if (!root) return -1;
            let bad = root.querySelectorAll(tags).length;
            for (const el of root.querySelectorAll("*")) {
                for (const attr of el.attributes) {
                    if (attr.name.startsWith("on")) bad++;
                    const url = ["href", "src", "action", "formaction", "srcdoc",
                                 "data", "background", "poster"];
                    if (url.includes(attr.name)
                        && /^\\s*(javascript|data|vbscript):/i.test(attr.value)) bad++;
                }
            }
            return bad;
        }""",
        [selector, tags],
    )


def test_fifty_known_xss_vectors_never_run(
    browser, live_server, published_article, comment_data, site_settings, discussion
):
    assert len(VECTORS) >= 50
    client = Client()
    for vector in VECTORS:
        data = comment_data(body=vector, name=vector[:100], url="", email="x@ex.test")
        response = client.post(POST, data)
        assert response.status_code in (302, 409), (vector, response.status_code)
        if "://" in vector or vector.startswith("www."):
            client.post(POST, comment_data(body=f"link {vector}", url=vector))
    for comment in Comment.objects.all():
        services.set_status(comment, Comment.Status.APPROVED)
    assert Comment.objects.approved().count() >= 50

    page = browser.new_page()
    fired = _watch(page)
    page.goto(live_server.url + published_article.get_absolute_url())
    page.wait_for_timeout(500)  # give any payload its chance
    assert fired == []
    assert page.evaluate("window.__xss") is None
    assert page.locator(".comment").count() >= 50
    assert _hostile_markup(page, ".comment-list") == 0
    # The payload is shown as text, as the reader typed it.
    assert "<script>alert(1)</script>" in page.locator(".comment-list").inner_text()
    page.screenshot(path=SCREENSHOTS / "comments-xss.png", full_page=True)
    page.close()


def test_xss_in_a_rejected_form_is_shown_back_as_text(
    browser, live_server, published_article, site_settings, discussion
):
    """A hostile client posts every vector as name, website and comment with a
    bad website address; the error page that keeps the text must not run it."""
    page = browser.new_page()
    fired = _watch(page)
    url = live_server.url + published_article.get_absolute_url()
    for vector in VECTORS:
        page.goto(url)
        page.evaluate(
            """([v]) => {
                const f = document.getElementById("respond");
                f.elements.url.type = "text";
                f.elements.body.value = v;
                f.elements.name.value = v.slice(0, 100);
                f.elements.email.value = "x@ex.test";
                f.elements.url.value = "not a url " + v;
            }""",
            [vector],
        )
        with page.expect_navigation():
            page.locator("#respond button[type=submit]").click()
        assert "Your comment was not posted yet" in page.content()
        assert page.locator("#comment-body").input_value() == vector.replace("\r", "")
        # The page's own form has inputs; nothing else may appear.
        assert _hostile_markup(page, "main", SCRIPTABLE_TAGS) == 0, vector
        assert page.locator("main form").count() == 1, vector
    assert fired == []
    assert page.evaluate("window.__xss") is None
    assert Comment.objects.count() == 0
    page.close()


def test_a_reader_comments_an_editor_approves_and_everyone_sees_it(
    browser,
    live_server,
    published_article,
    site_settings,
    discussion,
    django_user_model,
):
    discussion.min_seconds_to_submit = 1
    discussion.save()
    django_user_model.objects.create_superuser(
        "desk", "desk@example.test", "a-long-test-password"
    )
    article_url = live_server.url + published_article.get_absolute_url()

    reader = browser.new_context()
    page = reader.new_page()
    page.goto(article_url)
    page.fill("#comment-body", "The map in this report shows the wrong harbour.")
    page.fill("#comment-name", "Mirela Kovac")
    page.fill("#comment-email", "mirela@example.test")
    page.check("#comment-remember")
    page.wait_for_timeout(1200)  # a person takes at least a second
    with page.expect_navigation():
        page.locator("#respond button[type=submit]").click()
    pending = page.locator(".comment--pending")
    assert pending.is_visible()
    assert "Your comment is awaiting moderation." in pending.inner_text()
    assert "wrong harbour" in pending.inner_text()
    page.screenshot(path=SCREENSHOTS / "comment-awaiting-moderation.png")
    # "Remember me" refills the form on the next visit, from this browser only.
    page.goto(article_url)
    assert page.input_value("#comment-name") == "Mirela Kovac"

    stranger = browser.new_context().new_page()
    stranger.goto(article_url)
    assert "wrong harbour" not in stranger.content()

    editor = browser.new_context().new_page()
    console_errors: list[str] = []
    editor.on(
        "console",
        lambda msg: (
            console_errors.append(f"{msg.text} {msg.location}")
            if msg.type == "error"
            else None
        ),
    )
    editor.goto(live_server.url + "/admin/")
    editor.fill("#id_username", "desk")
    editor.fill("#id_password", "a-long-test-password")
    with editor.expect_navigation():
        editor.locator("input[type=submit]").click()
    assert "Comments awaiting moderation" in editor.content()
    box = editor.locator("#held-comments")
    assert "wrong harbour" in box.inner_text()
    assert box.evaluate("e => getComputedStyle(e).borderTopWidth") == "3px"
    # its stylesheet applies
    assert console_errors == []  # nothing refused by the Content-Security-Policy
    editor.goto(live_server.url + "/admin/comments/comment/?status__exact=pending")
    editor.locator("input.action-select").first.check()
    editor.select_option("select[name=action]", "approve")
    with editor.expect_navigation():
        editor.locator("button[name=index]").click()
    assert re.search(r"1 comments? approved", editor.content())

    stranger.goto(article_url)
    public = stranger.locator(".comment").first
    assert "wrong harbour" in public.inner_text()
    assert "awaiting moderation" not in public.inner_text()
    assert stranger.locator("#comments-title").inner_text().lower() == "1 comment"
    stranger.screenshot(path=SCREENSHOTS / "comment-approved.png", full_page=True)
    reader.close()


def test_a_reader_replies_in_place(
    browser, live_server, published_article, site_settings, discussion
):
    discussion.hold_first_comment = False
    discussion.save()
    question = Comment.objects.create(
        article=published_article,
        author_name="Ana",
        author_email="ana@example.test",
        body="Which yard builds them?",
        status=Comment.Status.APPROVED,
    )
    page = browser.new_page()
    page.goto(live_server.url + published_article.get_absolute_url())
    page.locator(f"[data-reply-to='{question.pk}']").click()
    assert "Reply to Ana" in page.locator("#reply-title").inner_text()
    page.fill("#comment-body", "The northern yard, says the ministry.")
    page.fill("#comment-name", "Ben")
    page.fill("#comment-email", "ben@example.test")
    with page.expect_navigation():
        page.locator("#respond button[type=submit]").click()
    reply = Comment.objects.get(author_name="Ben")
    assert reply.parent == question
    nested = page.locator(
        f"#comment-{question.pk} .comment-children #comment-{reply.pk}"
    )
    assert nested.is_visible()
    page.close()
