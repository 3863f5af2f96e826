"""The admin upload and an old link, in Debian's Chromium."""

from __future__ import annotations

import pytest

from importers.tests.conftest import UPLOADS, fixture_path
from lib.testing import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_imports_an_export_and_old_links_lead_to_the_story(
    browser, live_server, django_user_model, site_settings
):
    django_user_model.objects.create_superuser(
        "chief", "chief@example.test", "a-long-test-password"
    )
    page = browser.new_context().new_page()
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-test-password")
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    page.goto(live_server.url + "/admin/importers/importrun/add/")
    page.set_input_files("#id_file", str(fixture_path("classic-1.1.xml")))
    page.fill("#id_media_dir", str(UPLOADS))
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    listing = page.locator("#result_list").inner_text()
    assert "Done" in listing and "100%" in listing
    with page.expect_navigation():
        page.locator("#result_list tbody a").first.click()
    report = page.locator("pre.wxr-report").inner_text()
    assert "posts: publish: 4" in report
    assert "Media files not found (1)" in report
    page.screenshot(path=SCREENSHOTS / "wxr-import-report.png", full_page=True)

    reader = browser.new_context().new_page()
    reader.goto(live_server.url + "/?p=101")
    assert reader.url == live_server.url + "/2019/03/16/night-ferry-returns/"
    assert (
        "Night ferry returns after storm repairs" in reader.locator("h1").inner_text()
    )
    figure = reader.locator("figure figcaption", has_text="The quay at dusk")
    # The featured image's caption and the [caption] shortcode's figure.
    assert figure.count() == 2 and figure.last.is_visible()
    assert reader.locator("img[src$='/2019/03/harbour.png']").first.is_visible()
    reader.goto(live_server.url + "/2019/03/night-ferry-returns/")
    assert reader.url.endswith("/2019/03/16/night-ferry-returns/")
    reader.close()
    page.close()
