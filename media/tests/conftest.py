from __future__ import annotations

import pytest

from newsroom import services
from newsroom.models import Role

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def signed_in(db, django_user_model, client):
    """signed_in(role): the client, signed in as a new account with the role."""

    def sign_in(role: Role | None, username: str | None = None):
        username = username or (role.value if role else "nobody")
        user = django_user_model.objects.create_user(
            username, f"{username}@example.test", PASSWORD, is_staff=True
        )
        services.set_role(user, role)
        services.ensure_byline(user)
        client.force_login(user)
        client.user = user
        return client

    return sign_in
