"""Every public address and form, fed generated input (Hypothesis): odd paths
and query strings on the reader pages, feeds and old WordPress links; comments,
subscriptions and their signed links; search and its filters; the read
beacon; previews; the CSP report endpoint. Whatever comes in, the site never
answers with a server error, and never sends back a piece of markup it was
given as markup.

Bounded and reproducible: a fixed number of examples per test, derandomized
(the same inputs on every run), no example database written to disk."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.tests.factories import ArticleFactory
from audience.tests import test_asgi
from comments.forms import sign_timestamp
from comments.models import DiscussionSettings
from subscriptions.models import Subscriber

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Markup that must never come back as it was sent: each carries "fuzzed", a
#: word no page of the site prints, so its raw form in a response is a
#: reflection and not the page's own markup.
HOSTILE = [
    "<script>fuzzed(1)</script>",
    '"><svg onload=fuzzed(2)>',
    "'><img src=x onerror=fuzzed(3)>",
    '" autofocus onfocus="fuzzed(4)',
    "</textarea><b>fuzzed5</b>",
    "</title><i>fuzzed6</i>",
    "<!--fuzzed7-->",
    "javascript:fuzzed(8)",
]
#: What the generated text is made of: the hostile markup, the characters
#: that break parsers and encoders, and any text at all.
PIECES = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(
        ["'", '"', "<", ">", "&", "%", "%00", "\x00", "\r\n", "\\", "../", "{{",
         "{%", "\u202e", "\ud7ff", "🙂", "é", " ", "+", "?", "#", "/", ";", "=",
         "9" * 30, "-1", "0", "1", "2026-02-30", "0001-01-01", "9999-12-31"]
    ),
    st.text(max_size=12),
)  # fmt: skip
VALUES = st.lists(PIECES, max_size=5).map("".join)
#: Ids and numbers, also past what a database integer holds.
NUMBERS = st.one_of(st.integers(-5, 10**6), st.integers(-(10**30), 10**30)).map(str)
VALUES = st.one_of(VALUES, NUMBERS)
QUERY_KEYS = st.sampled_from(
    ["s", "q", "page", "p", "page_id", "cat", "tag", "attachment_id", "order",
     "date_from", "date_to", "category", "author", "unapproved", "replytocom",
     "m", "paged", "feed", "days", "next", "preview", "x"]
)  # fmt: skip
QUERIES = st.lists(st.tuples(QUERY_KEYS, VALUES), max_size=4)


#: A link or form made of the input: javascript: as text is harmless.
SCRIPT_URL = re.compile(
    r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:fuzzed""", re.I
)


def _reflected(content: bytes) -> list[str]:
    text = content.decode("utf-8", "replace")
    found = [m for m in HOSTILE if m in text and not m.startswith("javascript:")]
    return found + SCRIPT_URL.findall(text)


def _safe(response) -> None:
    """No server error, and no hostile markup sent back as markup."""
    assert response.status_code < 500, response.content[:2000]
    if not response.streaming:
        assert _reflected(response.content) == []
    assert all(
        "fuzzed" not in value or "<" not in value for value in response.headers.values()
    )


@pytest.fixture
def site(site_settings, published_article):
    site_settings.time_zone = "Asia/Karachi"  # east of UTC: dates shift a day
    site_settings.save()
    discussion = DiscussionSettings.load()
    discussion.min_seconds_to_submit = 0
    discussion.flood_seconds = 0
    discussion.max_per_hour = 0
    discussion.save()
    return published_article


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def _reader_paths(article) -> list[str]:
    section = article.category.get_absolute_url()
    return [
        "/", "/page/2/", article.get_absolute_url(), section, "/feed/",
        "/feed/atom/", section + "feed/", article.get_absolute_url() + "feed/",
        article.author.get_absolute_url(), "/search/", "/subscribe/",
        "/sitemap.xml", "/news-sitemap.xml", "/robots.txt",
        "/.well-known/security.txt", "/2026/", "/archives/12", "/corrections/",
        "/corrections/page/2/",
    ]  # fmt: skip


@pytest.mark.django_db
@FUZZ
@given(data=st.data(), query=QUERIES)
def test_reader_pages_take_any_query_string(site, anonymous, data, query):
    path = data.draw(st.sampled_from(_reader_paths(site)))
    _safe(anonymous.get(path + "?" + urlencode(query)))


PATH_SHAPES = [
    "/{}/", "/category/{}/", "/category/{}/{}/", "/tag/{}/", "/author/{}/",
    "/tag/{}/feed/", "/author/{}/feed/", "/category/{}/feed/", "/{}/page/{}/",
    "/2026/{}/", "/2026/03/{}/", "/2026/03/10/{}/", "/2026/03/10/{}/feed/",
    "/page/{}/", "/archives/{}", "/preview/{}/", "/preview/link/{}/",
    "/corrections/page/{}/", "/comments/stamp/{}/",
    "/subscribe/confirm/{}/", "/subscribe/stop/{}/", "/subscribe/preferences/{}/",
    "/subscribe/one-click/{}/", "/comments/stop-replies/{}/",
    "/comments/stop-replies/{}/confirm/", "/audience/read/{}.gif", "/media/{}",
    "/{}",
]  # fmt: skip


