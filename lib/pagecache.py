"""A full-page cache for what anonymous readers see.

Keys carry a content generation, bumped whenever published content or the site
settings change, and the site's current date, so an edit shows at once and the
date bar turns over at midnight. Requests with a query string, a session or a
login skip the cache.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

GENERATION_KEY = "pagecache:generation"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, None)
    return value


def bump_generation(**kwargs) -> None:
    """Invalidate every cached page (a signal receiver)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    return f"pagecache:{generation()}:{timezone.localdate().isoformat()}:{path}"


def cache_page_for_readers(view):
    """Serve `view` from the page cache when the reader is anonymous."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies:
                return response
            if hasattr(response, "render"):
                response.render()
            cache.set(
                key,
                (response.content, response["Content-Type"]),
                settings.PAGE_CACHE_SECONDS,
            )
            response["X-Page-Cache"] = "miss"
        # Browsers revalidate (a reader must see their own approved comment);
        # shared caches (a CDN) may keep the page for a minute.
        patch_cache_control(response, public=True, max_age=0, s_maxage=60)
        return response

    return wrapper
