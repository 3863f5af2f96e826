"""When parts fail (issue 18): PostgreSQL, Redis, the SMTP server and the disk
are broken for real under a real `manage.py serve` (uvicorn, the task worker,
the clock), and what readers, editors and the mail get is checked each time.

The PostgreSQL cluster and the redis-server stopped here are this module's
own (a throwaway cluster in a temporary folder, on free ports), never the
shared services of scripts/services.sh that the rest of the tier uses. The
full disks are real: small tmpfs mounts (root only; the tier runs as root in
CI). Runs in the PostgreSQL + Redis tier only. The outcomes are the table in
docs/operations.md, "When parts fail".
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default as email_policy
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from comments.forms import sign_timestamp
from lib.testing import SERVICES_TIER, Reply, http_request, in_services_tier

pytestmark = pytest.mark.skipif(not in_services_tier(), reason=SERVICES_TIER)

ROOT = Path(__file__).resolve().parents[2]
PGBIN = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1].parent
RETRY = 2  # MAIL_RETRY_SECONDS of the site under test
EMAIL_TIMEOUT = 2  # seconds the site waits for a silent SMTP server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"{what}: not within {timeout}s"
        time.sleep(0.2)
    return found


def _never_a_stack_trace(reply: Reply) -> None:
    for sign in ("Traceback", "OperationalError", "ConnectionError", "DEBUG"):
        assert sign not in reply.body, reply.body[:500]


# -- The parts ------------------------------------------------------------------


class Postgres:
    """A throwaway cluster, run as `postgres` (it refuses root), trust auth
    on 127.0.0.1 only, without fsync (test data)."""

    def __init__(self) -> None:
        # Not under pytest's temporary folder: `postgres` cannot reach it (0700).
        self.dir = Path(tempfile.mkdtemp(prefix="newshub-failures-pg-"))
        self.dir.chmod(0o755)
        shutil.chown(self.dir, "postgres")
        self.data, self.port = self.dir / "data", _free_port()
        self._as_postgres(
            PGBIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *command: object) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, command)], cwd="/",
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip

    def start(self) -> None:
        self._as_postgres(
            PGBIN / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-w",
            "-o", f"-p {self.port}", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._as_postgres(PGBIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def query(self, sql: str, *params: object) -> list[tuple]:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        ) as db:
            return db.execute(sql, params).fetchall()


class Redis:
    """A redis-server of our own, on a free port, without persistence."""

    def __init__(self, tmp: Path) -> None:
        self.dir, self.port = tmp / "redis", _free_port()
        self.dir.mkdir()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _until(self._answers, 10, "redis-server started")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


class Inbox:
    """A real SMTP server (aiosmtpd) on a fixed port, which can be switched
    off (connection refused) or replaced by one that accepts the connection
    and never says a word (a hanging server)."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.messages: list[tuple[list[str], Any]] = []
        self.controller: Any = None
        self.silent: socket.socket | None = None
        self._held: list[socket.socket] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd)
        message = message_from_bytes(envelope.content, policy=email_policy)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def up(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def down(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
        if self.silent is not None:
            with contextlib.suppress(OSError):  # wakes the thread in accept()
                self.silent.shutdown(socket.SHUT_RDWR)
            self.silent.close()
            self.silent = None
            for held in self._held:
                held.close()
            self._held.clear()

    def hang(self) -> None:
        """Accept every connection and never answer (no 220 greeting)."""
        self.silent = socket.socket()
        self.silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.silent.bind(("127.0.0.1", self.port))
        self.silent.listen(16)
        listener = self.silent

        def accept() -> None:
            while True:
                try:
                    self._held.append(listener.accept()[0])
                except OSError:
                    return

        threading.Thread(target=accept, daemon=True).start()

    def to(self, address: str) -> list[Any]:
        return [m for rcpt, m in list(self.messages) if address in rcpt]


class Site:
    """`manage.py serve` (uvicorn, db_worker, clock) with its own settings."""

    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "serve.log"
        self.env = (
            os.environ
            | {
                "NEWSHUB_VAR_DIR": str(tmp / "var"),
                "NEWSHUB_ADMIN_PASSWORD": "a-long-test-password",
                # The test's key: it signs the comment form's time (sign_timestamp).
                "SECRET_KEY": django_settings.SECRET_KEY,
                "SITE_URL": self.url,
                "WEB_WORKERS": "1",
                "WEB_ACCESS_LOG": "false",
                "MAIL_RETRY_SECONDS": str(RETRY),
                "TASKS_BACKEND": "database",
                "LOG_LEVEL": "WARNING",
            }
            | env
        )
        for name in ("DATABASE_URL", "REDIS_URL"):
            if not env.get(name):
                self.env.pop(name, None)
        (tmp / "var").mkdir(exist_ok=True)
        self.proc: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
            check=True, capture_output=True, text=True, timeout=120,
        ).stdout  # fmt: skip

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(self.port)],
            cwd=ROOT, env=self.env, start_new_session=True,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        _until(self._up, 40, "the site started")

    def _up(self) -> bool:
        try:
            return http_request(self.url + "/healthz/").status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def read_log(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str) -> Reply:
        return http_request(self.url + path)

    def _csrf(self) -> tuple[str, str]:
        reply = self.get("/csrf/")
        name = django_settings.CSRF_COOKIE_NAME
        return json.loads(reply.body)["token"], f"{name}={reply.cookies[name]}"

    def post(self, path: str, form: dict[str, str]) -> Reply:
        token, cookie = self._csrf()
        return http_request(
            self.url + path, {"csrfmiddlewaretoken": token, **form}, cookie=cookie
        )

    def comment(self, article_id: int, body: str, email: str) -> Reply:
        return self.post("/comments/post/", {
            "article": str(article_id), "parent": "",
            "ts": sign_timestamp(article_id, now=time.time() - 60),
            "name": "Ana Silva", "email": email, "url": "", "website_hp": "",
            "body": body,
        })  # fmt: skip

    def subscribe(self, email: str) -> Reply:
        return self.post("/subscribe/send/", {"email": email, "website_hp": ""})


