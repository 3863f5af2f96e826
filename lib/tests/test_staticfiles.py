"""lib/staticfiles.py: the site's static storage keeps each file's address,
and the addresses are the hashed ones of the manifest."""

from __future__ import annotations

import json

import pytest

from lib.staticfiles import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"css/site.css": "css/site.4b1d2e.css"}})
    )
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_page_links_the_hashed_file_every_time(storage):
    assert storage.url("css/site.css") == "/static/css/site.4b1d2e.css"
    assert storage.url("css/site.css") == "/static/css/site.4b1d2e.css"


def test_a_file_missing_from_the_manifest_is_an_error_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/gone.css")


def test_debug_links_the_file_itself(storage, settings):
    storage.url("css/site.css")
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"
