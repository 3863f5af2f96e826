"""The body sanitiser (lib/html.py) keeps exactly what the body editor writes
and drops everything else; embed addresses are checked (lib/embeds.py)."""

from __future__ import annotations

import re
import time

import pytest

from comments.tests.xss_vectors import VECTORS
from lib.embeds import parse_embed
from lib.html import MAX_DEPTH, clean_html, nesting_depth, too_deep

IMAGE = (
    '<figure class="image" data-image-id="12"><img src="/media/a.jpg" alt="A '
    'harbour" width="640" height="427"><figcaption>Dawn <small class="credit">'
    "Photo: Jo Tan</small></figcaption></figure>"
)
EMBED = (
    '<figure class="embed" data-embed="youtube" data-embed-url="https://www.'
    'youtube.com/watch?v=dQw4w9WgXcQ"><a href="https://www.youtube.com/watch?v='
    'dQw4w9WgXcQ" rel="noopener noreferrer">Watch on YouTube</a></figure>'
)


@pytest.mark.parametrize(
    "html",
    [
        "<h2>Heading</h2><h3>Sub</h3><h4>Subsub</h4>",
        "<p><strong>b</strong> <em>i</em> <u>u</u> <s>s</s> <sub>2</sub></p>",
        '<p><a href="https://example.org/" rel="noopener noreferrer">x</a></p>',
        '<p><a href="mailto:desk@example.org" rel="noopener noreferrer">m</a></p>',
        "<ul><li>one<ul><li>two</li></ul></li></ul><ol><li><p>three</p></li></ol>",
        "<blockquote><p>A quote.</p></blockquote><hr>",
        '<blockquote class="pullquote"><p>A pull quote.</p></blockquote>',
        IMAGE,
        EMBED,
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr>"
        "</tbody></table>",
        "<pre><code>x = 1\n  y</code></pre><dl><dt>Term</dt><dd>Meaning</dd></dl>",
    ],
)
def test_what_the_editor_writes_is_kept_as_it_is(html):
    assert clean_html(html) == html


@pytest.mark.parametrize(
    ("provider", "url", "canonical"),
    [
        ("youtube", "https://youtu.be/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("youtube", "https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("vimeo", "https://vimeo.com/76979871", "https://vimeo.com/76979871"),
        ("x", "https://twitter.com/nasa/status/123456", "https://x.com/nasa/status/123456"),
        ("bluesky", "https://bsky.app/profile/a.bsky.social/post/3kabc", "https://bsky.app/profile/a.bsky.social/post/3kabc"),
        ("mastodon", "https://mastodon.social/@desk/1099", "https://mastodon.social/@desk/1099"),
        ("instagram", "https://instagram.com/p/Cx_1-a", "https://www.instagram.com/p/Cx_1-a/"),
    ],
)  # fmt: skip
def test_each_providers_addresses_are_stored_in_one_form(provider, url, canonical):
    dirty = (
        f'<figure class="embed" data-embed="vimeo" data-embed-url="{url}">'
        f'<a href="{url}">Watch</a></figure>'
    )
    kept = clean_html(dirty)
    assert f'class="embed" data-embed="{provider}"' in kept
    assert f'data-embed-url="{canonical}"' in kept


def test_only_videos_are_framed_through_their_privacy_friendly_players():
    youtube = parse_embed("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30")
    vimeo = parse_embed("https://vimeo.com/76979871")
    post = parse_embed("https://x.com/nasa/status/1")
    assert (
        youtube
        and youtube.frame == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    assert vimeo and vimeo.frame == "https://player.vimeo.com/video/76979871?dnt=1"
    assert post and post.frame == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/channel/UCabc",
        "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
        "https://user:pw@youtu.be/dQw4w9WgXcQ",
        "https://youtu.be:8443/dQw4w9WgXcQ",
        "https://mastodon.evil.example/@desk/1099",
        "https://vimeo.com/" + "1" * 600,
    ],
)
def test_an_embed_of_any_other_address_becomes_a_plain_link(url):
    kept = clean_html(
        f'<figure class="embed" data-embed="youtube" data-embed-url="{url}">'
        '<a href="https://evil.example/">Watch on YouTube</a></figure>'
    )
    assert kept.startswith('<figure><a href="https://evil.example/"')
    assert "data-embed" not in kept and "embed" not in kept.split(">")[0]
    assert "<script" not in kept


