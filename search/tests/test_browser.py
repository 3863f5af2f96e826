"""A reader searches the site in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from articles.tests.factories import ArticleFactory, CategoryFactory
from search import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_searches_filters_by_section_and_turns_the_page(
    browser, live_server, site_settings
):
    naval = CategoryFactory(name="Naval", slug="naval")
    land = CategoryFactory(name="Land", slug="land")
    now = timezone.now()
    ids = []
    for i in range(14):
        ids.append(
            ArticleFactory(
                headline=f"Submarine patrol {i}" if i % 2 else f"Convoy {i}",
                body=f"<p>The submarine story number {i}, told in full.</p>",
                category=naval if i % 2 else land,
                published_at=now - dt.timedelta(hours=i),
            ).pk
        )
    services.index_articles(ids)
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{live_server.url}/")
    page.fill("#site-search-q", "submarines")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=submarines")
    assert page.inner_text(".search-count") == "14 results"
    assert page.locator(".search-result").count() == 10
    assert page.locator(".search-result mark").first.inner_text().lower() == "submarine"
    page.click("a[rel=next]")
    assert page.locator(".search-result").count() == 4
    assert "Page 2 of 2" in page.inner_text(".pagination")

    page.select_option("#id_category", "naval")
    page.select_option("#id_order", "newest")
    page.click(".search-form button[type=submit]")
    page.wait_for_url("**category=naval**")
    assert page.inner_text(".search-count") == "7 results"
    headlines = page.locator(".search-result .card__title").all_inner_texts()
    assert headlines == [f"Submarine patrol {i}" for i in (1, 3, 5, 7, 9, 11, 13)]
    assert page.input_value("#id_q") == "submarines"
    assert page.input_value("#id_category") == "naval"

    page.fill("#id_date_from", "2030-01-02")
    page.fill("#id_date_to", "2030-01-01")
    page.click(".search-form button[type=submit]")
    page.wait_for_load_state()
    assert "The start date is after the end date." in page.inner_text(".form-errors")
    assert errors == []
