"""Two-factor for staff: enrolment, the code at sign-in, recovery codes, the
requirement, and recovery by an administrator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry, SecuritySettings, UserSession
from accounts.tests.conftest import app_code, sign_in

pytestmark = pytest.mark.django_db


def test_a_staff_member_adds_an_authenticator_app(client, staff):
    client.force_login(staff)
    page = client.get("/admin/account/two-factor/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in html  # made here, not by a third party
    assert 'style="' not in html and "<script>" not in html  # the strict CSP
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post("/admin/account/two-factor/", {"token": app_code(device)})
    assert response.status_code == 200
    assert response.content.decode().count("<li><code>") == 10  # recovery codes
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="2fa_enabled", actor=staff).exists()
    assert client.get("/admin/").status_code == 200  # this session is verified


def test_a_wrong_code_does_not_turn_two_factor_on(client, staff):
    client.force_login(staff)
    client.get("/admin/account/two-factor/")
    device = TOTPDevice.objects.get(user=staff)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/admin/account/two-factor/", {"token": wrong})
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_signing_in_asks_for_the_code_after_the_password(client, enrolled):
    staff, device, _codes = enrolled
    response = sign_in(client)
    assert (
        response.status_code == 302 and response["Location"] == "/admin/login/verify/"
    )
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    response = client.post("/admin/login/verify/", {"token": app_code(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_and_logged(client, enrolled):
    staff, device, _codes = enrolled
    sign_in(client)
    wrong = f"{(int(app_code(device)) + 7) % 1_000_000:06d}"
    response = client.post("/admin/login/verify/", {"token": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    assert AuditEntry.objects.filter(action="2fa_failed", actor_name="amina").exists()


def test_right_after_a_wrong_code_the_app_asks_to_wait(client, enrolled, time_machine):
    staff, device, _codes = enrolled
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client)
    client.post("/admin/login/verify/", {"token": "000000"})
    response = client.post("/admin/login/verify/", {"token": app_code(device)})
    assert "wait 2 seconds" in response.content.decode()
    time_machine.shift(dt.timedelta(seconds=2))
    response = client.post("/admin/login/verify/", {"token": app_code(device)})
    assert response["Location"] == "/admin/"


def test_a_code_cannot_be_used_twice(client, enrolled):
    staff, device, _codes = enrolled
    code = app_code(device)
    sign_in(client)
    client.post("/admin/login/verify/", {"token": code})
    client.post("/admin/logout/")
    sign_in(client)
    response = client.post("/admin/login/verify/", {"token": code})
    assert (
        response.status_code == 200
        and "That code is not right" in response.content.decode()
    )


@pytest.mark.parametrize(
    "token", ["12345", "1234567", "x" * 5000, "<script>alert(1)</script>", "١٢٣٤٥٦", ""]
)
def test_malformed_codes_get_a_clear_error(client, enrolled, token):
    sign_in(client)
    response = client.post("/admin/login/verify/", {"token": token})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert any(
        message in html
        for message in ("Enter the 6 digits", "This field is required", "at most 40")
    )
    assert client.get("/admin/").status_code == 302


def test_five_wrong_codes_lock_the_sign_in(client, enrolled, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client)
    for _ in range(4):
        client.post("/admin/login/verify/", {"token": "000000"})
        time_machine.shift(dt.timedelta(seconds=10))  # past django-otp's pause
    assert client.post("/admin/login/verify/", {"token": "000000"}).status_code == 429


def test_a_recovery_code_works_once(client, enrolled):
    staff, device, codes = enrolled
    sign_in(client)
    response = client.post(
        "/admin/login/verify/", {"token": codes[0].upper()}, follow=True
    )
    assert response.status_code == 200
    assert "9 left" in response.content.decode()
    client.post("/admin/logout/")
    sign_in(client)
    response = client.post("/admin/login/verify/", {"token": codes[0]})
    assert "That code is not right" in response.content.decode()
    assert AuditEntry.objects.filter(action="recovery_code_used").count() == 1


def test_the_password_step_expires_after_five_minutes(client, enrolled, time_machine):
    staff, device, _codes = enrolled
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client)
    time_machine.shift(dt.timedelta(minutes=6))
    response = client.post("/admin/login/verify/", {"token": app_code(device)})
    assert response["Location"] == "/admin/login/"
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("how", ["site setting", "environment"])
def test_when_required_staff_without_an_app_must_set_it_up(
    client, staff, settings, how
):
    if how == "environment":
        settings.STAFF_2FA_REQUIRED = True
    else:
        row = SecuritySettings.load()
        row.require_two_factor = True
        row.save()
    client.force_login(staff)
    for path in ("/admin/", "/admin/articles/article/", "/admin/password_change/"):
        assert client.get(path)["Location"] == "/admin/account/two-factor/"
    page = client.get("/admin/account/two-factor/")
    assert "requires two-factor" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff)
    client.post("/admin/account/two-factor/", {"token": app_code(device)})
    assert client.get("/admin/").status_code == 200


def test_a_session_that_skipped_the_code_is_signed_out(client, enrolled):
    staff, _device, _codes = enrolled
    client.force_login(staff)  # as a login view that forgot the second step would
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_an_administrator_resets_a_lost_phone_from_the_shell(client, enrolled):
    staff, device, _codes = enrolled
    sign_in(client)
    client.post("/admin/login/verify/", {"token": app_code(device)})
    call_command("reset_two_factor", "amina")
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not UserSession.objects.filter(user=staff).exists()
    assert client.get("/admin/").status_code == 302  # that session ended too
    assert sign_in(client)["Location"] == "/admin/"  # password only, now
    assert AuditEntry.objects.filter(
        action="2fa_reset", object_id=str(staff.pk)
    ).exists()


def test_reset_two_factor_names_an_unknown_account(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No account named 'ghost'"):
        call_command("reset_two_factor", "ghost")


def test_an_administrator_resets_two_factor_in_the_admin(client, enrolled, chief):
    staff, _device, _codes = enrolled
    client.force_login(chief)
    client.post(
        "/admin/auth/user/",
        {"action": "reset_two_factor", "index": 0, "_selected_action": [staff.pk]},
    )
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_new_recovery_codes_replace_the_old_ones(client, enrolled):
    staff, device, codes = enrolled
    sign_in(client)
    client.post("/admin/login/verify/", {"token": app_code(device)})
    response = client.post("/admin/account/recovery-codes/")
    assert response.content.decode().count("<li><code>") == 10
    client.post("/admin/logout/")
    sign_in(client)
    response = client.post("/admin/login/verify/", {"token": codes[1]})
    assert "That code is not right" in response.content.decode()
