"""Shared test setup: a clean cache, a temporary media folder, and the actors."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from articles.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_settings(db):
    from core.models import SiteSettings

    site = SiteSettings.load()
    site.site_name = "Frontline Test Desk"
    site.tagline = "Defense News Hub, Military Updates, Security Insights"
    site.time_zone = "UTC"
    site.posts_per_page = 5
    site.save()
    return site


@pytest.fixture
def category(db):
    return CategoryFactory(name="Naval Affairs", slug="naval-affairs")


@pytest.fixture
def author(db):
    return AuthorFactory(
        display_name="Amina Rauf",
        slug="amina-rauf",
        role_line="Special Correspondent",
        location="Lahore",
    )


@pytest.fixture
def published_article(db, category, author):
    return ArticleFactory(category=category, author=author)


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", "editor@example.test", "a-long-test-password", is_staff=True
    )