HOSTILE = [
    (
        '<figure class="image" data-image-id="1 onload=alert(1)"></figure>',
        '<figure class="image"></figure>',
    ),
    ('<figure data-image-id="-3"></figure>', "<figure></figure>"),
    ('<figure data-image-id="99999999999"></figure>', "<figure></figure>"),
    (
        '<figure class="image hero" style="x" onclick="y"></figure>',
        '<figure class="image"></figure>',
    ),
    (
        '<blockquote class="pullquote evil"><p>q</p></blockquote>',
        '<blockquote class="pullquote"><p>q</p></blockquote>',
    ),
    (
        '<p class="pullquote">p</p><small class="credit tiny">c</small>',
        '<p>p</p><small class="credit">c</small>',
    ),
    ('<figure data-embed="evil"></figure>', "<figure></figure>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<img src="x" onerror="alert(1)">', '<img src="x">'),
    (
        '<figure><img src="/a.jpg"><figcaption>C <script>alert(1)</script>'
        "</figcaption></figure>",
        '<figure><img src="/a.jpg"><figcaption>C </figcaption></figure>',
    ),
    ('<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>', ""),
]


@pytest.mark.parametrize(("dirty", "kept"), HOSTILE)
def test_hostile_markup_is_dropped(dirty, kept):
    assert clean_html(dirty) == kept


@pytest.mark.parametrize("vector", VECTORS)
def test_no_known_script_vector_survives_in_a_figure_or_caption(vector):
    kept = clean_html(
        f'<figure class="image embed" data-image-id="1">{vector}'
        f"<figcaption>{vector}<small class=credit>{vector}</small></figcaption>"
        "</figure>"
    ).lower()
    for bad in ("<script", "<iframe", "<svg", "<object", "<embed", "<input"):
        assert bad not in kept
    assert not re.search(r"<[^>]*\son[a-z]+=", kept)  # an attribute, not text
    assert not re.search(r'(href|src)="\s*javascript:', kept)


def test_an_attribute_breaking_out_of_the_embed_address_stays_text():
    kept = clean_html(
        '<figure class="embed" data-embed="youtube" data-embed-url="https://youtu.be/'
        'dQw4w9WgXcQ"><script>alert(1)</script>"><a href="x">Watch</a></figure>'
    )
    assert "<script" not in kept and "alert" not in kept


def test_a_2_mb_body_of_nested_tags_is_cleaned_in_bounded_time():
    body = "<div><blockquote><b>" * 100_000 + "text"  # 2.0 MB
    assert len(body) > 2_000_000
    assert too_deep(body)
    started = time.monotonic()
    assert clean_html(body) == "<p>text</p>"
    assert time.monotonic() - started < 2


def test_markup_just_within_the_depth_limit_is_cleaned_as_markup():
    body = "<blockquote>" * MAX_DEPTH + "deep" + "</blockquote>" * MAX_DEPTH
    assert nesting_depth(body) == MAX_DEPTH
    assert clean_html(body).startswith("<blockquote><blockquote>")


def test_paragraphs_and_list_items_do_not_count_as_depth():
    body = "<ul>" + "<li><p>item" * 2000 + "</ul>"
    assert not too_deep(body)


def test_a_2_mb_body_of_ordinary_paragraphs_is_cleaned_quickly():
    body = '<p>Text with <a href="https://example.org/">a link</a>.</p>\n' * 36_000
    assert len(body) > 2_000_000
    started = time.monotonic()
    assert clean_html(body).count("<p>") == 36_000
    assert time.monotonic() - started < 3
