"""The article form's body editor: its widget and assets (served by the site),
and what the form does with hostile and oversized bodies."""

from __future__ import annotations

import re
from urllib.request import urlopen

import pytest

from articles.models import Article
from newsroom.models import Role
from revisions.tests.helpers import change_url, open_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, make_account):
    client.force_login(make_account(Role.EDITOR, "desk"))
    return client


def test_the_body_is_edited_with_the_editor_whose_assets_the_site_serves(
    desk, make_account, story_of, live_server
):
    story = story_of(make_account(Role.AUTHOR, "writer"), body="<p>Bids.</p>")
    html = desk.get(change_url(story)).content.decode()
    textarea = re.search(r"<textarea [^>]*name=\"body\"[^>]*>", html)
    assert textarea, "the body is still a textarea (the form's value)"
    assert "data-body-editor" in textarea[0]
    assert 'data-chooser-url="/media-library/chooser/"' in textarea[0]
    module = re.search(r'data-editor-module="([^"]+)"', textarea[0])
    assert module and module[1].startswith("/static/django_prose_editor/")
    assert re.search(
        r'<script src="/static/js/body-editor.js"[^>]* type="module"', html
    )
    assert "/static/django_prose_editor/editor.css" in html
    # Every script and stylesheet of the page is the site's own.
    for url in re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html):
        assert url.startswith("/static/"), url
    # No import map or other inline script (the policy would block it).
    assert "importmap" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html)
    # The assets come from the installed package, through the site.
    for path in (module[1], "/static/js/body-editor.js"):
        with urlopen(live_server.url + path, timeout=10) as answer:
            assert answer.status == 200, path
            assert "javascript" in answer.headers["Content-Type"]


def test_a_hostile_body_is_stored_clean(desk, make_account, story_of):
    story = story_of(make_account(Role.AUTHOR, "writer"))
    hostile = (
        '<h2 onclick="x">Title</h2><p><a href="javascript:alert(1)">x</a></p>'
        '<figure class="image" data-image-id="1 onload=alert(1)"><img src="/a.jpg" '
        'onerror="alert(1)"><figcaption>Cap<script>alert(1)</script></figcaption>'
        '</figure><figure class="embed" data-embed="youtube" data-embed-url='
        '"https://evil.example/watch?v=dQw4w9WgXcQ"><a href="https://evil.example/">'
        "Watch on YouTube</a></figure>"
    )
    data = open_form(desk, story) | {"body": hostile}
    response = desk.post(change_url(story), data)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.body == (
        '<h2>Title</h2><p><a rel="noopener noreferrer">x</a></p>'
        '<figure class="image"><img src="/a.jpg"><figcaption>Cap</figcaption>'
        '</figure><figure><a href="https://evil.example/" rel="noopener noreferrer">'
        "Watch on YouTube</a></figure>"
    )


def test_a_body_nested_too_deeply_is_refused_with_a_message(
    desk, make_account, story_of
):
    story = story_of(make_account(Role.AUTHOR, "writer"), body="<p>Kept.</p>")
    data = open_form(desk, story) | {"body": "<blockquote><b>" * 90_000}
    assert len(data["body"]) > 1_000_000
    response = desk.post(change_url(story), data)
    assert response.status_code == 200
    assert "nested more than 500 levels deep" in response.content.decode()
    story.refresh_from_db()
    assert story.body == "<p>Kept.</p>"


def test_a_body_over_the_upload_limit_is_refused_without_an_error_page(
    desk, make_account, story_of, settings
):
    story = story_of(make_account(Role.AUTHOR, "writer"), body="<p>Kept.</p>")
    data = open_form(desk, story) | {
        "body": "<p>x</p>" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 8 + 1)
    }
    response = desk.post(change_url(story), data)
    assert response.status_code == 400
    story.refresh_from_db()
    assert story.body == "<p>Kept.</p>"


def test_what_the_editor_writes_is_saved_as_it_is(desk, make_account, story_of):
    story = story_of(make_account(Role.AUTHOR, "writer"))
    body = (
        "<h2>Heading</h2><ul><li>one</li></ul>"
        '<blockquote class="pullquote"><p>Pulled.</p></blockquote>'
        '<figure class="image" data-image-id="7"><img src="/media/a.jpg" alt="A" '
        'width="640" height="427"><figcaption>Dawn <small class="credit">Jo</small>'
        '</figcaption></figure><figure class="embed" data-embed="vimeo" '
        'data-embed-url="https://vimeo.com/76979871"><a href="https://vimeo.com/'
        '76979871" rel="noopener noreferrer">Watch on Vimeo</a></figure>'
    )
    response = desk.post(change_url(story), open_form(desk, story) | {"body": body})
    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).body == body
