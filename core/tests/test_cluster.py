"""The several-machines layout (scripts/cluster.sh: two web nodes behind the
proxy, two RQ task workers, the clock, PostgreSQL and Redis) under a reader's
and an editor's smoke test, while one web node and one task worker are killed
(SIGKILL) and restarted: every read through the proxy answers, the comment and
the subscription are kept, and each email goes out exactly once.

Runs in the PostgreSQL + Redis tier (`make test-postgres`): the cluster's
processes share the test database with the test, and RQ needs Redis. The
cluster gets a Redis database of its own (CLUSTER_REDIS_DB) and its own cache
key prefix, so its queue and cache never meet another test's.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection

from articles.models import Article
from articles.tests.factories import ArticleFactory
from comments.forms import sign_timestamp
from comments.models import Comment, DiscussionSettings
from comments.services import article_path
from lib.testing import SERVICES_TIER, Reply, http_request, in_services_tier
from subscriptions.models import Delivery, Subscriber

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not in_services_tier(), reason=SERVICES_TIER),
]

ROOT = Path(__file__).resolve().parents[2]
CLUSTER_REDIS_DB = 13  # the cluster's queue and cache, apart from other tests
SHOWS_WITHIN = 10  # seconds until an approved comment shows through the proxy
MAIL_WITHIN = 60  # seconds until an email arrives
WORD = "zephyrine"  # what the reader searches for
READER = "reader@example.test"


def _free_ports(count: int) -> list[int]:
    """Free ports on 127.0.0.1, all different (held open together)."""
    held = [socket.socket() for _ in range(count)]
    try:
        for s in held:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


def _redis_url(db: int) -> str:
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit(parts._replace(path=f"/{db}"))


def _flush_cluster_redis() -> None:
    import redis

    redis.Redis.from_url(_redis_url(CLUSTER_REDIS_DB)).flushdb()


def _until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll `condition` until it holds; seconds it took. Fails after `timeout`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"{what}: not within {timeout}s"
        time.sleep(0.2)
    return time.monotonic() - started


def _live_processes(pgid: int) -> list[int]:
    """The processes of group `pgid` that have not exited (zombies excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it exited while we looked
            continue
        # "pid (command) state ppid pgrp ...": the command may hold spaces.
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


class Cluster:
    """scripts/cluster.sh on the test database, with mail to `smtp_port`."""

    def __init__(self, var: Path, smtp_port: int) -> None:
        db = connection.settings_dict  # the test database this test writes to
        proxy_port, port_a, port_b = _free_ports(3)
        self.var = var
        self.url = f"http://127.0.0.1:{proxy_port}"
        self.node_ports = {"node-a": port_a, "node-b": port_b}
        self.env = os.environ | {
            "DATABASE_URL": (
                f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@"
                f"{db['HOST']}:{db['PORT']}/{quote(db['NAME'])}"
            ),
            "REDIS_URL": _redis_url(CLUSTER_REDIS_DB),
            "CACHE_KEY_PREFIX": "newshub-cluster-test",
            "TASKS_BACKEND": "rq",
            "TRUSTED_PROXY_COUNT": "1",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            # The same key as the test's: it signs the comment form's time.
            "SECRET_KEY": django_settings.SECRET_KEY,
            "SITE_URL": self.url,
            "NEWSHUB_VAR_DIR": str(var),
            "NEWSHUB_ADMIN_PASSWORD": "a-long-test-password",
            "CLUSTER_PROXY_PORT": str(proxy_port),
            "CLUSTER_WEB_PORTS": f"{port_a} {port_b}",
            "WEB_WORKERS": "1",
        }

    def script(self, *args: str) -> str:
        done = subprocess.run(
            [str(ROOT / "scripts" / "cluster.sh"), *args], cwd=ROOT, env=self.env,
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert done.returncode == 0, (
            f"scripts/cluster.sh {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
        )
        return done.stdout

    def shell(self, code: str) -> str:
        """Python in a process configured like the cluster's (an editor's
        action in the admin runs in a web node)."""
        return subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-v", "0",
             "-c", code],
            cwd=ROOT, env=self.env, check=True, capture_output=True, text=True,
            timeout=60,
        ).stdout  # fmt: skip

    def kill(self, name: str) -> None:
        """SIGKILL the process group, as a machine that dies takes everything."""
        pgid = int((self.var / "run" / f"{name}.pid").read_text())
        os.killpg(pgid, signal.SIGKILL)
        # The signal is delivered at once, the teardown is not: until the
        # kernel has closed a dying node's files, its listening socket still
        # takes connections, and a POST nginx hands it is lost (nginx never
        # sends a POST that reached a server to another). A dead machine
        # takes none.
        _until(lambda: not _live_processes(pgid), 30, f"{name} gone")

    def log(self, name: str) -> str:
        return (self.var / "logs" / f"{name}.log").read_text(errors="replace")


