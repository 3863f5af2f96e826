"""The settings rows (lib.singleton) are read once per request: what a request
wrote it reads back, and the next request reads what others wrote."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from comments.models import DiscussionSettings
from core.models import SiteSettings
from lib.singleton import request_scope

pytestmark = pytest.mark.django_db


def test_inside_a_request_a_saved_change_is_read_back(site_settings):
    with request_scope():
        assert SiteSettings.load().site_name == "Frontline Test Desk"
        edited = SiteSettings.objects.get()
        edited.site_name = "Harbour Watch"
        edited.save()
        assert SiteSettings.load().site_name == "Harbour Watch"
        discussion = DiscussionSettings.load()
        discussion.close_after_days = 3
        discussion.save()
        assert DiscussionSettings.load().close_after_days == 3


def test_the_next_request_reads_what_another_process_wrote(client, site_settings):
    assert "Frontline Test Desk" in client.get("/search/").content.decode()
    # Another process's save: the row and the shared cache, not this one's memo.
    SiteSettings.objects.update(site_name="Harbour Watch")
    cache.delete(SiteSettings.cache_key)
    html = client.get("/search/").content.decode()
    assert "Harbour Watch" in html and "Frontline Test Desk" not in html
