from __future__ import annotations

import time

import pytest

from comments.forms import sign_timestamp
from comments.models import DiscussionSettings


@pytest.fixture
def discussion(db):
    """Discussion settings with the speed checks off, unless a test turns them on."""
    settings = DiscussionSettings.load()
    settings.min_seconds_to_submit = 0
    settings.flood_seconds = 0
    settings.max_per_hour = 0
    settings.save()
    return settings


@pytest.fixture
def comment_data(published_article):
    def make(**overrides) -> dict:
        data = {
            "article": published_article.pk,
            "ts": sign_timestamp(published_article.pk, time.time() - 30),
            "body": "The timeline in the third paragraph does not match the map.",
            "name": "Jonas Weber",
            "email": "jonas@example.test",
            "url": "",
            "website_hp": "",
        }
        return data | overrides

    return make
