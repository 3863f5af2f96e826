from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.models import Category
from lib import pagecache
from lib.urls import cached_reverse

NAV_CACHE_KEY = "core:nav-categories:v1"


def site(request):
    """Site settings and the main sections, for the header and footer, and the
    key under which base.html keeps those rendered (`chrome_key`)."""
    nav = cache.get(NAV_CACHE_KEY)
    if nav is None:
        nav = [
            {"name": c.name, "url": c.get_absolute_url()}
            for c in Category.objects.filter(parent__isnull=True)
        ]
        cache.set(NAV_CACHE_KEY, nav, 600)
    return {
        "site": getattr(request, "site_settings", None),
        "nav_sections": nav,
        "chrome_key": SimpleLazyObject(lambda: _chrome_key(request.path, nav)),
    }


def _chrome_key(path: str, nav: list[dict]) -> str:
    """What the date bar, header and footer depend on: the content generation
    (bumped when the site's settings, sections or content change), the day in
    the site's time zone, and the address only where it marks a menu entry as
    current (the home page, a main section): not one copy per article."""
    home = cached_reverse("articles:home")
    marked = path if path == home or any(s["url"] == path for s in nav) else "-"
    return f"{pagecache.generation()}:{timezone.localdate().isoformat()}:{marked}"
