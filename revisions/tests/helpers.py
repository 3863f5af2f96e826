"""Opening and posting the article form as an editor's browser does."""

from __future__ import annotations

import re

from newsroom.tests.test_roles import form_data

ARTICLES = "/admin/articles/article/"


def change_url(article) -> str:
    return f"{ARTICLES}{article.pk}/change/"


def open_form(client, article) -> dict:
    """GET the change page; what its form would post unchanged."""
    article.refresh_from_db()
    response = client.get(change_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    version = re.search(r'name="base_version" value="([0-9a-f]+)"', html)
    assert version, "the form carries the version it was opened from"
    return form_data(article, base_version=version.group(1))
