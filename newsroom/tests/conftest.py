"""Accounts with each role, and their bylines."""

from __future__ import annotations

import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory
from newsroom import services
from newsroom.models import Role

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Many accounts per test: a cheap hasher (the rules are the same)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_account(db, django_user_model):
    """make_account(role, username): an account with that role and a byline."""

    def make(role: Role, username: str | None = None):
        username = username or role.value
        user = django_user_model.objects.create_user(
            username,
            f"{username}@example.test",
            PASSWORD,
            first_name=username.title(),
            last_name="Tester",
        )
        services.set_role(user, role)
        services.ensure_byline(user)
        return user

    return make


@pytest.fixture
def colleague(make_account):
    """Another writer, whose stories are not the actor's."""
    return make_account(Role.AUTHOR, "colleague")


@pytest.fixture
def story_of(category):
    """story_of(user, status): an article with the account's byline."""

    def make(user, status=Article.Status.DRAFT, **fields):
        fields.setdefault("published_at", None)
        return ArticleFactory(
            author=user.author_profile, category=category, status=status, **fields
        )

    return make
