"""Test helpers shared by the apps' browser tests (Playwright + Debian Chromium)."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

#: An ASGI message, and an ASGI application (scope, receive, send).
Message = dict[str, Any]
ASGIApp = Callable[
    [
        Message,
        Callable[[], Awaitable[Message | None]],
        Callable[[Message], Awaitable[None]],
    ],
    Awaitable[None],
]


def in_services_tier() -> bool:
    """Whether the tests run against PostgreSQL and Redis (make test-postgres):
    what tests of worker and server processes sharing the database need."""
    return bool(
        os.environ.get("REDIS_URL") and "postgres" in os.environ.get("DATABASE_URL", "")
    )


#: Why those tests do not run in the SQLite tier.
SERVICES_TIER = "needs PostgreSQL and Redis (the make test-postgres tier)"

SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
#: The public address tests give the site (settings.SITE_URL) where links
#: must be absolute: feeds, sitemaps, structured data (`public_site` fixture).
PUBLIC_URL = "https://news.example.org"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def asgi_request(
    app: ASGIApp,
    *,
    method: str = "GET",
    path: str = "/",
    query: str = "",
    headers: dict[str, str] | None = None,
    chunks: Sequence[bytes] = (b"",),
    disconnect: bool = False,
    on_send: Callable[[Message], object] | None = None,
    timeout: float = 10,
) -> list[Message]:
    """One HTTP request through an ASGI application, as the server would make
    it; the messages the application sent back. The event loop runs in a thread
    of its own: the browser tests' Playwright keeps one running in the main
    thread for the whole session."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    scope: Message = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": method, "scheme": "http", "path": path,
        "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("203.0.113.7", 50000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    incoming: list[Message] = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    if disconnect:
        incoming = [{"type": "http.disconnect"}]
    sent: list[Message] = []

    async def receive() -> Message | None:
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(3600)
        return None

    async def send(message: Message) -> None:
        sent.append(message)
        if on_send:
            on_send(message)

    async def main() -> None:
        await asyncio.wait_for(app(scope, receive, send), timeout)

    with ThreadPoolExecutor(max_workers=1) as runner:
        runner.submit(asyncio.run, main()).result()
    return sent


@dataclass
class Reply:
    """A response to a real HTTP request (headers' names in lower case)."""

    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: str
    url: str


def http_request(
    url: str, data: dict[str, str] | None = None, cookie: str = "", timeout: float = 30
) -> Reply:
    """One request to a running server as a browser sends it (a form POST
    when `data` is given; redirects followed), for the tests that start
    real servers (the cluster, the proxy, parts that fail)."""
    request = urllib.request.Request(
        url, data=urlencode(data).encode() if data is not None else None
    )
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        jar: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return Reply(
            status=response.status,
            headers={k.lower(): v for k, v in response.headers.items()},
            cookies={name: morsel.value for name, morsel in jar.items()},
            body=response.read().decode(errors="replace"),
            url=response.url,
        )
