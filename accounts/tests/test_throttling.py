"""Login throttling: per (account, address) pair and per address, with a
cool-off that grows; the real editor elsewhere is never locked out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AuditEntry, LoginThrottle
from accounts.tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
EDITOR_DESK = "198.51.100.7"


def fail(client, times, username="amina", address=ATTACKER):
    responses = [
        sign_in(client, username, "wrong-guess", REMOTE_ADDR=address)
        for _ in range(times)
    ]
    return responses[-1]


def test_the_fifth_wrong_password_locks_the_pair_with_a_clear_429(client, staff):
    assert fail(client, 4).status_code == 200  # the form again, with its error
    response = fail(client, 1)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many sign-in attempts" in html and "Traceback" not in html
    assert 250 <= int(response["Retry-After"]) <= 300
    # Even the right password is refused from that address now.
    response = sign_in(client, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_real_editor_signs_in_from_another_address_meanwhile(client, staff):
    fail(client, 5)
    response = sign_in(client, REMOTE_ADDR=EDITOR_DESK)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/", REMOTE_ADDR=EDITOR_DESK).status_code == 200


def test_the_cool_off_expires_and_grows_with_each_lockout(client, staff, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    fail(client, 5)
    time_machine.move_to(start + dt.timedelta(seconds=301), tick=False)
    assert fail(client, 4).status_code == 200  # allowed again: wrong, not locked
    # The second lockout in a row lasts twice as long (10 minutes).
    assert fail(client, 1).status_code == 429
    time_machine.move_to(start + dt.timedelta(seconds=301 + 301), tick=False)
    assert sign_in(client, REMOTE_ADDR=ATTACKER).status_code == 429
    time_machine.move_to(start + dt.timedelta(seconds=301 + 601), tick=False)
    assert sign_in(client, REMOTE_ADDR=ATTACKER).status_code == 302


def test_a_success_starts_the_pair_over(client, staff):
    fail(client, 4)
    assert sign_in(client, REMOTE_ADDR=ATTACKER).status_code == 302
    client.post("/admin/logout/")
    assert fail(client, 4).status_code == 200


def test_an_address_guessing_many_accounts_is_locked_for_all(client, staff):
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong-guess", REMOTE_ADDR=ATTACKER)
    assert sign_in(client, REMOTE_ADDR=ATTACKER).status_code == 429
    assert sign_in(client, REMOTE_ADDR=EDITOR_DESK).status_code == 302


def test_attempts_and_lockouts_are_logged(client, staff):
    fail(client, 5)
    sign_in(client, REMOTE_ADDR=ATTACKER)
    actions = list(
        AuditEntry.objects.filter(address=ATTACKER).values_list("action", flat=True)
    )
    assert actions.count("login_failed") == 5
    assert "lockout" in actions and "login_locked" in actions
    pair = LoginThrottle.objects.get(scope="pair")
    assert pair.username == "amina" and pair.address == ATTACKER and pair.is_locked


def test_an_administrator_lifts_a_lockout_in_the_admin(client, staff, chief):
    fail(client, 5)
    pair = LoginThrottle.objects.get(scope="pair")
    client.force_login(chief)
    response = client.post(
        "/admin/accounts/loginthrottle/",
        {"action": "unlock", "index": 0, "_selected_action": [pair.pk]},
    )
    assert response.status_code == 302
    client.post("/admin/logout/")
    assert sign_in(client, REMOTE_ADDR=ATTACKER).status_code == 302
    assert AuditEntry.objects.filter(action="lockout_cleared").exists()


def test_unlock_logins_lifts_an_accounts_lockouts_from_the_shell(client, staff):
    from django.core.management import call_command

    fail(client, 5)
    call_command("unlock_logins", "--username", "Amina")
    assert sign_in(client, REMOTE_ADDR=ATTACKER).status_code == 302


def test_a_huge_username_is_an_ordinary_failure(client, staff):
    response = sign_in(client, "x" * 100_000, "whatever", REMOTE_ADDR=ATTACKER)
    assert response.status_code == 200
    assert "Please enter the correct username" in response.content.decode()
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.actor_name == "x" * 150


def test_the_password_reset_form_is_limited_per_address(client, staff, sent_mail):
    for _ in range(5):
        response = client.post(
            "/admin/password_reset/",
            {"email": "amina@example.test"},
            REMOTE_ADDR=ATTACKER,
        )
        assert response.status_code == 302
    assert len(sent_mail) == 5
    response = client.post(
        "/admin/password_reset/", {"email": "amina@example.test"}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 429 and len(sent_mail) == 5
    other = client.post(
        "/admin/password_reset/",
        {"email": "someone@example.test"},
        REMOTE_ADDR=EDITOR_DESK,
    )
    assert other.status_code == 302


def test_the_password_reset_link_is_only_sent_to_staff(
    client, django_user_model, sent_mail
):
    django_user_model.objects.create_user("reader", "reader@example.test", PASSWORD)
    client.post("/admin/password_reset/", {"email": "reader@example.test"})
    assert sent_mail == []


def test_the_login_and_reset_pages_are_never_cached(client):
    for path in ("/admin/login/", "/admin/password_reset/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"]
        assert "X-Page-Cache" not in response
