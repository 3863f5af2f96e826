"""The page's chrome (date bar, header, footer) follows every change a reader
would see, on pages the page cache does not serve."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from articles.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

# The search page is never served from the page cache: it shows the chrome as
# rendered for each request.
PAGE = "/search/"


def test_a_renamed_site_and_a_new_section_show_at_once(client, site_settings):
    assert "Frontline Test Desk" in client.get(PAGE).content.decode()
    site_settings.site_name = "Harbour Watch"
    site_settings.save()
    CategoryFactory(name="Logistics", slug="logistics")
    html = client.get(PAGE).content.decode()
    assert html.count("Harbour Watch") >= 2  # header and footer
    assert "Frontline Test Desk" not in html
    assert '<a href="/category/logistics/">Logistics</a>' in html


def test_the_date_bar_and_the_year_follow_the_clock(client, site_settings):
    with time_machine.travel(dt.datetime(2025, 12, 31, 23, 59, tzinfo=dt.UTC)):
        html = client.get(PAGE).content.decode()
    assert "Wednesday, December 31, 2025" in html and "&copy; 2025" in html
    with time_machine.travel(dt.datetime(2026, 1, 1, 0, 1, tzinfo=dt.UTC)):
        html = client.get(PAGE).content.decode()
    assert "Thursday, January 1, 2026" in html and "&copy; 2026" in html


def test_only_the_current_section_is_marked_current(client, site_settings):
    land = CategoryFactory(name="Land", slug="land")
    sea = CategoryFactory(name="Sea", slug="sea")
    current = 'aria-current="page">{}</a>'
    on_land = client.get(land.get_absolute_url()).content.decode()
    assert current.format("Land") in on_land and current.format("Sea") not in on_land
    on_sea = client.get(sea.get_absolute_url()).content.decode()
    assert current.format("Sea") in on_sea and current.format("Land") not in on_sea
    on_search = client.get(PAGE).content.decode()
    assert 'aria-current="page"' not in on_search
    assert '<h1 class="site-title">' in client.get("/").content.decode()
    assert '<h1 class="site-title">' not in on_search