@pytest.mark.django_db
@FUZZ
@given(
    shape=st.sampled_from(PATH_SHAPES),
    parts=st.lists(VALUES, min_size=2, max_size=2),
    encode=st.booleans(),
)
def test_any_path_is_answered_without_an_error(site, anonymous, shape, parts, encode):
    if encode:  # as a browser sends it
        parts = [quote(part, safe="") for part in parts]
    else:  # as a hand-made request may: only what cannot be sent is quoted
        parts = [quote(part, safe="/%:;=+'\"<>&") for part in parts]
    path = shape.format(*parts[: shape.count("{}")])
    _safe(anonymous.get(path))
    _safe(anonymous.head(path))


COMMENT_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "body": VALUES,
        "name": VALUES,
        "email": st.one_of(VALUES, st.emails()),
        "url": st.one_of(VALUES, st.just("https://example.org/a?b=<c>")),
        "parent": VALUES,
        "website_hp": VALUES,
        "notify_replies": st.sampled_from(["on", "", "<b>"]),
        "remember": VALUES,
    },
)


@pytest.mark.django_db
@FUZZ
@given(fields=COMMENT_FIELDS, article=st.sampled_from(["own", "other", "text"]))
def test_the_comment_form_takes_any_input(site, anonymous, fields, article):
    """A well-formed stamp and article, or not, and any other field."""
    data = dict(fields)
    if article == "own":
        data["article"] = str(site.pk)
        data["ts"] = sign_timestamp(site.pk, time.time() - 30)
    elif article == "other":
        data["article"] = "987654"
        data["ts"] = "1700000000:forged"
    else:
        data["article"] = "<script>fuzzed(1)</script>"
    _safe(anonymous.post("/comments/post/", data))
    page = anonymous.get(site.get_absolute_url() + "?unapproved=1")
    _safe(page)


@pytest.mark.django_db
@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["email", "website_hp", "x"]), VALUES))
def test_the_subscription_form_takes_any_input(site, anonymous, fields):
    _safe(anonymous.post("/subscribe/send/", fields))


@pytest.mark.django_db
@FUZZ
@given(
    kind=st.sampled_from(["confirm", "stop", "preferences", "one-click"]),
    token=st.sampled_from(["valid", "forged", "other-purpose"]),
    fields=st.dictionaries(
        st.sampled_from(["frequency", "categories", "action", "List-Unsubscribe"]),
        VALUES,
    ),
)
# Found by this test: a section id past SQLite's integers (a 500).
@example(kind="preferences", token="valid", fields={"categories": "9" * 25})
def test_subscription_links_take_any_token_and_form(
    site, anonymous, kind, token, fields
):
    subscriber, _ = Subscriber.objects.get_or_create(email="fuzz@example.test")
    valid = {
        "confirm": subscriber.confirm_token(),
        "stop": subscriber.unsubscribe_token(),
        "preferences": subscriber.preferences_token(),
        "one-click": subscriber.unsubscribe_token(),
    }[kind]
    value = {
        "valid": valid,
        "forged": valid[:-3] + "abc",
        "other-purpose": subscriber.preferences_token()
        if kind != "preferences"
        else subscriber.confirm_token(),
    }[token]
    url = f"/subscribe/{kind}/{value}/"
    _safe(anonymous.get(url))
    _safe(anonymous.post(url, fields))


DATES = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "1970-01-01"]),
    st.dates().map(dt.date.isoformat),
    VALUES,
)


@pytest.mark.django_db
@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {"q": st.sampled_from(["navy", "frigate order", "a"]) | VALUES},
        optional={
            "category": st.sampled_from(["naval-affairs", "", "<b>"]) | VALUES,
            "author": st.sampled_from(["amina-rauf", "x"]) | VALUES,
            "date_from": DATES,
            "date_to": DATES,
            "order": st.sampled_from(["newest", "relevance"]) | VALUES,
            "page": st.integers(-1, 10**7).map(str) | VALUES,
        },
    ),
    address=st.sampled_from(["/search/", "/"]),
)
# Found by this test: the day after the calendar's last overflowed (a 500).
@example(fields={"q": "navy", "date_to": "9999-12-31"}, address="/search/")
@example(fields={"q": "navy", "date_from": "0001-01-01"}, address="/")
def test_search_takes_any_query_and_filters(site, anonymous, fields, address):
    if address == "/":
        fields = {"s": fields.pop("q", "")} | fields
    _safe(anonymous.get(address, fields))


