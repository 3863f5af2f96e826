"""A full-page cache for what anonymous readers see, invalidated by tags.

A page is stored with the tags of what it shows (`tag_page`: the article, the
section's list, ...) and the version each tag had when the page was made.
Changing content bumps the versions of its tags (`invalidate`): the pages that
carry one of them are rebuilt at their next request, and no others. Every page
also carries `SITE` (bumped when what every page prints changes: the site's
settings, a section's or an author's name) and is kept for the site's day
only, so the date bar turns over at midnight. Blocks computed on a schedule
(Top 5, Popular, Related) are as old as the page at most:
PAGE_CACHE_SECONDS.

The stored entry holds the response's bytes and headers as the outermost
middleware sent them, so the ASGI fast lane (`with_page_cache`) can answer a
hit without Django. Responses of tagged pages also carry the headers a
reverse proxy or CDN honours: Cache-Control with s-maxage and
stale-while-revalidate (PROXY_CACHE_SECONDS), and Surrogate-Key (the tags).

Requests with a query string or a session cookie (staff) skip the cache.
When a page must be rebuilt, one request rebuilds it while the others get
the copy it replaces ("stale while revalidate").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import logging
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone

log = logging.getLogger(__name__)

#: Every page carries it: what all pages print changed (the site's
#: settings, a section's, tag's or author's name; a bulk import).
SITE = "site"
#: The home page and the site's feeds: the newest stories.
FRONT = "front"
#: Every list of all stories: /page/N/, the sitemaps.
LATEST = "latest"
#: The live blocks (Top 5, Popular): bumped when the rankings change. Pages
#: do not carry it: their copies keep the blocks as holes, filled at each
#: hit with the blocks' current HTML (`live_block`).
LIVE = "live-blocks"
#: A live block in a page: <!--pc:KEY-->its HTML<!--/pc:KEY-->.
HOLE = re.compile(rb"<!--pc:([\w.-]+)-->(.*?)<!--/pc:\1-->", re.S)


def tag(kind: str, key: object) -> str:
    """A tag of one thing: ("article", slug) is an article's page, ("comments",
    slug) its discussion, ("section", slug), ("tag", slug), ("author", slug)
    the lists of one, ("date", "2026-11" ...) a date archive."""
    return f"{kind}:{key}"


REBUILD_SECONDS = 30
#: Never looked up: not pages, or never cached.
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/preview/", "/audience/")
#: Response headers never stored.
_NOT_STORED = {"set-cookie", "date", "x-page-cache"}


@dataclass(frozen=True, slots=True)
class Entry:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    tags: tuple[str, ...]
    versions: tuple[str, ...]
    day: str  # the site's date the page was made on
    tz: str  # the site's time zone then
    expires: float  # time.time() after which it is not used
    holes: tuple[str, ...] = ()  # its live blocks (`live_block`), by key


#: The entries this process read or wrote last, by path: a hit then reads no
#: page from the cache, only the tags' versions (which any other process
#: bumps), so a copy here is never used once outdated.
MEMO_SIZE = 256
_memo: OrderedDict[str, Entry] = OrderedDict()
_memo_lock = threading.Lock()


def _remember(path: str, entry: Entry) -> None:
    with _memo_lock:
        _memo[path] = entry
        _memo.move_to_end(path)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


def forget() -> None:
    """Empty this process's copies (tests)."""
    with _memo_lock:
        _memo.clear()
    _blocks.clear()


