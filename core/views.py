from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
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
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.static import serve

from core.models import SiteSettings
from lib import ratelimit

csp_log = logging.getLogger("newshub.csp")


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


#: Seconds a reader is asked to wait when a part of the site is down (503).
RETRY_AFTER_SECONDS = 30


def _part_unavailable(error: BaseException | None) -> bool:
    """The error says a part the site needs is down or full, not that the code
    is wrong: the database does not answer (or, SQLite, is locked or its disk
    full), or the cache does not (Redis when its errors are not ignored)."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    try:
        from redis.exceptions import ConnectionError as RedisDown
        from redis.exceptions import TimeoutError as RedisTimeout
    except ImportError:  # pragma: no cover - redis is a dependency
        return False
    return isinstance(error, (RedisDown, RedisTimeout))


def server_error(request: HttpRequest) -> HttpResponse:
    """Render without the database or context processors: they may be what broke.
    A part that is down (docs/operations.md, "When parts fail") gets the branded
    503 that asks to try again; after a form, it says nothing was saved (a
    failed write is rolled back whole)."""
    error = sys.exc_info()[1]  # what Django is handling
    try:
        site_name = SiteSettings.load().site_name
    except Exception:  # noqa: BLE001 - the error page must always render
        site_name = "Newshub"
    if _part_unavailable(error):
        context = {"site_name": site_name, "not_saved": request.method == "POST"}
        html = loader.render_to_string("503.html", context)
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
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


def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: whom to tell about a vulnerability (SECURITY_CONTACT). The
    file is made at each request, so it expires only if the site stops."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    contact = settings.SECURITY_CONTACT.strip()
    if "@" in contact and ":" not in contact:
        contact = f"mailto:{contact}"
    expires = dt.datetime.now(dt.UTC).replace(
        hour=0, minute=0, second=0, microsecond=0
    ) + dt.timedelta(days=180)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"Canonical: {settings.SITE_URL}{reverse('core:security_txt')}",
        f"Preferred-Languages: {settings.LANGUAGE_CODE.split('-')[0]}",
    ]
    response = HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )
    patch_cache_control(response, public=True, max_age=86400)
    return response


#: The largest CSP report read; browsers send one violation, well under 4 KB.
CSP_REPORT_MAX_BYTES = 16 * 1024
#: The fields of a violation worth logging, in both formats: report-uri's
#: (application/csp-report) and the Reporting API's (application/reports+json).
_CSP_FIELDS = {
    "document-uri": "document", "documentURL": "document",
    "effective-directive": "directive", "effectiveDirective": "directive",
    "violated-directive": "directive",
    "blocked-uri": "blocked", "blockedURL": "blocked",
    "source-file": "source", "sourceFile": "source",
    "line-number": "line", "lineNumber": "line",
    "script-sample": "sample", "sample": "sample",
}  # fmt: skip


def _csp_violations(payload: object) -> list[dict[str, str]]:
    """The violations in a parsed report body, each reduced to short strings."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        raw: list[Any] = [payload["csp-report"]]
    elif isinstance(payload, list):
        raw = [
            item.get("body")
            for item in payload[:20]
            if isinstance(item, dict) and item.get("type") == "csp-violation"
        ]
    else:
        raw = []
    found = []
    for report in raw:
        if not isinstance(report, dict):
            continue
        fields = {
            name: str(report[key])[:200]
            for key, name in _CSP_FIELDS.items()
            if report.get(key) not in (None, "")
        }
        if fields:
            found.append(fields)
    return found


@csrf_exempt
@never_cache
def csp_report(request: HttpRequest) -> HttpResponse:
    """Where browsers post what the Content-Security-Policy blocked (its
    report-uri). Logged as warnings, CSP_REPORTS_PER_MINUTE at most for the
    whole site, so a flood of reports cannot fill the logs."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if length > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    body = request.read(CSP_REPORT_MAX_BYTES + 1)
    if len(body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        violations = _csp_violations(json.loads(body))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep
        return HttpResponse(status=400)
    if not violations:
        return HttpResponse(status=400)
    for violation in violations:
        limit = settings.CSP_REPORTS_PER_MINUTE
        if ratelimit.allow("csp-report", "site", limit=limit, window=60):
            csp_log.warning("Content-Security-Policy violation: %s", violation)
    return HttpResponse(status=204)