@pytest.mark.django_db
@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=100),
        VALUES.map(str.encode),
        st.integers(-(10**20), 10**20).map(lambda n: f"id={n}".encode()),
    ),
    content_type=st.sampled_from(
        ["application/x-www-form-urlencoded", "text/plain", "application/json", ""]
    ),
    agent=st.sampled_from(["Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0", "", "<>"]),
)
def test_the_read_beacon_takes_any_body(site, anonymous, body, content_type, agent):
    response = anonymous.post(
        "/audience/read/", body, content_type=content_type, HTTP_USER_AGENT=agent
    )
    _safe(response)
    assert response.status_code in (204, 400, 404, 413, 429)


@pytest.fixture
def beacon_threads():
    """The ASGI server's threads close their database connections after."""
    yield
    import newshub.asgi
    from audience import asgi

    pools = [
        (newshub.asgi.django_in_threads.executor, newshub.asgi.threads),
        (asgi._pool, asgi.POOL_SIZE),
    ]
    for pool, size in pools:
        test_asgi._close_connections_in(pool, size)


@pytest.mark.django_db(transaction=True)
@settings(FUZZ, max_examples=50)
@given(
    body=st.one_of(st.binary(max_size=80), VALUES.map(str.encode)),
    length=st.sampled_from(["exact", "missing", "-1", "x", "99999999999"]),
    content_type=st.sampled_from(["application/x-www-form-urlencoded", "", "<>"]),
)
def test_the_beacons_fast_lane_takes_any_body(
    site, beacon_threads, body, length, content_type
):
    """The beacon as the ASGI server answers it, before Django (audience.asgi)."""
    headers = {"content-type": content_type}
    if length != "exact":
        headers["content-length"] = "" if length == "missing" else length
    status, _headers, answer = test_asgi.call(body, headers=headers)
    assert status is not None and status < 500
    assert b"fuzzed" not in answer


@pytest.mark.django_db
@FUZZ
@given(pk=st.integers(-1, 10**12), query=QUERIES, staff=st.booleans())
def test_preview_links_take_any_address(site, editor, pk, query, staff):
    client = Client(raise_request_exception=False)
    if staff:
        client.force_login(editor)
    if pk < 0:
        pk = site.pk
    _safe(client.get(f"/preview/{pk}/?" + urlencode(query)))


@pytest.mark.django_db
@FUZZ
@given(
    edit=st.sampled_from(["as made", "tampered", "cut", "extended", "replaced"]),
    extra=VALUES,
    query=QUERIES,
)
def test_signed_preview_links_take_any_token(site, edit, extra, query):
    """A colleague's preview link (newsroom), made for a draft, then altered."""
    from articles.models import Article
    from newsroom.services import preview_url

    draft = ArticleFactory(status=Article.Status.DRAFT, headline="Draft in review")
    token = preview_url(draft).rstrip("/").rsplit("/", 1)[-1]
    token = {
        "as made": token,
        "tampered": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "cut": token[: len(token) // 2],
        "extended": token + extra,
        "replaced": extra,
    }[edit]
    address = f"/preview/link/{quote(token, safe='')}/?" + urlencode(query)
    response = Client(raise_request_exception=False).get(address)
    _safe(response)
    if edit == "as made":
        assert response.status_code == 200 and "Draft in review" in str(
            response.content
        )
    assert "public" not in response.get("Cache-Control", "")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | VALUES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["csp-report", "type", "body", "blocked-uri", "x"])
            | VALUES,
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@pytest.mark.django_db
@FUZZ
@given(
    body=st.one_of(st.binary(max_size=200), JSON.map(lambda v: json.dumps(v).encode())),
    content_type=st.sampled_from(
        ["application/csp-report", "application/reports+json", "text/plain"]
    ),
)
def test_the_csp_report_endpoint_takes_any_body(anonymous, body, content_type):
    response = anonymous.post("/csp-report/", body, content_type=content_type)
    _safe(response)
    assert response.status_code in (204, 400, 413)


@pytest.mark.django_db
@FUZZ
@given(fields=st.dictionaries(VALUES, VALUES, max_size=5))
def test_a_form_sent_without_its_token_is_offered_again_escaped(site, fields):
    """The CSRF failure page (core.views.csrf_failure) shows the sent fields
    again, to be resent with a fresh token."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    for url in ("/comments/post/", "/subscribe/send/"):
        response = client.post(url, fields)
        _safe(response)
        assert response.status_code == 403


@pytest.mark.django_db
@settings(FUZZ, max_examples=20)
@given(query=QUERIES)
def test_the_admin_login_page_takes_any_query(anonymous, query):
    _safe(anonymous.get("/admin/login/?" + urlencode(query)))