def _article_paths(site: Site) -> list[tuple[int, str, str]]:
    """(id, path, section path) of published stories, newest first."""
    out = site.manage(
        "shell", "--no-imports", "-v", "0", "-c",
        "from django.utils import timezone\n"
        "from core.models import SiteSettings\n"
        "from articles.models import Article\n"
        "with timezone.override(SiteSettings.load().tzinfo):\n"
        "    for a in Article.objects.published().newest_first()[:6]:\n"
        "        print(a.pk, a.get_absolute_url(), a.category.get_absolute_url())",
    )  # fmt: skip
    return [(int(p), a, s) for p, a, s in (line.split() for line in out.splitlines())]


def _open_discussion(site: Site) -> None:
    """Comments open on every story (the demo's are older than the default
    closing age); comments from one address (the test's) in a row are not a
    flood."""
    site.manage(
        "shell", "--no-imports", "-v", "0", "-c",
        "from articles.models import Article\n"
        "from comments.models import DiscussionSettings\n"
        "Article.objects.update(comments_open=True)\n"
        "d = DiscussionSettings.load(); d.flood_seconds = 0\n"
        "d.close_after_days = 0; d.save()",
    )  # fmt: skip


# -- PostgreSQL + Redis ---------------------------------------------------------


@dataclass
class Stack:
    site: Site
    pg: Postgres
    redis: Redis
    inbox: Inbox
    articles: list[tuple[int, str, str]]


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("failures")
    pg, redis, inbox = Postgres(), Redis(tmp), Inbox()
    site = Site(tmp, {
        "DATABASE_URL": pg.url, "REDIS_URL": redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{inbox.port}?timeout={EMAIL_TIMEOUT}",
    })  # fmt: skip
    try:
        pg.start()
        redis.start()
        inbox.up()
        site.manage("bootstrap", "--articles", "8")
        _open_discussion(site)
        articles = _article_paths(site)
        site.start()
        yield Stack(site, pg, redis, inbox, articles)
    finally:  # whatever failed, nothing is left running
        site.stop()
        inbox.down()
        redis.stop()
        if pg.running():
            pg.stop()
        shutil.rmtree(pg.dir, ignore_errors=True)


def _comments(pg: Postgres, body: str) -> int:
    return pg.query("SELECT count(*) FROM comments_comment WHERE body = %s", body)[0][0]


def _subscribers(pg: Postgres, email: str) -> int:
    sql = "SELECT count(*) FROM subscriptions_subscriber WHERE email = %s"
    return pg.query(sql, email)[0][0]


