from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from core.context_processors import NAV_CACHE_KEY
from core.models import SiteSettings

#: Shared-cache keys read together, in one round trip, at the start of every
#: request (`request.prefetched`): the site's settings, the header's sections,
#: and what other apps add in their AppConfig.ready() (search: the filter
#: lists). A round trip to the cache costs about half a millisecond inside a
#: request on the benchmark machine; reading these one by one cost one each.
PREFETCHED: list[str] = [SiteSettings.cache_key, NAV_CACHE_KEY]


class SiteTimezoneMiddleware:
    """Show every date in the newsroom's time zone from its settings, read
    with the other values most pages need (`PREFETCHED`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = cache.get_many(PREFETCHED)
        site = found.get(SiteSettings.cache_key) or SiteSettings.load()
        request.site_settings = site
        request.prefetched = found
        with timezone.override(site.tzinfo):
            return self.get_response(request)
