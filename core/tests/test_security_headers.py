"""The site's shield: production settings Django's deploy checks accept, the
security headers on every page (also on page-cache hits, in Django and in the
ASGI fast lane), HTTPS redirect and HSTS, security.txt, and the endpoint that
receives Content-Security-Policy reports."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from core.tests.test_commands import ROOT
from lib import pagecache
from lib.testing import PUBLIC_URL

PERMISSIONS_OFF = [
    "camera=()",
    "microphone=()",
    "geolocation=()",
    "payment=()",
    "usb=()",
    "browsing-topics=()",
]


def _production_env(tmp_path, **extra: str) -> dict[str, str]:
    """The production settings of README's table, on a scratch folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "DJANGO_")) and key != "DEBUG"
    }
    env.update(
        DEBUG="false",
        SITE_URL=PUBLIC_URL,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.org",
        CSRF_TRUSTED_ORIGINS=PUBLIC_URL,
        BEHIND_TLS_PROXY="true",
        TRUSTED_PROXY_COUNT="1",
        SERVE_MEDIA="false",
        NEWSHUB_VAR_DIR=str(tmp_path / "var"),
    )
    env.pop("DATABASE_URL", None)
    env.update(extra)
    (tmp_path / "var").mkdir(exist_ok=True)
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_documented_production_settings_pass_the_deploy_checks(tmp_path):
    result = _check_deploy(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_checks_catch_a_redirect_loop_without_the_proxy_header(tmp_path):
    """An https site not told to trust the TLS proxy would redirect every
    request to https forever."""
    result = _check_deploy(_production_env(tmp_path, BEHIND_TLS_PROXY="false"))
    assert result.returncode != 0
    assert "core.W001" in result.stderr + result.stdout


def _shield(response) -> None:
    """The headers every page carries."""
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    for feature in PERMISSIONS_OFF:
        assert feature in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_reader_pages_carry_the_security_headers_also_from_the_page_cache(
    client, site_settings, published_article
):
    for url in (
        "/",
        published_article.get_absolute_url(),
        published_article.category.get_absolute_url(),
        "/feed/",
    ):
        first = client.get(url)
        assert first["X-Page-Cache"] == "miss", url
        _shield(first)
        again = client.get(url)
        assert again["X-Page-Cache"] == "hit", url
        _shield(again)
    for url in ("/search/?s=anything", "/no/such/page/", "/subscribe/"):
        _shield(client.get(url))


@pytest.mark.django_db(transaction=True)
def test_the_fast_lane_answers_with_the_security_headers(
    site_settings, published_article
):
    from django.core.handlers.wsgi import WSGIHandler

    from lib.testing import asgi_request
    from lib.threadedwsgi import ThreadedWSGI

    url = published_article.get_absolute_url()
    Client().get(url)  # stored
    passed: list[str] = []

    def django(environ, start_response):
        passed.append(environ["PATH_INFO"])
        return WSGIHandler()(environ, start_response)

    app = pagecache.with_page_cache(ThreadedWSGI(django, workers=1))
    [start, *_body] = asgi_request(app, path=url)
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert (headers["x-page-cache"], passed) == ("hit", [])
    assert "browsing-topics=()" in headers["permissions-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


@pytest.fixture
def https_site(settings, site_settings):
    """What the production settings turn on for an https SITE_URL."""
    settings.SITE_URL = PUBLIC_URL
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["news.example.org", "127.0.0.1"]
    return site_settings


@pytest.mark.django_db
def test_plain_http_is_sent_to_https_but_health_checks_are_answered(https_site):
    client = Client(HTTP_HOST="news.example.org")
    response = client.get("/tag/x/?a=1")
    assert response.status_code == 301
    assert response["Location"] == "https://news.example.org/tag/x/?a=1"
    health = Client(HTTP_HOST="127.0.0.1").get("/healthz/")
    assert (health.status_code, health.content) == (200, b"ok")


@pytest.mark.django_db
def test_https_pages_tell_browsers_to_stay_on_https_also_from_the_cache(
    https_site, published_article
):
    client = Client(HTTP_HOST="news.example.org", HTTP_X_FORWARDED_PROTO="https")
    url = published_article.get_absolute_url()
    first, again = client.get(url), client.get(url)
    assert (first.status_code, again["X-Page-Cache"]) == (200, "hit")
    for response in (first, again):
        assert response["Strict-Transport-Security"] == "max-age=31536000"
    # Subdomains and preloading only when the operator opts in.
    assert "includeSubDomains" not in first["Strict-Transport-Security"]


# -- security.txt ---------------------------------------------------------------


@pytest.mark.django_db
def test_security_txt_says_whom_to_tell_until_when(client, settings):
    settings.SITE_URL = PUBLIC_URL
    settings.SECURITY_CONTACT = "security@news.example.org"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(
        line.split(": ", 1) for line in response.content.decode().splitlines()
    )
    assert fields["Contact"] == "mailto:security@news.example.org"
    assert fields["Canonical"] == f"{PUBLIC_URL}/.well-known/security.txt"
    assert fields["Preferred-Languages"] == "en"
    expires = dt.datetime.fromisoformat(fields["Expires"])
    now = dt.datetime.now(dt.UTC)
    # RFC 9116: in the future, and less than a year away.
    assert now + dt.timedelta(days=30) < expires < now + dt.timedelta(days=365)
    _shield(response)


@pytest.mark.django_db
def test_security_txt_takes_a_contact_address_as_given(client, settings):
    settings.SECURITY_CONTACT = "https://news.example.org/report-a-bug/"
    text = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: https://news.example.org/report-a-bug/\n" in text
    assert client.post("/.well-known/security.txt").status_code == 405


# -- CSP reports ----------------------------------------------------------------

REPORT = {
    "csp-report": {
        "document-uri": "https://news.example.org/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "source-file": "https://news.example.org/",
        "line-number": 12,
    }
}


@pytest.fixture
def csp_log(caplog):
    caplog.set_level("WARNING", logger="newshub.csp")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "newshub.csp"]


@pytest.mark.django_db
def test_a_browsers_csp_report_is_logged(client, csp_log):
    response = client.post(
        "/csp-report/", json.dumps(REPORT), content_type="application/csp-report"
    )
    assert response.status_code == 204
    [line] = csp_log()
    assert "script-src-elem" in line and "inline" in line
    assert "https://news.example.org/" in line


@pytest.mark.django_db
def test_reports_of_the_reporting_api_are_logged_too(client, csp_log):
    body = [
        {"type": "csp-violation", "body": {"documentURL": "https://x.test/a/",
         "effectiveDirective": "style-src-attr", "blockedURL": "inline"}},
        {"type": "deprecation", "body": {"id": "x"}},
    ]  # fmt: skip
    response = client.post(
        "/csp-report/", json.dumps(body), content_type="application/reports+json"
    )
    assert response.status_code == 204
    [line] = csp_log()
    assert "style-src-attr" in line


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"\xff\xfe", b"[" * 15_000, b'{"csp-report": 3}', b"[1, 2]"],
    ids=["empty", "text", "not-utf8", "nested", "no-fields", "list"],
)
def test_a_malformed_report_is_refused_without_an_error(client, csp_log, body):
    response = client.post("/csp-report/", body, content_type="application/json")
    assert response.status_code == 400
    assert csp_log() == []


@pytest.mark.django_db
def test_an_oversized_report_is_refused_unread(client, csp_log):
    big = {"csp-report": {**REPORT["csp-report"], "x": "a" * 20_000}}
    response = client.post(
        "/csp-report/", json.dumps(big), content_type="application/json"
    )
    assert response.status_code == 413
    assert csp_log() == []
    assert client.get("/csp-report/").status_code == 405


@pytest.mark.django_db
def test_a_flood_of_reports_is_logged_a_few_times_a_minute(client, csp_log, settings):
    settings.CSP_REPORTS_PER_MINUTE = 3
    for _ in range(10):
        response = client.post(
            "/csp-report/", json.dumps(REPORT), content_type="application/csp-report"
        )
        assert response.status_code == 204
    assert len(csp_log()) == 3
