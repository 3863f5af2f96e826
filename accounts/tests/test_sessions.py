"""Staff sessions: a password change ends the others, "log out everywhere",
and a staff session's maximum age; on the database and the cache engines."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, UserSession
from accounts.tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

ENGINES = [
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
]


def session_exists(key: str) -> bool:
    return import_module(django_settings.SESSION_ENGINE).SessionStore().exists(key)


@pytest.fixture(params=ENGINES)
def two_browsers(request, settings, staff):
    settings.SESSION_ENGINE = request.param
    laptop, phone = Client(), Client()
    assert sign_in(laptop).status_code == 302
    assert sign_in(phone, REMOTE_ADDR="198.51.100.7").status_code == 302
    return laptop, phone


def test_a_password_change_ends_the_other_sessions(two_browsers):
    laptop, phone = two_browsers
    phone_key = phone.session.session_key
    response = laptop.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "brand-new-harbour-lights",
            "new_password2": "brand-new-harbour-lights",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/admin/").status_code == 200  # the one who changed it
    assert phone.get("/admin/").status_code == 302
    assert not session_exists(phone_key)  # gone from the store, not just refused
    assert UserSession.objects.count() == 1
    assert UserSession.objects.get().session_key == laptop.session.session_key


def test_a_password_set_by_an_administrator_ends_every_session(two_browsers, staff):
    laptop, phone = two_browsers
    staff.set_password("brand-new-harbour-lights")
    staff.save()
    assert laptop.get("/admin/").status_code == 302
    assert phone.get("/admin/").status_code == 302
    assert AuditEntry.objects.filter(action="password_changed").count() == 1


def test_log_out_everywhere_ends_every_session(two_browsers):
    laptop, phone = two_browsers
    keys = [laptop.session.session_key, phone.session.session_key]
    page = laptop.get("/admin/account/security/").content.decode()
    assert "198.51.100.7" in page and "(this one)" in page
    response = laptop.post("/admin/account/logout-everywhere/")
    assert response["Location"] == "/admin/login/"
    assert laptop.get("/admin/").status_code == 302
    assert phone.get("/admin/").status_code == 302
    assert not any(session_exists(k) for k in keys)
    assert AuditEntry.objects.get(action="sessions_ended").details == {
        "sessions_ended": 2
    }


def test_an_administrator_ends_someones_sessions(two_browsers, staff, chief):
    laptop, phone = two_browsers
    admin = Client()
    admin.force_login(chief)
    admin.post(
        "/admin/auth/user/",
        {"action": "end_sessions", "index": 0, "_selected_action": [staff.pk]},
    )
    assert laptop.get("/admin/").status_code == 302
    assert phone.get("/admin/").status_code == 302
    assert admin.get("/admin/").status_code == 200


def test_a_staff_session_ends_after_its_maximum_age(
    client, staff, time_machine, settings
):
    settings.STAFF_SESSION_SECONDS = 3600
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client)
    time_machine.shift(dt.timedelta(minutes=59))
    assert client.get("/admin/").status_code == 200
    time_machine.shift(dt.timedelta(minutes=2))
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "at least 10 characters"),
        ("password123", "too common"),
        ("8392017465", "entirely numeric"),
        ("amina-example", "too similar"),
    ],
)
def test_weak_passwords_are_refused(client, staff, password, message):
    sign_in(client)
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": password,
            "new_password2": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