class Readers:
    """Anonymous readers reading through the proxy in the background. The
    query strings make most reads reach a web node (past both page caches)."""

    def __init__(self, base: str, paths: list[str], threads: int = 3) -> None:
        self.base, self.paths = base, paths
        # (when, path, status, X-Cache) of each read
        self.results: list[tuple[float, str, int, str]] = []
        self.errors: list[str] = []
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self._read, args=(n,), daemon=True)
            for n in range(threads)
        ]

    def _read(self, number: int) -> None:
        count = 0
        while not self.stopping.is_set():
            path = self.paths[count % len(self.paths)]
            count += 1
            if count % 4:  # three in four reach a web node, one may be cached
                joiner = "&" if "?" in path else "?"
                path = f"{path}{joiner}r={number}-{count}"
            try:
                reply = http_request(self.base + path)
            except Exception as error:  # noqa: BLE001 (any failure is a finding)
                self.errors.append(f"{path}: {error!r}")
                continue
            self.results.append(
                (time.monotonic(), path, reply.status, reply.headers.get("x-cache", ""))
            )
            if reply.status != 200:
                self.errors.append(f"{path}: {reply.status} {reply.body[:200]!r}")

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def misses_between(self, start: float, end: float) -> int:
        """Reads a web node answered (not the proxy's cache) in [start, end]."""
        return sum(
            1 for when, _p, _s, cache in self.results
            if start <= when <= end and cache == "MISS"
        )  # fmt: skip


@dataclass
class Newsroom:
    article: Article  # published, read, searched and commented on
    draft: Article  # published during the test
    section: str  # its section's path


@pytest.fixture
def newsroom(site_settings, category, author) -> Newsroom:
    """The content and settings, in the database before the cluster starts
    (its processes cache the settings)."""
    discussion = DiscussionSettings.load()
    discussion.flood_seconds = 0  # two comments from one address (the proxy's)
    discussion.save()
    stories = [
        ArticleFactory.create(category=category, author=author,
                       headline=f"Harbour {WORD} story {n}")
        for n in range(3)
    ]  # fmt: skip
    draft = ArticleFactory.create(
        category=category, author=author, status=Article.Status.DRAFT,
        headline="Breaking harbour news for subscribers", published_at=None,
    )  # fmt: skip
    return Newsroom(stories[0], draft, category.get_absolute_url())


