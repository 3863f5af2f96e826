"""The body editor in Debian's Chromium: a story written with it (heading,
list, link, pull quote, library image, embed) reads right on the reader page,
whose embed loads nothing from the provider before the reader's click; a
migrated WordPress story goes through it intact; all under the strict policy."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html  # type: ignore[import-untyped]
import pytest

from articles.models import Article
from core.tests.test_csp_browser import Watch
from importers.wpcontent import to_html
from media.tests.factories import ImageFactory
from newsroom.models import Role
from newsroom.tests.test_browser import PHONE, _signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"

#: WordPress classic content with every construct a migrated body can hold.
WORDPRESS = """<h2>Background</h2>
The fleet <strong>sails</strong> at <em>dawn</em>, says {link}: H<sub>2</sub>O, {sup}.
A second line.

<ul>
<li>First</li>
<li>Second with <b>bold</b> and <i>italic</i></li>
</ul>
<ol>
<li>One</li>
<li>Two</li>
</ol>

[caption id="attachment_5" align="aligncenter" width="640"]{image} At dawn[/caption]

<table>
<thead><tr><th>Ship</th><th>Tonnes</th></tr></thead>
<tbody><tr><td>Alpha</td><td>1,200</td></tr><tr><td>Beta</td><td>900</td></tr></tbody>
</table>

<blockquote>We will sail at dawn.</blockquote>

<pre><code>print("hello")
  indented</code></pre>

https://www.youtube.com/watch?v=dQw4w9WgXcQ

