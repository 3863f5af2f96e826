"""Embedded videos and posts on the article page: a placeholder, the same for
every reader, that loads nothing from the provider (the click is the browser
test's, reader/tests/test_embeds_browser.py)."""

from __future__ import annotations

import re

import pytest

from articles.tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]


def _embed(url: str, provider: str = "youtube") -> str:
    return (
        f'<figure class="embed" data-embed="{provider}" data-embed-url="{url}">'
        f'<a href="{url}">Watch</a></figure>'
    )


def test_a_video_is_a_placeholder_with_a_button_and_a_note(client):
    article = ArticleFactory(
        body="<p>Before.</p>" + _embed("https://youtu.be/dQw4w9WgXcQ") + "<p>After.</p>"
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    [figure] = re.findall(r"<figure class=\"embed[^\"]*\".*?</figure>", html, re.S)
    assert (
        'data-embed-frame="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"'
        in figure
    )
    assert "YouTube video" in figure
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in figure
    assert (
        '<button type="button" class="embed__load">Load content from YouTube</button>'
        in figure
    )
    assert "may set cookies" in figure
    # Nothing on the page loads from the provider before the click.
    assert "<iframe" not in html
    assert not re.search(r'(?:src|srcset)="https?://(?!testserver)', html)
    # One policy for everyone: the players' origins may be framed, nothing else.
    policy = response["Content-Security-Policy"]
    assert (
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com;" in policy
    )
    assert "public" in response["Cache-Control"]


def test_a_vimeo_video_is_framed_without_tracking(client):
    article = ArticleFactory(body=_embed("https://vimeo.com/76979871", "vimeo"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'data-embed-frame="https://player.vimeo.com/video/76979871?dnt=1"' in html
    assert "Load content from Vimeo" in html


def test_a_social_post_is_a_link_to_the_post_and_nothing_is_framed(client):
    article = ArticleFactory(
        body=_embed("https://bsky.app/profile/desk.bsky.social/post/3kx2", "bluesky")
    )
    html = client.get(article.get_absolute_url()).content.decode()
    [figure] = re.findall(r"<figure class=\"embed[^\"]*\".*?</figure>", html, re.S)
    assert "data-embed-frame" not in figure and "<button" not in figure
    assert 'href="https://bsky.app/profile/desk.bsky.social/post/3kx2"' in figure
    assert "View the post on Bluesky" in figure
    assert "nothing from Bluesky is loaded on this page" in figure


def test_a_stored_embed_of_another_host_is_shown_as_the_link_it_is(client):
    article = ArticleFactory(body="<p>x</p>")
    # Written past the sanitiser (as an old row could be): still no player.
    type(article).objects.filter(pk=article.pk).update(
        body=_embed("https://evil.example/watch?v=dQw4w9WgXcQ")
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "embed__load" not in html and "data-embed-frame" not in html
    assert 'href="https://evil.example/watch?v=dQw4w9WgXcQ"' in html
