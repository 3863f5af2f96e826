"""The beacon's fast lane on the ASGI server (newshub.asgi) applies the same
rules as the Django view, and everything else reaches Django untouched.

These tests call the real ASGI application. Django itself runs in a2wsgi's
threads and a cold beacon in the fast lane's own thread, so the database is
shared across threads (transactional_db)."""

from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from audience import asgi, services
from audience.models import DailyReads
from audience.tests.conftest import CHROME
from lib.testing import asgi_request

pytestmark = pytest.mark.django_db(transaction=True)


def _close_connections_in(pool: ThreadPoolExecutor, size: int) -> None:
    """Each of the pool's threads closes its database connection (the test
    database cannot be dropped while they hold one open): `size` jobs that wait
    for each other must run on `size` different threads."""
    barrier = threading.Barrier(size, timeout=10)

    def close() -> None:
        barrier.wait()
        connections.close_all()

    for job in [pool.submit(close) for _ in range(size)]:
        job.result()


@pytest.fixture(autouse=True)
def _threads_let_go_of_the_database():
    yield
    import newshub.asgi

    _close_connections_in(newshub.asgi.django_in_threads.executor, newshub.asgi.threads)
    _close_connections_in(asgi._pool, asgi.POOL_SIZE)


def call(
    body: bytes | list[bytes] = b"",
    *,
    method: str = "POST",
    path: str = "/audience/read/",
    headers: dict[str, str] | None = None,
    disconnect: bool = False,
) -> tuple[int | None, dict[bytes, bytes], bytes]:
    """One request through newshub.asgi; (status, headers, body) of the answer."""
    from newshub.asgi import application

    chunks = body if isinstance(body, list) else [body]
    sent_headers = {"user-agent": CHROME, **(headers or {})}
    if not isinstance(body, list) and "content-length" not in sent_headers:
        sent_headers["content-length"] = str(len(body))
    sent = asgi_request(
        application,
        method=method,
        path=path,
        headers=sent_headers,
        chunks=chunks,
        disconnect=disconnect,
    )
    start = [m for m in sent if m["type"] == "http.response.start"]
    if not start:
        return None, {}, b""
    body = b"".join(
        m.get("body", b"") for m in sent if m["type"] == "http.response.body"
    )
    return start[0]["status"], dict(start[0].get("headers", [])), body


def counted() -> int:
    services.flush_reads()
    return DailyReads.objects.total()


def test_a_read_is_counted_cold_and_warm(published_article, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # Cold: the process knows no live article yet, so the rules run in a thread.
    assert not services.accepts_without_io(published_article.pk)
    status, headers, body = call(
        f"id={published_article.pk}".encode(), headers={"x-forwarded-for": "10.0.0.1"}
    )
    assert (status, body) == (204, b"")
    assert headers[b"cache-control"] == b"no-store"
    # Warm, with the spool file: answered on the event loop, where any query
    # would fail (Django refuses synchronous database access there) and give a
    # 503. With Redis as the buffer, every beacon runs in the thread.
    assert services.accepts_without_io(published_article.pk) == (not settings.REDIS_URL)
    status, _, _ = call(
        f"id={published_article.pk}".encode(), headers={"x-forwarded-for": "10.0.0.2"}
    )
    assert status == 204
    assert counted() == 2


def test_a_repeat_read_through_the_fast_lane_counts_once(published_article):
    for _ in range(3):
        assert call(f"id={published_article.pk}".encode())[0] == 204
    assert counted() == 1


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"id=abc", {}, 400),
        (b"id=1; DROP TABLE audience_dailyreads", {}, 400),
        (b"<script>alert(1)</script>", {}, 400),
        (b"id=987654321", {}, 404),
        (b"id=" + b"7" * 500, {}, 413),
        (b"", {"content-length": "99999999999"}, 413),
        (b"", {"content-length": "lots"}, 400),
        ([b"id=1", b"2" * 40, b"3" * 40], {}, 413),  # chunked, no length given
    ],
)
def test_bad_input_gets_a_clear_status_and_counts_nothing(
    published_article, body, headers, status
):
    assert call(body, headers=headers)[0] == status
    assert counted() == 0


def test_bots_and_prefetches_get_204_and_are_not_counted(published_article):
    body = f"id={published_article.pk}".encode()
    assert call(body, headers={"user-agent": "Slackbot-LinkExpanding 1.0"})[0] == 204
    assert call(body, headers={"user-agent": ""})[0] == 204
    assert call(body, headers={"sec-purpose": "prefetch;prerender"})[0] == 204
    assert counted() == 0


def test_a_flood_from_one_address_gets_429(published_article, settings):
    settings.AUDIENCE_BEACONS_PER_MINUTE = 3
    body = f"id={published_article.pk}".encode()
    statuses = [call(body)[0] for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]


def test_a_client_gone_before_its_body_gets_no_answer(published_article):
    assert call(b"", disconnect=True)[0] is None
    assert counted() == 0


@pytest.mark.parametrize("broken", ["spool", "redis"])
def test_a_broken_buffer_gives_503_and_no_stack_trace(
    published_article, settings, tmp_path, broken
):
    if broken == "spool":
        (tmp_path / "file").write_text("not a folder")
        settings.REDIS_URL = ""
        settings.AUDIENCE_SPOOL = tmp_path / "file" / "reads"
    else:
        with socket.socket() as s:  # a port where nothing listens
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    status, _, body = call(f"id={published_article.pk}".encode())
    assert (status, body) == (503, b"")


def test_other_requests_and_methods_reach_django(published_article):
    status, headers, body = call(method="GET", headers={})
    assert status == 405  # Django's view: the beacon is POST only
    status, headers, body = call(
        method="GET", path=published_article.get_absolute_url(), headers={}
    )
    assert status == 200 and published_article.headline.encode() in body


def test_requests_with_a_session_go_through_django(published_article, client, editor):
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    status, _, _ = call(
        f"id={published_article.pk}".encode(),
        headers={"cookie": f"sessionid={session}"},
    )
    assert status == 204
    assert counted() == 0  # staff, recognised by Django
