"""Django under the ASGI server (lib/threadedwsgi.py): whole responses are
handed over at once, big ones still stream, errors lose nothing."""

from __future__ import annotations

import threading

import pytest

from lib.testing import asgi_request
from lib.threadedwsgi import HOLD_BYTES, ThreadedWSGI


def serve(app, *, body: bytes = b"", method: str = "GET", on_send=None) -> list[dict]:
    """One request through ThreadedWSGI(app); the ASGI messages it sent."""
    return asgi_request(
        ThreadedWSGI(app, workers=2),
        method=method,
        path="/x",
        headers={"content-length": str(len(body))},
        chunks=[body],
        on_send=on_send,
    )


def body_of(messages: list[dict]) -> bytes:
    return b"".join(m.get("body", b"") for m in messages[1:])


def test_a_page_arrives_whole_with_its_status_and_headers():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html"), ("X-Test", "yes")])
        return [b"<p>", b"front page", b"</p>"]

    messages = serve(app)
    assert messages[0]["status"] == 200
    assert (b"x-test", b"yes") in messages[0]["headers"]
    assert body_of(messages) == b"<p>front page</p>"
    assert messages[-1].get("more_body", False) is False


def test_a_small_page_crosses_to_the_event_loop_once(monkeypatch):
    """Pins a2wsgi's WSGIResponder.send, which lib/threadedwsgi.py overrides:
    if a2wsgi renamed it, pages would cross piece by piece again (and cost a
    third more CPU) with every other test still green."""
    from lib import threadedwsgi

    hand_overs = []
    original = threadedwsgi._HoldingResponder._hand_over

    def counted(self, messages):
        hand_overs.append([m["type"] for m in messages])
        original(self, messages)

    monkeypatch.setattr(threadedwsgi._HoldingResponder, "_hand_over", counted)

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"<p>", b"front page", b"</p>"]

    messages = serve(app)
    assert body_of(messages) == b"<p>front page</p>"
    assert len(hand_overs) == 1
    assert hand_overs[0][0] == "http.response.start"
    assert hand_overs[0][-1] == "http.response.body"


def test_the_request_body_reaches_the_application():
    def app(environ, start_response):
        data = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        start_response("201 Created", [("Content-Type", "text/plain")])
        return [f"{environ['REQUEST_METHOD']} {len(data)}".encode()]

    messages = serve(app, method="POST", body=b"x" * 100_000)
    assert messages[0]["status"] == 201 and body_of(messages) == b"POST 100000"


def test_a_big_export_streams_before_it_is_finished():
    """Past HOLD_BYTES the response goes out piece by piece: the application
    waits here until the first piece has reached the client."""
    first_piece_out = threading.Event()
    chunk = b"row,of,a,csv,export\n" * 2_000

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/csv")])
        for _ in range(HOLD_BYTES // len(chunk) + 2):
            yield chunk
        assert first_piece_out.wait(5), "nothing was sent while the export ran"
        for _ in range(20):
            yield chunk

    def on_send(message):
        if message.get("body"):
            first_piece_out.set()

    messages = serve(app, on_send=on_send)
    expected = (HOLD_BYTES // len(chunk) + 22) * len(chunk)
    assert len(body_of(messages)) == expected


def test_an_error_before_the_response_sends_nothing_half_done():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html")])
        yield b"<p>half a page"
        raise RuntimeError("the database went away")

    seen: list[dict] = []
    with pytest.raises(RuntimeError):
        serve(app, on_send=seen.append)
    assert seen == []  # the server answers 500 instead of half a page


def test_the_entry_points_keep_what_they_loaded_out_of_full_collections():
    """The objects a web process loads at start are frozen (gc.freeze): a
    full collection no longer scans them in the middle of a request."""
    import gc
    import importlib

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    import newshub.wsgi

    importlib.reload(newshub.wsgi)
    assert gc.get_freeze_count() > 10_000
    gc.unfreeze()


def test_a_page_in_many_small_pieces_arrives_whole_and_in_order():
    """More pieces than the loop's queue holds at once: handed over with a
    wait for room, never dropped."""

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [f"{n},".encode() for n in range(40)]

    messages = serve(app)
    assert body_of(messages) == b"".join(f"{n},".encode() for n in range(40))
    assert messages[-1].get("more_body", False) is False


def test_a_thread_keeps_its_cache_backend_from_one_request_to_the_next():
    """Pins a2wsgi's WSGIResponder.wsgi, which lib/threadedwsgi.py overrides to
    run each thread's requests in a context of its own: Django keeps its cache
    objects per context, and a2wsgi gives every request a fresh one, so each
    request built its cache backend (a Redis client) again."""
    from django.core.cache import caches

    seen = []

    def app(environ, start_response):
        seen.append((threading.get_ident(), id(caches["default"])))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = ThreadedWSGI(app, workers=1)
    for _ in range(3):
        messages = asgi_request(
            server, method="GET", path="/x", headers={}, chunks=[b""]
        )
        assert body_of(messages) == b"ok"
    assert len(seen) == 3
    assert len(set(seen)) == 1, "one thread, one cache object for all its requests"
