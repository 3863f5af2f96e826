"""Two-factor in Debian's Chromium: a staff member required to use it adds
an authenticator app, then signs in again with a code from it."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecuritySettings
from accounts.tests.conftest import PASSWORD, app_code
from lib.testing import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base):
    page.goto(base + "/admin/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()


def test_a_staff_member_sets_up_two_factor_and_signs_in_with_a_code(
    browser, live_server, django_user_model, site_settings
):
    django_user_model.objects.create_user(
        "amina", "amina@example.test", PASSWORD, is_staff=True
    )
    row = SecuritySettings.load()
    row.require_two_factor = True
    row.save()
    context = browser.new_context()
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: (
            blocked.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    sign_in(page, live_server.url)
    # Required: the admin leads to the setup page first.
    assert page.url == live_server.url + "/admin/account/two-factor/"
    assert page.locator("img.accounts-qr").evaluate("img => img.naturalWidth") > 100
    page.screenshot(path=SCREENSHOTS / "two-factor-setup.png", full_page=True)
    device = TOTPDevice.objects.get(user__username="amina")
    page.fill("#id_token", app_code(device))
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    with page.expect_navigation():
        page.get_by_text("I have saved them: continue").click()
    assert page.url == live_server.url + "/admin/"
    assert page.locator("#logout-form").is_visible()  # signed in, in the admin

    # A new browser: password, then the code.
    other = browser.new_context().new_page()
    sign_in(other, live_server.url)
    assert other.url == live_server.url + "/admin/login/verify/"
    other.fill("#id_token", "000000")
    with other.expect_navigation():
        other.locator("input[type=submit]").click()
    assert "That code is not right" in other.locator(".errorlist").inner_text()
    other.wait_for_timeout(1100)  # django-otp's pause after a wrong code
    device.refresh_from_db()
    # The next period's code: the one used at setup cannot be used again.
    other.fill("#id_token", app_code(device, at=(device.last_t + 1) * device.step))
    with other.expect_navigation():
        other.locator("input[type=submit]").click()
    assert other.url == live_server.url + "/admin/"
    assert other.locator("#logout-form").is_visible()
    assert blocked == []
    context.close()
    other.context.close()
