"""Signed preview links: open without an account, expire, never cached or
indexed; a broken or old link gets a clear page."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from newsroom import services
from newsroom.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(story_of, make_account, site_settings):
    writer = make_account(Role.AUTHOR)
    return story_of(writer, Article.Status.PENDING, headline="Frigate deal nears")


def _path(url: str) -> str:
    return urlsplit(url).path


def test_a_colleague_without_an_account_reads_the_draft(client, draft):
    response = client.get(_path(services.preview_url(draft)))
    assert response.status_code == 200
    assert "Frigate deal nears" in response.content.decode()
    assert 'name="robots" content="noindex"' in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_preview_is_never_served_from_a_cache(client, draft):
    path = _path(services.preview_url(draft))
    client.get(path)
    draft.headline = "Frigate deal signed"
    draft.save()
    assert "Frigate deal signed" in client.get(path).content.decode()


def test_an_expired_link_says_so(client, draft, settings):
    settings.PREVIEW_LINK_HOURS = 48
    path = _path(services.preview_url(draft))
    with time_machine.travel(timezone.now() + dt.timedelta(hours=47)):
        assert client.get(path).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(hours=49)):
        response = client.get(path)
    assert response.status_code == 410
    assert "This preview link has expired" in response.content.decode()
    assert "Frigate deal nears" not in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: re.sub(r"^\d+", lambda m: str(int(m[0]) + 1), t),  # another id
        lambda t: t[:-3],  # cut short
        lambda t: "not-a-token",
    ],
)
def test_a_tampered_link_gets_a_clear_page(client, draft, tamper, story_of):
    story_of(draft.author.user, headline="Another secret draft")
    token = services.preview_url(draft).rstrip("/").rsplit("/", 1)[1]
    response = client.get(f"/preview/link/{tamper(token)}/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This preview link is not valid" in html
    assert "secret draft" not in html and "Frigate" not in html


def test_a_link_to_a_story_now_live_leads_to_its_page(client, draft):
    path = _path(services.preview_url(draft))
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() - dt.timedelta(minutes=1)
    draft.save()
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_a_link_to_a_deleted_story_says_so(client, draft):
    path = _path(services.preview_url(draft))
    draft.delete()
    response = client.get(path)
    assert response.status_code == 404
    assert "no longer exists" in response.content.decode()


def test_an_editor_finds_the_link_on_the_article_page(client, draft, make_account):
    editor = make_account(Role.EDITOR)
    client.force_login(editor)
    html = client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    link = re.search(r'class="preview-link" href="([^"]+)"', html)
    assert link is not None
    client.logout()
    assert "Frigate deal nears" in client.get(_path(link[1])).content.decode()


def test_robots_txt_keeps_crawlers_out_of_previews(client, site_settings):
    assert "Disallow: /preview/" in client.get("/robots.txt").content.decode()
