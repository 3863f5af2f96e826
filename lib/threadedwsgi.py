"""Django (a WSGI application) under the ASGI server, in a thread pool.

a2wsgi runs the application in its threads and hands every piece of the
response (status and headers, each body chunk, the end) back to the event loop
one at a time, each time waiting for the loop to take it. With several threads
per process those hand-offs fight for the GIL and cost about a third more CPU
per page than the page itself under a threaded WSGI server. Here a response is
held in the thread until it is complete and handed over in one go; only a
response larger than HOLD_BYTES (a streamed CSV export, a big file) is passed
on piece by piece as before, so memory stays bounded.

a2wsgi documents WSGIMiddleware only; WSGIResponder (its `send`, `loop` and
`send_queue`) is its inner workings, pinned at a2wsgi==1.10.10 in
pyproject.toml and by core/tests/test_threadedwsgi.py
(`test_a_small_page_crosses_to_the_event_loop_once` fails if the override is
no longer called).

Each thread also runs its requests in a context of its own, kept from one
request to the next, as under a threaded WSGI server. a2wsgi runs every
request in a fresh copy of the event loop's context, and Django keeps its cache
objects in context-local storage (`django.core.cache.caches`): with a fresh
context, each request built its cache backend again (for Redis: the client,
its options, a Redis object), 3-4% of a page made from fragments (py-spy
--gil). `wsgi` is a2wsgi's WSGIResponder method that its `__call__` runs in the
executor; core/tests/test_threadedwsgi.py pins that it is still called there.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from typing import Any

from a2wsgi.wsgi import WSGIMiddleware, WSGIResponder

HOLD_BYTES = 512 * 1024


Message = dict[str, Any]

_thread = threading.local()


def _thread_context() -> contextvars.Context:
    """This thread's own context: made on its first request, kept after."""
    context: contextvars.Context | None = getattr(_thread, "context", None)
    if context is None:
        context = _thread.context = contextvars.Context()
    return context


class _HoldingResponder(WSGIResponder):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._held: list[Message] = []
        self._held_bytes = 0
        self._streaming = False

    def wsgi(self, environ: Any, start_response: Any) -> None:  # the app thread
        _thread_context().run(super().wsgi, environ, start_response)

    def send(self, message: Any) -> None:  # called in the application's thread
        if self._streaming:
            return super().send(message)
        self._held.append(message)
        self._held_bytes += len(message.get("body", b""))
        last = message["type"] == "http.response.body" and not message.get("more_body")
        if last and len(self._held) <= self.send_queue.maxsize:
            # The whole response, into the loop's still empty queue: scheduled,
            # not waited for (the loop runs callbacks in order, so it is queued
            # before the end of the request is). A coroutine and a wait for it
            # here cost a third of the thread's time (py-spy --gil).
            held, self._held = self._held, []
            self.loop.call_soon_threadsafe(self._hand_over, held)
        elif last or self._held_bytes > HOLD_BYTES:
            self._streaming = not last
            held, self._held = self._held, []
            asyncio.run_coroutine_threadsafe(self._stream(held), self.loop).result()
        return None

    def _hand_over(self, messages: list[Message]) -> None:  # on the event loop
        for message in messages:
            self.send_queue.put_nowait(message)

    async def _stream(self, messages: list[Message]) -> None:
        for message in messages:
            await self.send_queue.put(message)


class ThreadedWSGI(WSGIMiddleware):
    """a2wsgi's WSGIMiddleware, with responses handed over whole."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        responder = _HoldingResponder(self.app, self.executor, self.send_queue_size)
        return await responder(scope, receive, send)
