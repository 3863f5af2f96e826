"""Real worker processes stopped and killed in the middle of a fan-out to 2,000
subscribers, on both queues: the database queue (`db_worker`) and Redis through
RQ (`rqworker`), against the real PostgreSQL test database.

Runs in the PostgreSQL + Redis tier (`make test-postgres`): worker processes
need a database they can share with the test (the SQLite tier's test database
lives in the test process's memory) and RQ needs Redis.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection

from articles.tests.factories import ArticleFactory
from core.management.commands.serve import RQ_WORKER
from lib.testing import SERVICES_TIER, in_services_tier
from subscriptions.models import Delivery, Subscriber
from subscriptions.tasks import INTERRUPTED, resume_sending

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not in_services_tier(), reason=SERVICES_TIER),
]
SUBSCRIBERS = 2000


WORKERS = {
    "database": (["db_worker", "--queue-name", "*", "--no-startup-delay",
                  "--interval", "0.2"], ["--batch"]),
    "rq": ([*RQ_WORKER, "default"], ["--burst"]),
}  # fmt: skip


def _env(smtp_port: int, queue: str) -> dict[str, str]:
    db = connection.settings_dict  # the test database this test writes to
    url = (f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:"
           f"{db['PORT']}/{db['NAME']}")  # fmt: skip
    return os.environ | {
        "DATABASE_URL": url,
        "TASKS_BACKEND": queue,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }


STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _stop_workers():
    yield
    for worker in STARTED:  # a failed test leaves no worker behind
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    STARTED.clear()


def _worker(queue: str, *, env: dict, burst: bool = False) -> subprocess.Popen:
    command, until_empty = WORKERS[queue]
    worker = _manage(*command, *(until_empty if burst else []), env=env)
    STARTED.append(worker)
    return worker


def _manage(*args: str, env: dict, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], env=env, cwd=django_settings.BASE_DIR,
        stdout=subprocess.DEVNULL, stderr=tempfile.TemporaryFile(),
        start_new_session=True,
        **kwargs,
    )  # fmt: skip


def _log(worker: subprocess.Popen) -> str:
    assert worker.stderr is not None
    worker.stderr.seek(0)
    return worker.stderr.read().decode(errors="replace")[-3000:]


def _wait_for(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the workers took too long"
        time.sleep(0.05)


@pytest.mark.parametrize("queue", ["database", "rq"])
def test_workers_stopped_or_killed_mid_fan_out_send_each_email_at_most_once(
    smtp_server, settings, queue
):
    port = settings.MAILERS["default"]["OPTIONS"]["port"]
    env = _env(port, queue)
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # no stale jobs
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"rq{i}@example.test", status="confirmed")
         for i in range(SUBSCRIBERS)]
    )  # fmt: skip
    article = ArticleFactory()
    # A web process announces the post: onto the queue under test.
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         f"from subscriptions.tasks import fan_out; fan_out.enqueue({article.pk})"],
        env=env, check=True, cwd=settings.BASE_DIR,
    )  # fmt: skip
    sent = lambda: len(smtp_server.messages)  # noqa: E731

    # Worker 1 is asked to stop (SIGTERM: it ends the batch in hand, then exits).
    first = _worker(queue, env=env)
    _wait_for(lambda: sent() >= 300)
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=60)
    # Worker 2 dies outright, with its batch in hand (SIGKILL, work horse too).
    second = _worker(queue, env=env)
    _wait_for(lambda: sent() >= 900)
    os.killpg(second.pid, signal.SIGKILL)
    second.wait(timeout=60)
    # Two workers side by side drain the rest of the queue.
    rest = [_worker(queue, env=env, burst=True) for _ in range(2)]
    for worker in rest:
        assert worker.wait(timeout=180) == 0, _log(worker)
    # The dead worker's unfinished batch is picked up by the safety net.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)):
        resume_sending.call()

    recipients = [to[0] for to, _m in smtp_server.messages]
    assert len(recipients) == len(set(recipients)), "someone got two emails"
    interrupted = set(
        Delivery.objects.filter(error=INTERRUPTED).values_list(
            "subscriber__email", flat=True
        )
    )
    assert len(interrupted) <= 1  # at most the one email in flight at the kill
    everyone = {f"rq{i}@example.test" for i in range(SUBSCRIBERS)}
    assert set(recipients) | interrupted == everyone
    sent_rows = Delivery.objects.filter(status="sent").values_list(
        "subscriber__email", flat=True
    )
    assert set(sent_rows) == set(recipients) - interrupted
