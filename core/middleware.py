from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone

from core.models import SiteSettings
from lib import pagecache, singleton

#: Shared-cache keys read together, in one round trip, at the start of every
#: request (`request.prefetched`): the site's settings, the page cache's common
#: tag versions (`lib.pagecache.prefetch_keys`), and what other apps add
#: in their AppConfig.ready() (articles: the header's sections; search: the
#: filter lists). A round trip to the cache costs about half a millisecond
#: inside a request on the benchmark machine; reading these one by one cost one
#: each.
PREFETCHED: list[str] = [SiteSettings.cache_key]


class SiteTimezoneMiddleware:
    """Show every date in the newsroom's time zone from its settings, read
    with the other values most pages need (`PREFETCHED`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = cache.get_many([*PREFETCHED, *pagecache.prefetch_keys()])
        pagecache.prefetched(found)
        with singleton.request_scope(found):
            site = SiteSettings.load()
            request.site_settings = site  # type: ignore[attr-defined]
            request.prefetched = found  # type: ignore[attr-defined]
            with timezone.override(site.tzinfo):
                return self.get_response(request)


def site_settings(request: HttpRequest) -> SiteSettings:
    """The site's settings SiteTimezoneMiddleware put on the request."""
    site: SiteSettings = request.site_settings  # type: ignore[attr-defined]
    return site


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy
    (PERMISSIONS_POLICY). Inside the page cache, so stored pages carry it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.permissions_policy: str = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