def _hash(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()[:32]


#: Part of every entry's key: change it with Entry's fields, so that a new
#: version of the code never reads an entry an older one wrote.
ENTRY_FORMAT = 3


def _entry_key(path: str) -> str:
    return f"pc:page{ENTRY_FORMAT}:{_hash(path)}"


def lock_key(path: str) -> str:
    """Held while one request rebuilds the page of `path`."""
    return f"pc:lock:{_hash(path)}"


def _tag_key(tag: str) -> str:
    return f"pc:tag:{tag}"


def _token() -> str:
    return secrets.token_hex(6)


def _tag_file(folder: str, tag: str) -> str:
    return os.path.join(folder, hashlib.sha256(tag.encode()).hexdigest()[:24])


def _write_token(path: str) -> str:
    """A new version in a tag's file: written aside, then renamed over it, so
    a reader sees the old token or the new one, never a part."""
    token = _token()
    partial = f"{path}.{secrets.token_hex(4)}.tmp"
    try:
        with open(partial, "w") as handle:
            handle.write(token)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(partial)  # no half-written file left on a full disk
        raise
    return token


def _bump_file(folder: str, tag: str) -> str:
    """A new version for `tag` in the file of its own. With no room to write
    it, the old one is removed instead: no stored page matches a missing
    version (each read then makes one of its own, unsaved: the pages that
    carry the tag are rebuilt at every request until the disk has room)."""
    path = _tag_file(folder, tag)
    try:
        os.makedirs(folder, exist_ok=True)
        return _write_token(path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        _warn_full(folder)
        return _token()


_warned_at = 0.0


def _warn_full(folder: str) -> None:
    global _warned_at
    if time.monotonic() - _warned_at > 60:  # at most once a minute
        _warned_at = time.monotonic()
        log.warning("page cache: cannot write tag versions in %s", folder)


def _read_file_versions(folder: str, tags: list[str]) -> list[str]:
    found = []
    for name in tags:
        path = _tag_file(folder, name)
        try:  # os.open and os.read: a third of what open() costs
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            try:
                os.makedirs(folder, exist_ok=True)
                found.append(_write_token(path))
            except OSError:  # disk full: a version no stored page can match
                found.append(_token())
            continue
        try:
            found.append(os.read(fd, 64).decode())
        finally:
            os.close(fd)
    return found


#: The versions read during the request being answered (set by the
#: middleware): a page and its fragments see one set of versions, read once.
_seen: ContextVar[dict[str, str] | None] = ContextVar("page_cache_seen", default=None)


def versions(tags: Iterable[str]) -> tuple[str, ...]:
    """The current version of each tag. A tag never seen, or lost, gets a new
    random version: a page made before can never match it. With the embedded
    file cache the versions are small files of their own
    (PAGE_CACHE_TAGS_DIR: a read is an open and a read, a tenth of a cache
    lookup, and they are never culled); otherwise one round trip to the
    cache. Inside a request each tag is read once (the page's fragments ask
    for the page's tags again: with Redis, a round trip each)."""
    names = list(tags)
    seen = _seen.get()
    if seen is None:
        return _read_versions(names)
    missing = [name for name in names if name not in seen]
    if missing:
        seen.update(zip(missing, _read_versions(missing), strict=True))
    return tuple(seen[name] for name in names)


def _read_versions(names: list[str]) -> tuple[str, ...]:
    folder = settings.PAGE_CACHE_TAGS_DIR
    if folder:
        return tuple(_read_file_versions(str(folder), names))
    keys = [_tag_key(name) for name in names]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _token(), None)
        found.update(cache.get_many(missing))
    # Still missing: the cache is unreachable. A version made up here matches
    # nothing stored, and nothing stored with it is ever matched again (an
    # empty one matched the pages made during the last outage).
    return tuple(str(found[key]) if key in found else _token() for key in keys)


#: Tags whose versions the request's first round trip to the cache reads
#: (core.middleware.PREFETCHED): every page carries SITE and LIVE; FRONT is
#: the home page's. With Redis that saves the home page a round trip.
PREFETCHED_TAGS = (SITE, LIVE, FRONT)


def prefetch_keys() -> list[str]:
    """The cache keys of PREFETCHED_TAGS, when the versions live in the cache
    (not in PAGE_CACHE_TAGS_DIR's files)."""
    if settings.PAGE_CACHE_TAGS_DIR:
        return []
    return [_tag_key(tag) for tag in PREFETCHED_TAGS]


def prefetched(found: dict[str, Any]) -> None:
    """Keep the versions a request's prefetch read (see `prefetch_keys`), so
    that `versions` does not read them again inside this request."""
    seen = _seen.get()
    if seen is None:
        return
    for tag in PREFETCHED_TAGS:
        value = found.get(_tag_key(tag))
        if value is not None:
            seen.setdefault(tag, str(value))


def version(tag: str) -> str:
    """One tag's version, for caches of other things that follow it."""
    return versions([tag])[0]


def invalidate(*tags: str, **_signal: Any) -> None:
    """Pages carrying any of these tags are rebuilt at their next request."""
    folder = settings.PAGE_CACHE_TAGS_DIR
    new: dict[str, str] = {}
    if folder:
        for name in set(tags):
            new[name] = _bump_file(str(folder), name)
    elif tags:
        new = {name: _token() for name in set(tags)}
        cache.set_many({_tag_key(name): token for name, token in new.items()}, None)
    seen = _seen.get()
    if seen is not None:
        seen.update(new)  # this request's next read sees its own change


def invalidate_on_commit(*tags: str) -> None:
    """Invalidate now, and again once the current transaction commits: now,
    so that this request's own next read sees the change; after the commit,
    so that no copy made by another request from the data before the
    commit outlives it."""
    invalidate(*tags)
    transaction.on_commit(lambda: invalidate(*tags))


def invalidate_site(**_signal: Any) -> None:
    """Every page is rebuilt at its next request (a signal receiver)."""
    invalidate(SITE)


def tag_page(request: HttpRequest, *tags: str) -> None:
    """Mark the page being made as cacheable, carrying these tags. Call it
    before the view reads what the page shows: the tags' versions are read
    now, so an edit that lands while the page is made leaves the copy
    outdated (rebuilt at the next request), never current."""
    found: dict[str, str] = getattr(request, "page_cache_tags", {})
    new = [t for t in (SITE, *tags) if t not in found]
    if not hasattr(request, "page_cache_live"):
        new.append(LIVE)  # the version its live blocks, if any, are made for
    current = dict(zip(new, versions(new), strict=True))
    if LIVE in current:
        request.page_cache_live = current.pop(LIVE)  # type: ignore[attr-defined]
    found.update(current)
    request.page_cache_tags = found  # type: ignore[attr-defined]
    # The day the page is for: the site's, active while the view runs.
    request.page_cache_tz = timezone.get_current_timezone_name()  # type: ignore[attr-defined]


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _today(tz: str) -> str:
    return dt.datetime.now(_zone(tz)).date().isoformat()


#: The live blocks' HTML this process read, by key and version: a version's
#: HTML never changes, so it is read from the cache once.
_blocks: dict[str, bytes] = {}


def _keep_blocks(found: dict[str, bytes]) -> None:
    if len(_blocks) > 64:  # old versions: never asked for again
        _blocks.clear()
    _blocks.update(found)


def live_block_marker(key: str, html: str) -> str:
    """`html` marked as the live block `key` (letters, digits, ., _, -)."""
    return f"<!--pc:{key}-->{html}<!--/pc:{key}-->"


def _fragment_key(key: str, live: str) -> str:
    return f"pc:block:{live}:{key}"


def _current(entry: Entry) -> bytes | None:
    """The page to send for a stored copy, or None when it is outdated: a tag
    changed, the day turned, or a live block's current HTML is missing."""
    if entry.expires <= time.time() or entry.day != _today(entry.tz):
        return None
    names = entry.tags + ((LIVE,) if entry.holes else ())
    found = versions(names)
    if found[: len(entry.tags)] != entry.versions:
        return None
    if not entry.holes:
        return entry.content
    keys = {key: _fragment_key(key, found[-1]) for key in entry.holes}
    blocks = {k: _blocks[k] for k in keys.values() if k in _blocks}
    if len(blocks) != len(keys):
        blocks.update(cache.get_many([k for k in keys.values() if k not in blocks]))
        if len(blocks) != len(keys):
            return None  # the rankings changed: one rebuild makes the new blocks
        _keep_blocks(blocks)

    content = entry.content
    for key, cache_key in keys.items():  # str.find, not the regex: 5x faster
        opening, closing = f"<!--pc:{key}-->".encode(), f"<!--/pc:{key}-->".encode()
        start = content.find(opening)
        end = content.find(closing, start)
        if start < 0 or end < 0:
            return None
        start += len(opening)
        content = content[:start] + blocks[cache_key] + content[end:]
    return content


def lookup(path: str) -> tuple[Entry | None, bytes | None]:
    """The stored page of `path`, and what to send if it is current."""
    with _memo_lock:
        entry = _memo.get(path)
    if entry is not None and (content := _current(entry)) is not None:
        return entry, content
    entry = cache.get(_entry_key(path))
    if not isinstance(entry, Entry):
        return None, None
    content = _current(entry)
    if content is not None:
        _remember(path, entry)
    return entry, content


def cacheable(method: str, path: str, query: str, cookies: Iterable[str]) -> bool:
    """Whether a request may be answered from the page cache."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and method in ("GET", "HEAD")
        and not query
        and not path.startswith(SKIP_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in cookies
    )


def _personal(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _respond(entry: Entry, content: bytes, state: str) -> HttpResponse:
    response = HttpResponse(content)
    for name, value in entry.headers:
        response[name] = value
    response["X-Page-Cache"] = state
    return response


def proxy_headers(response: HttpResponseBase, tags: Iterable[str]) -> None:
    """What a reverse proxy or CDN needs to keep the page: a short shared
    lifetime; the copy served while one request refreshes it, for as long
    again at most (so an edit shows within twice PROXY_CACHE_SECONDS plus a
    refresh), and for a day when the site answers with an error; and the tags
    (Surrogate-Key, space-separated, as Fastly and others read it)."""
    seconds = settings.PROXY_CACHE_SECONDS
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={seconds}, "
        f"stale-while-revalidate={seconds}, stale-if-error=86400"
    )
    response["Surrogate-Key"] = " ".join(sorted(tags))


class PageCacheMiddleware:
    """Outermost middleware: answer anonymous readers from the page cache, and
    store the pages views tagged (`tag_page`), with every header the inner
    middleware added."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _seen.set({})
        try:
            return self._answer(request)
        finally:
            _seen.reset(token)

    def _answer(self, request: HttpRequest) -> HttpResponseBase:
        query = request.META.get("QUERY_STRING", "")
        if not cacheable(request.method or "", request.path, query, request.COOKIES):
            return self._uncached(request)
        entry, content = lookup(request.path)
        if entry is not None and content is not None:
            return _respond(entry, content, "hit")
        lock = lock_key(request.path)
        if entry is not None and not cache.add(lock, 1, REBUILD_SECONDS):
            # Another request is rebuilding it: the copy as it was made.
            return _respond(entry, entry.content, "stale")
        if entry is None:
            cache.add(lock, 1, REBUILD_SECONDS)
        try:
            response = self.get_response(request)
            self._store(request, response)
        finally:
            cache.delete(lock)
        return response

    def _uncached(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        tags = getattr(request, "page_cache_tags", None)
        if not tags or request.method not in ("GET", "HEAD"):
            return response
        shared = (
            settings.PAGE_CACHE_SECONDS > 0
            and response.status_code == 200
            and not request.META.get("QUERY_STRING")
            and not _personal(request)
            and not response.cookies
        )
        if shared:
            proxy_headers(response, tags)
        else:  # staff, a cookie, or a query string (?unapproved=: one's comment)
            response["Cache-Control"] = "private, no-cache"
        return response

    def _store(self, request: HttpRequest, response: HttpResponseBase) -> None:
        tags = getattr(request, "page_cache_tags", None)
        if not tags:
            return
        if response.status_code != 200 or response.cookies or response.streaming:
            # A page that is gone (unpublished) must not live on as a copy.
            cache.delete(_entry_key(request.path))
            with _memo_lock:
                _memo.pop(request.path, None)
            return
        all_tags = tuple(sorted(tags))
        proxy_headers(response, all_tags)
        assert isinstance(response, HttpResponse)  # not streaming
        tz = getattr(request, "page_cache_tz", None) or settings.TIME_ZONE
        seconds = getattr(request, "page_cache_seconds", settings.PAGE_CACHE_SECONDS)
        blocks = {m[1].decode(): m[2] for m in HOLE.finditer(response.content)}
        if blocks:
            live = request.page_cache_live  # type: ignore[attr-defined]
            cache.set_many(
                {_fragment_key(k, live): html for k, html in blocks.items()}, seconds
            )
        entry = Entry(
            content=response.content,
            headers=tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in _NOT_STORED
            ),
            tags=all_tags,
            versions=tuple(tags[t] for t in all_tags),
            day=_today(tz),
            tz=tz,
            expires=time.time() + seconds,
            holes=tuple(blocks),
        )
        _remember(request.path, entry)
        cache.set(_entry_key(request.path), entry, seconds)
        response["X-Page-Cache"] = "miss"


# -- The fast lane ------------------------------------------------------------

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


View = Callable[..., HttpResponseBase]


def cached_page(
    tags: Callable[..., Iterable[str]], *, seconds: str = "PAGE_CACHE_SECONDS"
) -> Callable[[View], View]:
    """Decorate a view whose page anonymous readers may get from the cache:
    `tags(**url_kwargs)` names what it shows (tagged before the view runs);
    the copy is kept as long as the setting `seconds` names, at most."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            tag_page(request, *tags(**kwargs))
            keep = int(getattr(settings, seconds))
            request.page_cache_seconds = keep  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _cookie_names(scope: Scope) -> list[str]:
    names = []
    for header, value in scope.get("headers", ()):
        if header == b"cookie":
            names += [
                part.split(b"=", 1)[0].strip().decode("latin-1")
                for part in value.split(b";")
            ]
    return names


def current_entry(scope: Scope) -> tuple[Entry, bytes] | None:
    """The current stored page for an ASGI request, and its content, if it
    may have one."""
    query = scope.get("query_string", b"").decode("latin-1")
    method, path = scope["method"], scope["path"]
    if not cacheable(method, path, query, _cookie_names(scope)):
        return None
    entry, content = lookup(path)
    return None if entry is None or content is None else (entry, content)


def with_page_cache(app: ASGIApp) -> ASGIApp:
    """ASGI: answer a current page-cache hit on the event loop, without a
    thread hand-off or Django's request cycle; anything else goes to `app`.
    For a cache on the local disk (the embedded mode's file cache): with a
    cache across the network (Redis) every lookup would stop the loop for a
    round trip, and Django's own lookup (PageCacheMiddleware) serves."""

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            found = current_entry(scope) if scope["type"] == "http" else None
        except Exception:  # noqa: BLE001 - a cache fault: Django answers instead
            log.warning("page cache lookup failed", exc_info=True)
            found = None
        if found is None:
            return await app(scope, receive, send)
        entry, content = found
        headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in entry.headers
            if name.lower() != "content-length"
        ]
        headers += [
            (b"content-length", str(len(content)).encode()),
            (b"x-page-cache", b"hit"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        body = b"" if scope["method"] == "HEAD" else content
        await send({"type": "http.response.body", "body": body})
        return None

    return application