<h3>Terms</h3>
<dl>
<dt>Knot</dt>
<dd>One nautical mile per hour.</dd>
</dl>""".format(
    link='<a href="https://example.org/x">the navy</a>',
    sup="E=mc<sup>2</sup>, <del>ten</del> <ins>twelve</ins> ships",
    image='<img src="/static/img/publisher-logo.png" alt="The harbour" width="640" />',
)


def canonical(html: str) -> str:
    """Elements, their attributes (sorted; rel on links is the server's) and
    their text, whitespace aside (but in <pre>)."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    out: list[str] = []

    def text(value: str | None, pre: bool) -> None:
        if value:
            out.append(value if pre else re.sub(r"\s+", "", value))

    def walk(el, pre: bool) -> None:
        text(el.text, pre)
        for child in el:
            tag = child.tag
            attrs = sorted(
                f'{k}="{v}"'
                for k, v in child.attrib.items()
                if (tag, k) != ("a", "rel")
            )
            out.append(f"<{tag} {' '.join(attrs)}>")
            walk(child, pre or tag == "pre")
            out.append(f"</{tag}>")
            text(child.tail, pre)

    walk(root, False)
    return "".join(out)


def _editor(page):
    page.wait_for_selector("textarea[data-body-editor-ready='1']", state="attached")
    return page.locator(".body-editor .ProseMirror[contenteditable]")


def _focused(page) -> None:
    """The editor has the focus back (Tiptap gives it at the next frame)."""
    page.wait_for_function(
        "document.activeElement.matches('.ProseMirror[contenteditable]')"
    )
    page.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")


def _toolbar_fits(page) -> None:
    bar = page.locator(".body-editor .prose-menubar")
    # Once the editor's stylesheet applies (it may come after the editor
    # starts: under load the first layout overflowed); never: a timeout.
    page.wait_for_function(
        "b => b.scrollWidth <= b.clientWidth", arg=bar.element_handle(), timeout=10_000
    )
    sizes = bar.evaluate(
        "b => [b.scrollWidth, b.clientWidth, b.getBoundingClientRect().right]"
    )
    assert sizes[0] <= sizes[1] and sizes[2] <= PHONE["width"]
    for button in bar.locator("button:visible").all():
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_a_story_written_in_the_editor_reads_right_and_loads_no_video_unasked(
    browser, live_server, make_account, story_of, caplog, settings, site_settings
):
    settings.CSP_REPORTS_PER_MINUTE = 0
    caplog.set_level("WARNING", logger="newshub.csp")
    desk = make_account(Role.EDITOR, "desk")
    ImageFactory(
        title="Harbour at dawn",
        alt="Ships in the harbour",
        caption="The harbour",
        credit="Jo Tan",
    )
    story = story_of(desk, headline="Fleet sails", body="")
    page, errors = _signed_in(browser, live_server, desk, viewport=PHONE)
    watch = Watch(page, caplog)
    watch.visit(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    body = _editor(page)
    _toolbar_fits(page)  # on a phone, every button of the toolbar within reach
    page.set_viewport_size({"width": 1280, "height": 900})

    body.click()
    page.keyboard.type("## The departure\n")  # Markdown-style shortcuts
    page.keyboard.type("The fleet sails at dawn.\n")
    page.keyboard.type("- Frigates\nTankers\n\n")
    page.keyboard.type("Read the navy statement.\n")
    page.locator(".prose-menubar button[title='Image from the media library']").click()
    media = page.locator("dialog.body-editor-media[open]")
    media.locator(".body-editor-media__item", has_text="Harbour at dawn").click()
    media.locator("input[name=caption]").fill("The fleet leaves")
    media.locator("button[type=submit]").click()
    _focused(page)

    page.locator(".prose-menubar button[title='Embed a video or post']").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.locator("input").first.fill(VIDEO)
    dialog.locator("button[type=submit]").click()
    page.locator(".body-editor-embed").wait_for()
    _focused(page)
    body.locator("p").last.click()  # the paragraph after the embed
    page.keyboard.type("We will not turn back.")
    page.locator(".prose-menubar button[title='Pull quote']").click()
    body.locator("p", has_text="Read the navy statement.").click(click_count=3)
    page.locator(".prose-menubar button[title='insert link']").click()
    dialog.locator("input[name=href]").fill("https://example.org/navy")
    dialog.locator("button[type=submit]").click()
    page.wait_for_function(
        "document.querySelector('#id_body').value.includes('example.org/navy')"
    )

    page.select_option("#id_status", "published")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    watch.collect()
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    stored = story.body
    assert "<h2>The departure</h2>" in stored
    assert "<ul><li>Frigates</li><li>Tankers</li></ul>" in stored
    assert '<a href="https://example.org/navy" rel="noopener noreferrer">' in stored
    assert (
        '<blockquote class="pullquote"><p>We will not turn back.</p></blockquote>'
        in stored
    )
    image = story.body.split('<figure class="image"', 1)[1].split("</figure>", 1)[0]
    assert 'alt="Ships in the harbour"' in image
    assert 'The fleet leaves <small class="credit">Jo Tan</small>' in image
    assert (
        f'<figure class="embed" data-embed="youtube" data-embed-url="{VIDEO}">'
        f'<a href="{VIDEO}" rel="noopener noreferrer">Watch on YouTube</a></figure>'
    ) in stored

    # The reader's page, recorded: nothing but the site until the click.
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.route(  # the test needs no internet: the player answers from here
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(
            status=200, body="<p>player</p>", content_type="text/html"
        ),
    )
    watch.visit(live_server.url + story.get_absolute_url())
    article = page.locator(".article__body")
    assert article.locator("h2", has_text="The departure").is_visible()
    assert article.locator("li", has_text="Tankers").is_visible()
    assert article.locator("a[href='https://example.org/navy']").is_visible()
    assert article.locator("blockquote.pullquote").is_visible()
    assert article.locator("figure.image figcaption", has_text="Jo Tan").is_visible()
    placeholder = article.locator("figure.embed")
    assert "may set cookies" in placeholder.inner_text()
    assert article.locator("iframe").count() == 0
    own = urlsplit(live_server.url).netloc
    assert {urlsplit(u).netloc for u in requests if u.startswith("http")} == {own}

    placeholder.locator("button", has_text="Load content from YouTube").click()
    frame = article.locator("figure.embed iframe")
    frame.wait_for()
    assert frame.get_attribute("src") == PLAYER
    page.wait_for_timeout(300)
    assert any(u.startswith(PLAYER) for u in requests)
    watch.collect()
    watch.assert_none()
    assert errors == []


def test_a_migrated_wordpress_story_goes_through_the_editor_intact(
    browser, live_server, make_account, story_of, site_settings
):
    original = to_html(WORDPRESS)  # what the importer stores
    assert "<table>" in original and "<dl>" in original and "<figure>" in original
    desk = make_account(Role.EDITOR, "desk")
    story = story_of(desk, headline="From WordPress", body=original)
    page, errors = _signed_in(browser, live_server, desk)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    body = _editor(page)
    assert page.locator(".body-editor-notice").count() == 0
    # A change undone: the editor writes its own HTML of the whole story.
    body.locator("dd").click()
    page.keyboard.press("End")
    page.keyboard.type("x")
    page.keyboard.press("Backspace")
    written = page.locator("#id_body").input_value()
    assert written != original
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    story.refresh_from_db()
    assert canonical(story.body) == canonical(original)

    # What it cannot hold exactly (a gallery, an h5) stays HTML, untouched.
    gallery = original + (
        '<figure><img src="/static/img/favicon.svg" alt="a">'
        '<img src="/static/img/favicon.svg" alt="b"></figure>'
        "<h5>Small print</h5>"
    )
    other = story_of(desk, headline="With a gallery", body=gallery)
    page.goto(f"{live_server.url}/admin/articles/article/{other.pk}/change/")
    notice = page.locator(".body-editor-notice")
    notice.wait_for()
    assert "<h5>" in notice.inner_text() and "nothing is lost" in notice.inner_text()
    assert page.locator("#id_body").is_visible()
    assert page.locator(".body-editor").count() == 0
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    other.refresh_from_db()
    assert other.body == gallery
    assert errors == []