@pytest.fixture
def cluster(
    newsroom, transactional_db, smtp_server, settings, tmp_path
) -> Iterator[Cluster]:
    """The cluster, stopped again whatever happens (before the test database
    is emptied: it is torn down before `transactional_db`)."""
    _flush_cluster_redis()  # no jobs or cached pages from an earlier run
    port = settings.MAILERS["default"]["OPTIONS"]["port"]
    cluster = Cluster(tmp_path / "cluster", port)
    try:
        out = cluster.script("start")
        assert out.strip().splitlines()[-1] == cluster.url
        yield cluster
    finally:
        stop = subprocess.run(
            [str(ROOT / "scripts" / "cluster.sh"), "stop"], cwd=ROOT,
            env=cluster.env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        _flush_cluster_redis()
        assert stop.returncode == 0, stop.stdout + stop.stderr


def _csrf(base: str) -> tuple[str, str]:
    """(token, Cookie header), as site.js fetches them before a form is sent."""
    reply = http_request(base + "/csrf/")
    assert reply.status == 200
    name = django_settings.CSRF_COOKIE_NAME
    return json.loads(reply.body)["token"], f"{name}={reply.cookies[name]}"


def _post_comment(base: str, article: Article, body: str, email: str) -> Reply:
    token, cookie = _csrf(base)
    form = {
        "csrfmiddlewaretoken": token,
        "article": str(article.pk),
        "parent": "",
        # Shown a minute ago (the form's minimum writing time has passed).
        "ts": sign_timestamp(article.pk, now=time.time() - 60),
        "name": "Ana Silva",
        "email": email,
        "url": "",
        "website_hp": "",  # the honeypot, left empty as people do
        "body": body,
    }
    return http_request(base + "/comments/post/", data=form, cookie=cookie)


def _mail_to(inbox: Any, address: str, subject: str = "") -> list[EmailMessage]:
    return [
        message
        for to, message in list(inbox.messages)
        if address in to and subject in str(message["Subject"])
    ]


def _text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_reader_and_editor_smoke_while_a_node_and_a_worker_are_killed(
    newsroom, cluster, smtp_server
):
    article, draft = newsroom.article, newsroom.draft
    path = article_path(article)
    base = cluster.url
    search = f"/search/?q={WORD}"

    # The readers keep the proxy's copy of `path` itself out of it: how soon
    # the approved comments show is measured on that copy.
    paths = ["/", f"{path}?from=readers", search, newsroom.section]
    with Readers(base, paths) as readers:
        # A reader: the home page, an article, a search.
        home = http_request(base + "/")
        assert home.status == 200 and article.headline in home.body
        assert "Frontline Test Desk" in home.body  # the site's settings
        assert http_request(base + path).status == 200
        found = http_request(base + search)
        assert found.status == 200 and article.headline in found.body
        first = _post_comment(base, article, "Before the crash: good.", "ana@x.test")
        # Held for moderation, and shown to its poster only.
        assert first.status == 200 and "Before the crash" in first.body

        # A web machine and a task machine die mid-traffic.
        _until(lambda: len(readers.results) >= 20, 30, "readers started")
        killed_at = time.monotonic()
        cluster.kill("node-a")
        cluster.kill("worker-1")

        # The site goes on through node B and worker 2.
        for page in ("/", path, search):
            assert http_request(base + page).status == 200, page
        second = _post_comment(base, article, "After the crash: here.", "bo@x.test")
        assert second.status == 200 and "After the crash" in second.body
        token, cookie = _csrf(base)
        signup = http_request(base + "/subscribe/send/", cookie=cookie,
                       data={"csrfmiddlewaretoken": token, "email": READER,
                             "website_hp": ""})  # fmt: skip
        assert signup.status == 200 and "Check your inbox" in signup.body
        _until(lambda: _mail_to(smtp_server, READER), MAIL_WITHIN, "confirmation email")

        # Both come back, by the script, on the same ports.
        cluster.script("restart-node", "a")
        cluster.script("restart-worker", "1")
        restarted_at = time.monotonic()
        assert "node-a: up" in cluster.script("status")
        node_a = f"http://127.0.0.1:{cluster.node_ports['node-a']}"
        assert http_request(node_a + "/healthz/").status == 200

        # The reader confirms through the link in the email.
        [confirmation] = _mail_to(smtp_server, READER)
        assert confirmation["Subject"] == (
            "Confirm your subscription to Frontline Test Desk"
        )
        match = re.search(r"https?://\S+/subscribe/confirm/\S+/", _text(confirmation))
        assert match is not None and match.group(0).startswith(base + "/")
        link = match.group(0)
        page = http_request(link)  # a mail scanner opening it confirms nobody
        assert page.status == 200 and "Confirm my subscription" in page.body
        token, cookie = _csrf(base)
        done = http_request(link, data={"csrfmiddlewaretoken": token}, cookie=cookie)
        assert done.status == 200 and "You are subscribed" in done.body

        # An editor approves both comments: they show within seconds.
        held = list(Comment.objects.filter(article=article).values_list("pk", "status"))
        assert sorted(status for _pk, status in held) == ["pending", "pending"]
        cluster.shell(
            "from comments import services\n"
            "from comments.models import Comment\n"
            f"for c in Comment.objects.filter(pk__in={[pk for pk, _s in held]}):\n"
            "    services.set_status(c, Comment.Status.APPROVED)"
        )
        took = _until(
            lambda: all(text in http_request(base + path).body
                        for text in ("Before the crash", "After the crash")),
            SHOWS_WITHIN + 5, "approved comments on the article page",
        )  # fmt: skip
        assert took <= SHOWS_WITHIN

        # The restarted node takes its share again.
        _until(
            lambda: '"GET /' in cluster.log("node-a").rsplit("==== ", 1)[-1],
            30, "reads reaching the restarted node A",
        )  # fmt: skip

        # The editor publishes a story (as the admin does): one email to the reader.
        cluster.shell(
            "from django.utils import timezone\n"
            "from articles.models import Article\n"
            "from articles.services import announce\n"
            f"a = Article.objects.get(pk={draft.pk})\n"
            "a.status = Article.Status.PUBLISHED\n"
            "a.published_at = timezone.now()\n"
            "a.save()\n"
            "announce(a)"
        )
        new_post = lambda: _mail_to(smtp_server, READER, draft.headline)  # noqa: E731
        _until(new_post, MAIL_WITHIN, "the new-post email")
        _until(
            lambda: Delivery.objects.filter(article=draft, status="sent").exists(),
            10, "the delivery recorded as sent",
        )  # fmt: skip
        time.sleep(3)  # time enough for a second copy to arrive, if one were sent

    # Every read through the proxy was answered, during the kill too.
    assert readers.errors == []
    assert readers.misses_between(killed_at, restarted_at) > 0
    assert len(readers.results) > 50
    # Nothing lost, nothing twice.
    assert Comment.objects.filter(article=article, status="approved").count() == 2
    assert Subscriber.objects.get(email=READER).status == "confirmed"
    assert len(_mail_to(smtp_server, READER, "Confirm your subscription")) == 1
    assert len(new_post()) == 1
    assert len(_mail_to(smtp_server, READER)) == 2
    assert Delivery.objects.filter(article=draft).count() == 1
    sent = [(tuple(to), str(m["Subject"]), _text(m)) for to, m in smtp_server.messages]
    assert len(sent) == len(set(sent)), "an email was sent twice"
