"""The production layout's reverse proxy (deploy/nginx.conf, scripts/proxy.sh)
in front of the real server: what it caches, what it never caches, how soon
an edit shows through it, and what readers get when the web workers are down.
Debian's nginx, started on 127.0.0.1 by the repo's script (make test installs
it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from core.tests.test_commands import ROOT, _free_port

#: How soon an edit must show through the proxy (PROXY_CACHE_SECONDS is 4:
#: a copy is served 4 s, and 4 s more while a refresh runs).
SHOWS_WITHIN = 10


def _fetch(url: str, *, data: bytes | None = None, cookie: str = "") -> tuple:
    request = urllib.request.Request(url, data=data)
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Site:
    """`manage.py serve --no-worker` behind the proxy, on a scratch database."""

    def __init__(self, tmp: Path) -> None:
        self.env = {
            **os.environ,
            "NEWSHUB_VAR_DIR": str(tmp / "var"),
            "NEWSHUB_ADMIN_PASSWORD": "a-long-test-password",
            "TRUSTED_PROXY_COUNT": "1",
            "WEB_WORKERS": "1",
        }
        self.env.pop("DATABASE_URL", None)  # a scratch SQLite database
        redis = os.environ.get("REDIS_URL")
        if redis:  # the production cache (tier 2): its own Redis database
            self.env["REDIS_URL"] = redis.rsplit("/", 1)[0] + "/3"
            self.env["CACHE_KEY_PREFIX"] = f"proxy-test-{tmp.name}-{os.getpid()}"
        self.manage = [sys.executable, "manage.py"]
        self.web_port, self.proxy_port = _free_port(), _free_port()
        self.proxy_env = {
            **self.env,
            "PROXY_DIR": str(tmp / "proxy"),
            "PROXY_LISTEN": f"127.0.0.1:{self.proxy_port}",
            "UPSTREAMS": f"127.0.0.1:{self.web_port}",
        }
        self.url = f"http://127.0.0.1:{self.proxy_port}"
        self.web: subprocess.Popen[bytes] | None = None
        self.log = tmp / "serve.log"

    def run(self, *args: str) -> str:
        return subprocess.run(
            [*self.manage, *args], cwd=ROOT, env=self.env, check=True,
            capture_output=True, text=True,
        ).stdout  # fmt: skip

    def shell(self, code: str) -> str:
        return self.run("shell", "--no-imports", "-v", "0", "-c", code).strip()

    def start_web(self) -> None:
        self.web = subprocess.Popen(
            [*self.manage, "serve", "--port", str(self.web_port), "--no-worker"],
            cwd=ROOT, env=self.env, start_new_session=True,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{self.web_port}/healthz/", timeout=2
                )
                return
            except OSError:
                assert time.monotonic() < deadline, "the web server did not start"
                time.sleep(0.3)

    def stop_web(self) -> None:
        if self.web is not None:
            os.killpg(self.web.pid, signal.SIGINT)
            self.web.wait(timeout=30)
            self.web = None

    def proxy(self, command: str) -> None:
        subprocess.run(
            ["scripts/proxy.sh", command], cwd=ROOT, env=self.proxy_env,
            check=True, capture_output=True,
        )  # fmt: skip

    def until(self, path: str, text: str) -> float:
        """Seconds until `path`, read through the proxy, shows `text`."""
        started = time.monotonic()
        while time.monotonic() - started < SHOWS_WITHIN + 5:
            if text.encode() in _fetch(self.url + path)[2]:
                return time.monotonic() - started
            time.sleep(0.25)
        return float("inf")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("proxy"))
    site.run("bootstrap", "--articles", "12")
    try:
        site.start_web()
        site.proxy("start")
        yield site
    finally:  # whatever failed, nothing is left running
        try:
            site.proxy("stop")
        finally:
            site.stop_web()


def _article(site: Site) -> tuple[str, str, str]:
    """(id, path, section path) of the newest story."""
    line = site.shell(
        "from django.utils import timezone\n"
        "from core.models import SiteSettings\n"
        "from articles.models import Article\n"
        "with timezone.override(SiteSettings.load().tzinfo):\n"
        "    a = Article.objects.published().newest_first().first()\n"
        "    print(a.pk, a.get_absolute_url(), a.category.get_absolute_url())"
    )
    pk, path, section = line.split()
    return pk, path, section


def test_anonymous_pages_come_from_the_proxy_cache_without_cookies(site):
    _pk, path, section = _article(site)
    for page in ("/", path, section, "/feed/"):
        status, headers, _body = _fetch(site.url + page)
        assert status == 200 and "Set-Cookie" not in headers
        status, headers, _body = _fetch(site.url + page)
        assert headers["X-Cache"] == "HIT", page
        assert "Set-Cookie" not in headers
        assert "s-maxage=4," in headers["Cache-Control"]
        assert "site" in headers["Surrogate-Key"].split()


def test_staff_the_admin_previews_posts_and_beacons_are_never_cached(site):
    pk, path, _section = _article(site)
    for _ in range(2):
        status, headers, _ = _fetch(site.url + "/admin/login/")
        assert status == 200 and headers["X-Cache"] == "BYPASS"
        assert "Set-Cookie" in headers  # the login form's CSRF cookie, not shared
        _status, headers, _ = _fetch(site.url + path, cookie="sessionid=someone")
        assert headers["X-Cache"] == "BYPASS"
        assert "private" in headers["Cache-Control"]
        status, headers, _ = _fetch(site.url + f"/preview/{pk}/")
        assert headers["X-Cache"] == "BYPASS"
        status, headers, _ = _fetch(
            site.url + "/audience/read/", data=b"id=" + pk.encode()
        )
        assert status in (204, 429) and headers.get("X-Cache") != "HIT"


def test_an_edit_and_an_approved_comment_show_within_ten_seconds(site):
    pk, path, section = _article(site)
    for page in ("/", path, section):
        _fetch(site.url + page)
    site.shell(
        "from articles.models import Article\n"
        f"a = Article.objects.get(pk={pk})\n"
        "a.headline = 'Proxy test headline'\n"
        "a.save()"
    )
    for page in (path, "/", section):
        assert site.until(page, "Proxy test headline") <= SHOWS_WITHIN, page
    site.shell(
        "from comments import services\n"
        "from comments.models import Comment\n"
        f"c = Comment.objects.create(article_id={pk}, author_name='Ana Silva', "
        "author_email='ana@example.test', body='Seen from the proxy', "
        "status=Comment.Status.PENDING)\n"
        "services.set_status(c, Comment.Status.APPROVED)"
    )
    assert site.until(path, "Seen from the proxy") <= SHOWS_WITHIN


def test_with_every_web_worker_down_cached_pages_stay_and_others_get_a_branded_503(
    site,
):
    _pk, path, _section = _article(site)
    _fetch(site.url + path)
    site.stop_web()
    try:
        status, headers, body = _fetch(site.url + path)
        assert status == 200 and headers["X-Cache"] in ("HIT", "STALE", "UPDATING")
        status, headers, body = _fetch(site.url + "/tag/never-visited/")
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert b"is busy or being updated" in body
        assert b"Traceback" not in body
    finally:
        site.start_web()
    assert _fetch(site.url + "/tag/never-visited/")[0] == 404  # back by itself
