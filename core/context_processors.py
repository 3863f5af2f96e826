from __future__ import annotations

from django.core.cache import cache

from articles.models import Category

NAV_CACHE_KEY = "core:nav-categories:v1"


def site(request):
    """Site settings and the main sections, for the header and footer."""
    nav = cache.get(NAV_CACHE_KEY)
    if nav is None:
        nav = [
            {"name": c.name, "url": c.get_absolute_url()}
            for c in Category.objects.filter(parent__isnull=True)
        ]
        cache.set(NAV_CACHE_KEY, nav, 600)
    return {"site": getattr(request, "site_settings", None), "nav_sections": nav}
