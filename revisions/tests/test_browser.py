"""Autosave in Debian's Chromium: a closed tab loses at most a few seconds of
what was typed in the body's editor."""

from __future__ import annotations

import pytest

from newsroom.models import Role
from newsroom.tests.test_browser import _signed_in
from revisions.models import Revision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_text_typed_then_abandoned_is_offered_back(
    browser, live_server, make_account, story_of, settings
):
    settings.REVISIONS_AUTOSAVE_SECONDS = 2
    writer = make_account(Role.CONTRIBUTOR, "writer")
    story = story_of(writer, headline="Coastal radar tender", body="<p>Bids.</p>")
    change = f"{live_server.url}/admin/articles/article/{story.pk}/change/"

    page, errors = _signed_in(browser, live_server, writer)
    page.goto(change)
    # Typed in the body's rich-text editor, which writes the form's field.
    page.wait_for_selector("textarea[data-body-editor-ready='1']", state="attached")
    page.locator(".body-editor .ProseMirror[contenteditable]").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" The ministry extended the deadline.")
    # The timer sends it, without leaving the page.
    page.locator("#autosave-status", has_text="Autosaved at").wait_for(timeout=8000)
    page.close()  # the tab is closed without saving
    assert errors == []
    (saved,) = Revision.objects.autosaves()
    assert "extended the deadline" in saved.snapshot["body"]

    page, errors = _signed_in(browser, live_server, writer)
    page.goto(change)
    offer = page.locator(".autosave-offer")
    assert "never saved" in offer.inner_text()
    with page.expect_navigation():
        offer.locator("a", has_text="Restore my autosaved text").click()
    assert "extended the deadline" in page.locator("#id_body").input_value()
    # The restored text is in the editor too, ready to go on with.
    page.wait_for_selector("textarea[data-body-editor-ready='1']", state="attached")
    editor = page.locator(".body-editor .ProseMirror[contenteditable]")
    assert "extended the deadline" in editor.inner_text()
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert errors == []
    story.refresh_from_db()
    assert "extended the deadline" in story.body
    assert not Revision.objects.autosaves().exists()
