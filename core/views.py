from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.template import loader
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from core.models import SiteSettings


@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For the reverse proxy and monitoring: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def csrf_token(request: HttpRequest) -> JsonResponse:
    """Hand a CSRF token to forms on cached pages, which carry none."""
    return JsonResponse({"token": get_token(request)})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    html = loader.render_to_string("404.html", {"path": request.path}, request)
    return HttpResponse(html, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render without the database or context processors: they may be what broke."""
    try:
        site_name = SiteSettings.load().site_name
    except Exception:  # noqa: BLE001 - the error page must always render
        site_name = "Newshub"
    html = loader.render_to_string("500.html", {"site_name": site_name})
    return HttpResponse(html, status=500)


@require_GET
def media(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    """Serve uploads in the embedded mode; a reverse proxy does it in production."""
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid token (expired page, blocked cookies). Offer to
    send the same data again with a fresh token, so nothing typed is lost."""
    fields = [
        (key, value)
        for key, values in request.POST.lists()
        if key != "csrfmiddlewaretoken" and len(key) < 100
        for value in values[:10]
    ][:50]
    context = {"fields": fields, "action": request.path}
    html = loader.render_to_string("403_csrf.html", context, request)
    return HttpResponse(html, status=403)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl everything but the admin and editors' previews; name the sitemaps.
    Addresses come from SITE_URL, never from the request's Host header."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        f"Sitemap: {settings.SITE_URL}{reverse('news_sitemap')}",
    ]
    response = HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response
