"""A fast lane for the read beacon in front of Django.

Beacons are the most frequent request of the site (one per page view, also for
pages served from the page cache), and they need nothing of Django's request
cycle: no session, no template, no URL routing. This WSGI wrapper answers
``POST /audience/read/`` itself with the same rules as the Django view
(``audience.services.accept_read``). A request that carries a session cookie
goes through Django, because only there can we tell whether it is staff.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import close_old_connections

from audience import services

log = logging.getLogger(__name__)
STATUS = {
    204: "204 No Content",
    400: "400 Bad Request",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    413: "413 Content Too Large",
    429: "429 Too Many Requests",
    503: "503 Service Unavailable",
}
HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Robots-Tag", "noindex"),
]
PATH = "/audience/read/"


def _status(environ: dict) -> int:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400
    if length > services.MAX_BODY:
        return 413
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    try:
        article_id = services.parse_article_id(body)
        services.accept_read(environ, article_id, staff=False)
    except services.Refused as refused:
        return refused.status
    return 204


def with_beacon(application):
    """Wrap the Django WSGI application with the beacon's fast lane."""
    cookie = f"{settings.SESSION_COOKIE_NAME}="

    def app(environ, start_response):
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") != "POST"
            or cookie in environ.get("HTTP_COOKIE", "")
        ):
            return application(environ, start_response)
        try:
            status = _status(environ)
        except Exception:  # noqa: BLE001 - the reader gets a bare 503, we get the log
            log.exception("read beacon failed")
            close_old_connections()
            status = 503
        start_response(STATUS[status], [*HEADERS, ("Content-Length", "0")])
        return [b""]

    return app
