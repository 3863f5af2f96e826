"""The reader's side of the mailing list in Debian's Chromium: sign up from an
article, confirm from the email, then change preferences from a later email."""

from __future__ import annotations

import re

import pytest

from articles.tests.factories import CategoryFactory
from lib.testing import SCREENSHOTS
from subscriptions.models import Subscriber
from subscriptions.tasks import fan_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(message, kind: str, base: str) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(rf"https?://\S+/subscribe/{kind}/\S+/", text)
    assert match is not None
    url = match.group(0)
    return base + "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_reader_subscribes_confirms_and_chooses_a_weekly_digest(
    browser, live_server, published_article, site_settings, smtp_server
):
    cyber = CategoryFactory(name="Cyber & Intelligence")
    page = browser.new_page()
    page.goto(live_server.url + published_article.get_absolute_url())
    page.fill("#subscribe-email", "Reader@Example.test")
    page.click(".subscribe-box button[type=submit]")
    page.wait_for_selector("text=Check your inbox")
    [(_to, confirm_mail)] = smtp_server.messages
    page.goto(_link(confirm_mail, "confirm", live_server.url))
    assert Subscriber.objects.get().status == "pending"  # opening is not confirming
    page.click("text=Confirm my subscription")
    page.wait_for_selector("h1")
    assert Subscriber.objects.get().status == "confirmed"

    fan_out.call(published_article.pk)
    _to, post_mail = smtp_server.messages[-1]
    page.goto(_link(post_mail, "preferences", live_server.url))
    page.check("input[value=weekly]")
    page.get_by_label("Cyber & Intelligence").check()
    page.click("text=Save my choices")
    page.wait_for_selector("text=Saved.")
    page.screenshot(path=SCREENSHOTS / "subscription-preferences.png", full_page=True)
    reader = Subscriber.objects.get()
    assert reader.frequency == "weekly"
    assert list(reader.categories.all()) == [cyber]
    # The page shows the saved choices when opened again.
    page.reload()
    assert page.is_checked("input[value=weekly]")
    assert page.get_by_label("Cyber & Intelligence").is_checked()
    page.close()