def test_with_redis_down_readers_get_pages_from_the_database_and_it_comes_back(
    stack,
):
    site, redis = stack.site, stack.redis
    pk, path, section = stack.articles[0]
    for page in ("/", path):
        site.get(page)
        assert site.get(page).headers.get("x-page-cache") == "hit"

    redis.stop()
    try:
        # Every page is still answered: made from the database each time.
        for page in ("/", path, section, "/feed/", "/search/?q=the"):
            reply = site.get(page)
            assert reply.status == 200, (page, reply.body[:300])
            _never_a_stack_trace(reply)
            assert reply.headers.get("x-page-cache") != "hit"
        # Readers can still comment and subscribe (rate limits not counted).
        posted = site.comment(pk, "Written while the cache was down.", "ana@x.test")
        assert posted.status == 200 and "cache was down" in posted.body, posted.body[
            posted.body.find("<main") :
        ][:1500]
        signup = site.subscribe("cacheless@example.test")
        assert signup.status == 200 and "Check your inbox" in signup.body
    finally:
        redis.start()

    # Back by itself: pages are cached again, nothing was restarted.
    def cached() -> bool:
        site.get("/")
        return site.get("/").headers.get("x-page-cache") == "hit"

    _until(cached, 15, "the page cache is used again")
    assert _comments(stack.pg, "Written while the cache was down.") == 1
    _until(lambda: stack.inbox.to("cacheless@example.test"), 30, "confirmation")


def test_with_redis_hanging_pages_still_answer_within_seconds(stack):
    """A Redis that accepts and never answers (stopped with SIGSTOP): each
    command gives up after REDIS_TIMEOUT, so pages are made from the database
    instead of every web thread waiting for good."""
    site, redis = stack.site, stack.redis
    _pk, path, section = stack.articles[2]
    assert redis.proc is not None
    site.get(path)
    redis.proc.send_signal(signal.SIGSTOP)
    try:
        for page in ("/", path, section):
            started = time.monotonic()
            reply = site.get(page)
            took = time.monotonic() - started
            assert reply.status == 200, (page, reply.status)
            assert reply.headers.get("x-page-cache") != "hit", (page, took)
            _never_a_stack_trace(reply)
            assert took < 20, (page, took)  # without a timeout: never
        # A page made while the versions cannot be read is never taken as
        # current later (it was, when they read as empty).
        assert site.get(section).headers.get("x-page-cache") != "hit"
    finally:
        redis.proc.send_signal(signal.SIGCONT)

    def cached() -> bool:
        site.get(path)
        return site.get(path).headers.get("x-page-cache") == "hit"

    _until(cached, 15, "the page cache is used again")


def test_with_postgres_down_cached_pages_stay_others_get_a_branded_503(stack):
    site, pg = stack.site, stack.pg
    pk, path, _section = stack.articles[1]
    _pk, _path, never_read = stack.articles[-1]
    for page in ("/", path):
        site.get(page)
        assert site.get(page).headers.get("x-page-cache") == "hit", page
    body, email = "Written while the database was down.", "pgdown@example.test"

    pg.stop()
    try:
        for page in ("/", path):  # cached: as if nothing happened
            reply = site.get(page)
            assert reply.status == 200 and reply.headers["x-page-cache"] == "hit"
        for page in (f"{never_read}page/2/", "/tag/never-read/", f"{path}?x=1"):
            reply = site.get(page)
            assert reply.status == 503, (page, reply.status)
            assert "Please try again in a minute" in reply.body
            assert reply.headers["retry-after"] == "30"
            assert "<title>Back in a moment |" in reply.body
            _never_a_stack_trace(reply)
        # Forms are refused with a clear message; nothing is kept.
        for reply in (site.comment(pk, body, "bo@x.test"), site.subscribe(email)):
            assert reply.status == 503
            assert "could not save what you sent: nothing was kept" in reply.body
            _never_a_stack_trace(reply)
        # The task worker stops at its first database error; `serve` starts
        # it again (every few seconds) until the database answers.
        _until(lambda: "worker exited" in site.read_log(), 15, "the worker stopped")
    finally:
        pg.start()

    # Back by itself (the web workers reconnect, the task worker is restarted).
    _until(lambda: site.get("/tag/never-read/").status == 404, 20, "site back")
    assert _comments(pg, body) == 0 and _subscribers(pg, email) == 0
    assert site.comment(pk, body, "bo@x.test").status == 200
    assert _comments(pg, body) == 1
    assert site.subscribe(email).status == 200
    _until(lambda: stack.inbox.to(email), 30, "the worker sends mail again")


def _confirmation_tries(pg: Postgres) -> int:
    sql = (
        "SELECT count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE %s"
    )
    return pg.query(sql, "%send_confirmation")[0][0]


