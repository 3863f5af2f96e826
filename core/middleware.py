from __future__ import annotations

from django.utils import timezone

from core.models import SiteSettings


class SiteTimezoneMiddleware:
    """Show every date in the newsroom's time zone from its settings."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = SiteSettings.load()
        request.site_settings = site
        with timezone.override(site.tzinfo):
            return self.get_response(request)
