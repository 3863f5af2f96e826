"""The beacon's fast lane in front of Django applies the same rules."""

from __future__ import annotations

import pytest
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import RequestFactory

from audience import services
from audience.models import DailyReads
from audience.tests.conftest import CHROME
from audience.wsgi import with_beacon

pytestmark = pytest.mark.django_db


def call(body: str | bytes, *, method="post", ua=CHROME, **extra) -> tuple[str, bytes]:
    request = getattr(RequestFactory(), method)(
        "/audience/read/",
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_USER_AGENT=ua,
        **extra,
    )
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    app = with_beacon(get_wsgi_application())
    # As Django's test client does: the test's connection must stay open.
    request_started.disconnect(close_old_connections)
    try:
        content = b"".join(app(request.environ, start_response))
    finally:
        request_started.connect(close_old_connections)
    return seen["status"], content


def test_the_fast_lane_counts_a_read(published_article):
    status, content = call(f"id={published_article.pk}")
    assert status == "204 No Content" and content == b""
    services.flush_reads()
    assert DailyReads.objects.total() == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("id=abc", "400 Bad Request"),
        ("id=" + "7" * 500, "413 Content Too Large"),
        ("id=987654321", "404 Not Found"),
    ],
)
def test_the_fast_lane_refuses_bad_input(published_article, body, status):
    assert call(body)[0] == status
    services.flush_reads()
    assert not DailyReads.objects.exists()


def test_bots_in_the_fast_lane_get_204_and_are_not_counted(published_article):
    assert call(f"id={published_article.pk}", ua="Googlebot/2.1")[0] == "204 No Content"
    services.flush_reads()
    assert not DailyReads.objects.exists()


def test_requests_with_a_session_go_through_django(published_article, client, editor):
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    status, _ = call(f"id={published_article.pk}", HTTP_COOKIE=f"sessionid={session}")
    assert status.startswith("204")
    services.flush_reads()
    assert not DailyReads.objects.exists()  # staff, recognised by Django
