from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_bootstrap_creates_admin_once_and_prints_the_password_once(monkeypatch):
    monkeypatch.delenv("NEWSHUB_ADMIN_PASSWORD", raising=False)
    out = StringIO()
    call_command("bootstrap", "--no-demo", stdout=out)
    printed = out.getvalue()
    assert "Created user 'admin' with password: " in printed
    password = printed.split("password: ")[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)
    again = StringIO()
    call_command("bootstrap", "--no-demo", stdout=again)
    assert "password" not in again.getvalue()


@pytest.mark.django_db
def test_bootstrap_takes_the_admin_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEWSHUB_ADMIN_PASSWORD", "correct-horse-battery-staple")
    out = StringIO()
    call_command("bootstrap", "--no-demo", stdout=out)
    assert "correct-horse" not in out.getvalue()
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("correct-horse-battery-staple")
    assert admin.is_superuser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_serve_runs_the_web_server_and_worker_and_ctrl_c_stops_both(tmp_path):
    """The real `make run` path, on a scratch database: uvicorn + db_worker +
    the clock of periodic tasks; a read beacon is counted through the real
    server's fast lane and left out of its access log."""
    env = {
        **os.environ,
        "NEWSHUB_VAR_DIR": str(tmp_path),
        "NEWSHUB_ADMIN_PASSWORD": "a-long-test-password",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "bootstrap", "--articles", "3"], cwd=ROOT, env=env, check=True
    )
    port = _free_port()
    proc = subprocess.Popen(
        [*manage, "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert status == 200 and b"Newshub" in body
        status, css = _get(f"http://127.0.0.1:{port}/static/css/site.css")
        assert status == 200 and b".date-bar" in css
        children = subprocess.run(
            ["pgrep", "-s", str(proc.pid), "-a"], capture_output=True, text=True
        ).stdout
        assert "uvicorn" in children and "db_worker" in children
        assert "manage.py clock" in children
        article_id = re.search(
            rb'data-article="(\d+)"', _get(_first_article(body, port))[1]
        )
        assert _beacon(port, b"id=" + article_id.group(1)) == 204
        assert _beacon(port, b"id=<script>") == 400
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        log = proc.communicate(timeout=30)[0]
    left = subprocess.run(
        ["ps", "-s", str(proc.pid), "-o", "pid,ppid,stat,args", "--no-headers"],
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert left == "", f"left behind after Ctrl-C (running or unreaped):\n{left}"
    with pytest.raises(OSError):
        _get(f"http://127.0.0.1:{port}/")
    assert b'"POST /audience/read/ HTTP/1.1" 400' in log
    assert b'"POST /audience/read/ HTTP/1.1" 204' not in log
    flushed = subprocess.run(
        [*manage, "shell", "--no-imports", "-v", "0", "-c",
         "from audience import services as s; print(s.flush_reads().counted)"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert flushed.stdout.strip() == "1"


def _first_article(home: bytes, port: int) -> str:
    match = re.search(rb'href="(/\d{4}/\d{2}/\d{2}/[^"]+/)"', home)
    assert match is not None
    path = match.group(1)
    return f"http://127.0.0.1:{port}{path.decode()}"


def _beacon(port: int, body: bytes) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/audience/read/",
        data=body,
        headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_make_says_clearly_when_no_python_312_is_found(tmp_path):
    """Only an old python3 on the PATH and no pyenv: a clear message, exit 1."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("cat", "dirname", "ls", "sort"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    old = bin_dir / "python3"
    old.write_text("#!/bin/sh\nexit 1\n")  # answers 'no' to the version check
    old.chmod(0o755)
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "scripts" / "find-python.sh")],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "needs Python 3.12 or newer" in result.stderr
    assert "PYTHON=" in result.stderr


def test_make_finds_the_python_named_by_python_variable(tmp_path):
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "find-python.sh")],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHON": sys.executable},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == sys.executable


@pytest.mark.django_db
def test_the_clock_enqueues_the_publishing_sweep_and_the_digests(site_settings):
    """`clock --once` enqueues each periodic task (immediate backend in tests):
    a scheduled story whose time has passed gets published by the sweep."""
    import datetime as dt

    from django.utils import timezone

    from articles.models import Article
    from articles.tests.factories import ArticleFactory

    late = ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() - dt.timedelta(minutes=3),
    )
    out = StringIO()
    call_command("clock", "--once", verbosity=2, stdout=out)
    late.refresh_from_db()
    assert late.status == Article.Status.PUBLISHED
    assert "publish_due_articles" in out.getvalue()
    assert "send_due_digests" in out.getvalue()
