"""A reader in Chromium: the article page's script sends the read beacon (also
from the page cache), and after the flush Top 5 This Week changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, CategoryFactory
from audience import services, tasks
from audience.models import DailyReads
from audience.tests.conftest import CHROME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def week(site_settings):
    section = CategoryFactory(name="Naval Affairs", slug="naval-affairs")
    now = timezone.now()
    articles = [
        ArticleFactory(
            headline=f"Story number {i} of the week",
            category=section,
            published_at=now - dt.timedelta(hours=6 * (i + 1)),
        )
        for i in range(30)
    ]
    services.refresh_rankings()
    return articles


def _top5(page) -> list[str]:
    return page.locator(".top-week__link").all_inner_texts()


def _read(page, live_server, article: Article) -> None:
    with page.expect_response(lambda r: "/audience/read/" in r.url) as beacon:
        page.goto(live_server.url + article.get_absolute_url())
    assert beacon.value.status == 204


def test_reading_articles_changes_top_5_after_the_flush(browser, live_server, week):
    # Headless Chromium says "HeadlessChrome", which is not counted (a bot);
    # this reader presents itself as the desktop browser it is.
    context = browser.new_context(user_agent=CHROME)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(live_server.url + "/")
    before = _top5(page)
    # Nothing read yet: the newest not already shown higher on the home page.
    assert before == [a.headline for a in week[11:16]]
    old_one, older_one = week[-2], week[-1]
    assert old_one.headline not in before and older_one.headline not in before

    _read(page, live_server, older_one)
    _read(page, live_server, old_one)
    _read(page, live_server, old_one)  # from the page cache now; counted once
    _read(page, live_server, older_one)
    second = context.browser.new_context(user_agent=CHROME.replace("131", "130"))
    _read(second.new_page(), live_server, older_one)  # another reader
    assert not DailyReads.objects.exists()  # buffered until the flush

    page.goto(live_server.url + "/")
    assert _top5(page) == before  # still the cached lists

    result = tasks.tick.call()  # the periodic flush and rankings
    assert result["flush"] == {
        "received": 5, "counted": 3, "repeats": 2, "not_live": 0
    }  # fmt: skip
    page.goto(live_server.url + "/")  # the cached page, its Top 5 filled in anew
    assert _top5(page) == [older_one.headline, old_one.headline, *before[:3]]
    assert not errors
    second.close()
    context.close()