@pytest.mark.parametrize("failure", ["refused", "hangs"])
def test_mail_waits_for_the_smtp_server_and_goes_out_once(stack, failure):
    site, inbox, pg = stack.site, stack.inbox, stack.pg
    email = f"smtp-{failure}@example.test"
    inbox.down()
    if failure == "hangs":
        inbox.hang()
    try:
        before = _confirmation_tries(pg)
        started = time.monotonic()
        signup = site.subscribe(email)
        # The reader's request does not wait for the mail server.
        assert signup.status == 200 and "Check your inbox" in signup.body
        assert time.monotonic() - started < EMAIL_TIMEOUT
        # The first try failed (refused, or no answer within EMAIL_TIMEOUT)
        # and a second one is queued for later.
        _until(lambda: _confirmation_tries(pg) >= before + 2, 20, "a retry queued")
        assert inbox.to(email) == []
    finally:
        inbox.down()
        inbox.up()
    [message] = _until(lambda: inbox.to(email), 30, "the retried confirmation")
    assert "Confirm your subscription" in str(message["Subject"])
    time.sleep(RETRY + 1)  # time enough for a second copy, if one were sent
    assert len(inbox.to(email)) == 1


# -- The embedded mode with full disks -----------------------------------------


def _mount_full(folder: Path) -> Path:
    """A 256 KiB tmpfs at `folder`, then filled: a disk with no room left."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", str(folder)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, f"cannot mount a tmpfs (root needed): {done.stderr}"
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:  # ENOSPC: full
        pass
    finally:
        os.close(fd)
    return filler


def _eml(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name != "filler")


def test_embedded_site_with_full_disks_keeps_serving_and_mails_later(
    tmp_path_factory,
):
    tmp = tmp_path_factory.mktemp("fulldisk")
    inboxless = Site(tmp, {"DATABASE_URL": "", "REDIS_URL": ""})  # var/outbox
    var = Path(inboxless.env["NEWSHUB_VAR_DIR"])
    inboxless.manage("bootstrap", "--articles", "6")
    _open_discussion(inboxless)
    articles = _article_paths(inboxless)
    full = ["outbox", "cache", "fragments", "cache-tags"]
    mounted: list[Path] = []
    try:
        fillers = {}
        for name in full:
            shutil.rmtree(var / name, ignore_errors=True)
            mounted.append(var / name)
            fillers[name] = _mount_full(var / name)
        inboxless.start()
        pk, path, section = articles[0]
        # Readers get every page, twice (nothing could be cached).
        for page in ("/", path, section, "/feed/", "/", path):
            reply = inboxless.get(page)
            assert reply.status == 200, (page, reply.body[:300])
            _never_a_stack_trace(reply)
        # A comment is kept (the database has room).
        posted = inboxless.comment(pk, "Written on a full disk.", "cy@x.test")
        assert posted.status == 200 and "on a full disk" in posted.body
        db = sqlite3.connect(var / "newshub.sqlite3")
        sql = "SELECT count(*) FROM comments_comment WHERE body = ?"
        assert db.execute(sql, ("Written on a full disk.",)).fetchone() == (1,)
        # An editor's save goes through: the tags' new versions cannot be
        # written, so the old ones are removed (no stored page matches).
        inboxless.manage(
            "shell", "--no-imports", "-v", "0", "-c",
            "from articles.models import Article\n"
            f"a = Article.objects.get(pk={pk}); a.headline = 'Edited on a full disk'\n"
            "a.save()",
        )  # fmt: skip
        assert "Edited on a full disk" in inboxless.get(path).body
        # The confirmation cannot be written: nothing half-written, tried again.
        signup = inboxless.subscribe("fulldisk@example.test")
        assert signup.status == 200 and "Check your inbox" in signup.body
        tries = (
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE task_path LIKE ?"
        )

        def retried() -> bool:
            return db.execute(tries, ("%send_confirmation",)).fetchone()[0] >= 2

        _until(retried, 20, "a retry queued")
        assert _eml(var / "outbox") == []
        # Room again: the message is written, once, whole.
        fillers["outbox"].unlink()

        def confirmations() -> list[Path]:
            return [p for p in _eml(var / "outbox") if "confirm-your" in p.name]

        [eml] = _until(confirmations, 30, "the retried message")
        time.sleep(RETRY + 1)
        assert confirmations() == [eml] and eml.suffix == ".eml"
        # The comment's notification, kept back by the same disk, is retried
        # too: whatever else was written, nothing twice.
        subjects = [p.name.split("-", 4)[-1] for p in _eml(var / "outbox")]
        assert len(subjects) == len(set(subjects))
        message = message_from_bytes(eml.read_bytes(), policy=email_policy)
        assert "fulldisk@example.test" in message["To"]
        # Room in the cache too: pages are cached again, by themselves.
        for name in ("cache", "fragments", "cache-tags"):
            fillers[name].unlink()
        inboxless.get(section)
        assert inboxless.get(section).headers.get("x-page-cache") == "hit"
        assert "disk full, entries not kept" in inboxless.read_log()
        db.close()
    finally:
        inboxless.stop()
        for folder in mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
