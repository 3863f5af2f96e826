from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services

PASSWORD = "a-long-test-password"


def app_code(device: TOTPDevice, at: float | None = None) -> str:
    """What the authenticator app shows now (or at `at`)."""
    import time

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Dozens of sign-ins per test: a cheap hasher (the rules are the same)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sent_mail(settings):
    """The messages the site sends, kept in memory."""
    from django.core import mail

    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    }
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser(
        "chief", "chief@example.test", PASSWORD
    )


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "amina", "amina@example.test", PASSWORD, is_staff=True
    )


@pytest.fixture
def enrolled(staff):
    """A staff account with an authenticator app and recovery codes."""
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    codes = services.new_recovery_codes(staff)
    return staff, device, codes


def sign_in(client, username="amina", password=PASSWORD, **extra):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        **extra,
    )
