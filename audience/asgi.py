"""The read beacon's fast lane, in front of Django on the ASGI server.

Beacons are the most frequent request of the site (one per page view, also for
pages served from the page cache), and they need nothing of Django's request
cycle: no session, no template, no URL routing. This ASGI wrapper answers
``POST /audience/read/`` itself, with the same rules as the Django view
(``audience.services.accept_read``), on the server's event loop: in the common
case (a live article known to the process, today's salt loaded, the spool file
as buffer) a beacon costs no query, no thread hand-off and no network call.
Otherwise, the rules run in a small thread pool, where the database and Redis
may be used. Everything else, and a beacon that carries a session cookie (only
Django can tell whether it is staff), goes to the wrapped application.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections

from audience import services

log = logging.getLogger(__name__)
PATH = "/audience/read/"
HEADERS = [
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-robots-tag", b"noindex"),
    (b"content-length", b"0"),
]
# Request headers the counting rules read, as WSGI/Django META keys.
META_KEYS = {
    b"user-agent": "HTTP_USER_AGENT",
    b"sec-purpose": "HTTP_SEC_PURPOSE",
    b"purpose": "HTTP_PURPOSE",
    b"x-moz": "HTTP_X_MOZ",
    b"x-forwarded-for": "HTTP_X_FORWARDED_FOR",
}
POOL_SIZE = 2
_pool = ThreadPoolExecutor(max_workers=POOL_SIZE, thread_name_prefix="beacon")


class _Disconnected(Exception):
    """The client went away before its body arrived; nobody to answer."""


def _accept_in_thread(meta: dict[str, str], article_id: int) -> None:
    close_old_connections()
    try:
        services.accept_read(meta, article_id, staff=False)
    finally:
        close_old_connections()


async def _read_body(receive) -> bytes:
    """The body, or Refused(413) as soon as it is longer than a beacon's."""
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        body += message.get("body", b"")
        if len(body) > services.MAX_BODY:
            raise services.Refused(413, "body too large")
        if not message.get("more_body"):
            return body


async def _status(receive, meta: dict[str, str], length: str) -> int:
    try:
        if length and int(length) > services.MAX_BODY:
            return 413
    except ValueError:
        return 400
    try:
        article_id = services.parse_article_id(await _read_body(receive))
        if services.accepts_without_io(article_id):
            services.accept_read(meta, article_id, staff=False)
        else:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(_pool, _accept_in_thread, meta, article_id)
    except services.Refused as refused:
        return refused.status
    return 204


def with_beacon(application):
    """Wrap an ASGI application with the beacon's fast lane."""
    cookie = f"{settings.SESSION_COOKIE_NAME}=".encode()

    async def app(scope, receive, send):
        if (
            scope["type"] != "http"
            or scope["path"] != PATH
            or scope["method"] != "POST"
        ):
            return await application(scope, receive, send)
        client = scope.get("client")
        meta = {"REMOTE_ADDR": client[0] if client else ""}
        length = ""
        for name, value in scope["headers"]:
            if name == b"cookie" and cookie in value:
                return await application(scope, receive, send)
            if name == b"content-length":
                length = value.decode("latin-1")
            elif key := META_KEYS.get(name):
                value = value.decode("latin-1")
                meta[key] = f"{meta[key]},{value}" if key in meta else value
        try:
            status = await _status(receive, meta, length)
        except _Disconnected:
            return None
        except Exception:  # noqa: BLE001 - the reader gets a bare 503, we get the log
            log.exception("read beacon failed")
            status = 503
        await send(
            {"type": "http.response.start", "status": status, "headers": HEADERS}
        )
        await send({"type": "http.response.body", "body": b""})
        return None

    return app
