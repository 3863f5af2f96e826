"""A full-page cache for what anonymous readers see.

Keys carry a content generation, bumped whenever published content or the site
settings change, and the site's current date, so an edit shows at once and the
date bar turns over at midnight. One page can be purged on its own (a new
comment). Requests with a query string or a session cookie skip the cache.

When a page must be rebuilt, one request rebuilds it while the others get the
last copy ("stale while revalidate"), so a busy page that keeps changing does
not make every reader render it at once.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

GENERATION_KEY = "pagecache:generation"
REBUILD_SECONDS = 30


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, None)
    return int(value)


def bump_generation(**kwargs: Any) -> None:
    """Invalidate every cached page (a signal receiver)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _path_hash(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()[:32]


def _key(path: str) -> str:
    day = timezone.localdate().isoformat()
    return f"pagecache:{generation()}:{day}:{_path_hash(path)}"


def purge(path: str) -> None:
    """Invalidate one page; readers get its last copy until it is rebuilt."""
    cache.delete(_key(path))


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _respond(entry: tuple[bytes, str], state: str) -> HttpResponse:
    content, content_type = entry
    response = HttpResponse(content, content_type=content_type)
    response["X-Page-Cache"] = state
    return response


View = Callable[..., HttpResponse]


def cache_page_for_readers(view: View) -> View:
    """Serve `view` from the page cache when the reader is anonymous."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request.path)
        last_key = f"pagecache:last:{_path_hash(request.path)}"
        lock_key = f"pagecache:lock:{key}"
        hit = cache.get(key)
        if hit is not None:
            response = _respond(hit, "hit")
        elif not cache.add(lock_key, 1, REBUILD_SECONDS) and (
            last := cache.get(last_key)
        ):
            response = _respond(last, "stale")  # another request is rebuilding
        else:
            try:
                response = view(request, *args, **kwargs)
            except Exception:
                # Http404 included: a page that is gone must not live on as a copy.
                cache.delete_many([lock_key, last_key])
                raise
            if response.status_code != 200 or response.cookies:
                # A page that is gone (unpublished) must not live on as a copy.
                cache.delete_many([lock_key, last_key])
                return response
            if hasattr(response, "render"):
                response.render()
            entry = (response.content, response["Content-Type"])
            cache.set_many({key: entry, last_key: entry}, settings.PAGE_CACHE_SECONDS)
            cache.delete(lock_key)
            response["X-Page-Cache"] = "miss"
        # Browsers revalidate (a reader must see their own approved comment);
        # shared caches (a CDN) may keep the page for a minute.
        patch_cache_control(response, public=True, max_age=0, s_maxage=60)
        return response

    return wrapper
