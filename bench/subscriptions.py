"""Sending benchmark: 100,000 confirmed subscribers, one publish.

    .venv/bin/python bench/subscriptions.py [--subscribers 100000] [--workers 1 2]

Uses its own data folder (var/bench-subscriptions/, SQLite and the database
task queue: the embedded default) and a counting SMTP sink on loopback
(bench/smtp_sink.py). Measures, for each worker count:
  - enqueue: the fan-out task run on its own (a Delivery row per subscriber and
    one sending task per 200), its time and peak memory;
  - send: db_worker processes sending everything to the sink, messages per
    second, and each worker's peak memory (VmHWM). With --send-seconds the
    sending stops after that long and the rate is over what was sent by then.
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-subscriptions"
PY = sys.executable

SETUP = """
import resource, time
from articles.tests.factories import ArticleFactory
from subscriptions.models import Subscriber, Delivery
from django_tasks_db.models import DBTaskResult
Delivery.objects.all().delete(); DBTaskResult.objects.all().delete()
have = Subscriber.objects.count()
if have < {n}:
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{{i}}@bench.test", status="confirmed")
         for i in range(have, {n})], batch_size=5000)
stamp = time.time_ns()
article = ArticleFactory(featured_image=None, slug=f"bench-post-{{stamp}}")
print(article.pk)
"""

FAN_OUT = """
import resource, time
from subscriptions.tasks import fan_out
start = time.perf_counter()
queued = fan_out.call({article})
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(queued, f"{{took:.2f}}", peak)
"""


def manage(*args: str, env: dict, capture: bool = True) -> str:
    out = subprocess.run([PY, "manage.py", *args], env=env, cwd=ROOT, check=True,
                         capture_output=capture, text=True)  # fmt: skip
    return out.stdout.strip().splitlines()[-1] if capture else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def run(n: int, workers: int, env: dict, db: Path, limit: float) -> dict:
    article = manage("shell", "-c", SETUP.format(n=n), env=env)
    queued, took, fan_peak = manage(
        "shell", "-c", FAN_OUT.format(article=article), env=env
    ).split()
    n = int(queued)  # every confirmed subscriber in the bench database
    start = time.perf_counter()
    worker = [PY, "manage.py", "db_worker", "--queue-name", "*",
              "--no-startup-delay", "--interval", "0.1"]  # fmt: skip
    procs = [
        subprocess.Popen(
            worker,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(workers)
    ]
    con = sqlite3.connect(db, timeout=30)
    peaks = [0] * workers
    while True:
        time.sleep(0.5)
        peaks = [
            max(p, peak_mb(proc.pid)) for p, proc in zip(peaks, procs, strict=True)
        ]
        sent = con.execute(
            "select count(*) from subscriptions_delivery where status='sent'"
        ).fetchone()[0]
        if sent >= n or time.perf_counter() - start > limit:
            break
    send_time = time.perf_counter() - start
    for proc in procs:
        proc.terminate()
        proc.wait()
    return {
        "enqueue_s": float(took),
        "fan_out_mb": int(fan_peak),
        "sent": sent,
        "send_s": send_time,
        "per_s": sent / send_time,
        "worker_mb": ", ".join(f"{m} MB" for m in peaks),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--send-seconds",
        type=float,
        default=1800,
        help="stop sending after this long and report the rate so far",
    )
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = os.environ | {
        "NEWSHUB_VAR_DIR": str(VAR),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "TASKS_BACKEND": "database",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    manage("migrate", "-v0", env=env, capture=False)
    sink = subprocess.Popen([PY, str(ROOT / "bench" / "smtp_sink.py"), str(port)],
                            stdout=subprocess.DEVNULL)  # fmt: skip
    time.sleep(1)
    try:
        for workers in args.workers:
            db = VAR / "newshub.sqlite3"
            r = run(args.subscribers, workers, env, db, args.send_seconds)
            print(
                f"{args.subscribers:,} subscribers, {workers} worker(s): enqueue "
                f"{r['enqueue_s']:.1f} s (peak {r['fan_out_mb']} MB); sent "
                f"{r['sent']:,} in {r['send_s']:.1f} s = {r['per_s']:.0f}/s; "
                f"worker peak memory {r['worker_mb']}",
                flush=True,
            )
    finally:
        sink.terminate()


if __name__ == "__main__":
    main()
