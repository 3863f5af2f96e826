"""The read beacon: one small request per article page view, sent by
static/js/audience.js (or the <noscript> image). It always answers fast and
never with a page: 204 when accepted or deliberately not counted, 4xx when the
input is wrong."""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from audience import services

# A transparent 1x1 GIF for the <noscript> image.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _count(request: HttpRequest, article_id: int) -> int:
    try:
        services.accept_read(
            request.META, article_id, staff=services.is_staff_reader(request)
        )
    except services.Refused as refused:
        return refused.status
    return 204


def _reply(status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # cached pages carry no token; a forged read is just one more read
@never_cache
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    """POST /audience/read/ with body ``id=<article id>``."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _reply(400)
    if length > services.MAX_BODY:
        return _reply(413)
    try:
        article_id = services.parse_article_id(request.read(services.MAX_BODY + 1))
    except services.Refused as refused:
        return _reply(refused.status)
    return _reply(_count(request, article_id))


@never_cache
@require_GET
def pixel(request: HttpRequest, article_id: int) -> HttpResponse:
    """GET /audience/read/<id>.gif: the same, for readers without JavaScript."""
    status = _count(request, article_id) if article_id < 2**63 else 404
    if status != 204:
        return _reply(status)
    return HttpResponse(PIXEL, content_type="image/gif")
