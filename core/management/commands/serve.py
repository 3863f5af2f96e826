"""Run the production web server and the task worker side by side.

Ctrl-C (SIGINT) or SIGTERM stops both. If the web server exits, everything is
stopped; a task worker or clock that exits (the database was down: db_worker
stops at its first error) is started again after RESTART_SECONDS, so the site
recovers by itself when the part comes back.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from lib.env import env_bool

# prctl(2): orphans of our children (uvicorn's multiprocessing resource
# tracker outlives uvicorn by a moment) are handed to us, not to PID 1.
PR_SET_CHILD_SUBREAPER = 36

# RQ runs django.tasks jobs only through django-tasks-rq's job class.
RQ_WORKER = ["rqworker", "--job-class", "django_tasks_rq.Job"]

#: Seconds before a task worker or clock that exited is started again.
RESTART_SECONDS = 5.0


def worker_command() -> list[str]:
    """The task worker for the configured backend."""
    if "RQBackend" in settings.TASKS["default"]["BACKEND"]:
        return [*RQ_WORKER, "--with-scheduler", *settings.RQ_QUEUES]
    return ["db_worker", "--queue-name", "*"]


def become_subreaper() -> None:
    """Adopt our grandchildren when their parent exits (Linux), so that none is
    left behind, running or unreaped, once `serve` has returned."""
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap_orphans(timeout: float) -> None:
    """Wait for adopted descendants to exit, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # no child left
        if pid == 0:
            time.sleep(0.05)


class Command(BaseCommand):
    help = "Serve the site with uvicorn and run the task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2"))
        )
        parser.add_argument("--no-worker", action="store_true")

    def handle(
        self,
        *args: Any,
        host: str,
        port: str,
        workers: int,
        no_worker: bool,
        **_: Any,
    ) -> None:
        python = sys.executable
        # uvicorn reads the addresses itself: X-Forwarded-For is trusted only
        # as far as TRUSTED_PROXY_COUNT says (lib.ratelimit.client_ip).
        web = [
            python, "-m", "uvicorn", "newshub.asgi:application",
            "--host", host, "--port", str(port),
            "--workers", str(workers),
            "--loop", "uvloop", "--http", "httptools",
            "--no-proxy-headers", "--no-server-header",
            "--timeout-graceful-shutdown", "10",
            "--log-config", str(settings.BASE_DIR / "newshub" / "uvicorn-logging.json"),
        ]  # fmt: skip
        if not env_bool("WEB_ACCESS_LOG", True):
            web.append("--no-access-log")
        become_subreaper()
        procs = {"web": subprocess.Popen(web, cwd=settings.BASE_DIR)}
        self.commands: dict[str, list[str]] = {}
        if not no_worker:
            self.commands = {
                "worker": [python, "manage.py", *worker_command()],
                "clock": [python, "manage.py", "clock"],
            }
            for name, command in self.commands.items():
                procs[name] = subprocess.Popen(command, cwd=settings.BASE_DIR)
        self.stdout.write(
            self.style.SUCCESS(f"Newshub is serving on http://{host}:{port}/ ")
            + "(admin at /admin/). Press Ctrl-C to stop."
        )
        self._supervise(procs)

    def _supervise(self, procs: dict[str, subprocess.Popen[bytes]]) -> None:
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exited: dict[str, float] = {}  # helper -> when it was seen gone
        while not stopping and procs["web"].poll() is None:
            time.sleep(0.3)
            for name, command in self.commands.items():
                if stopping or procs[name].poll() is None:
                    continue
                now = time.monotonic()
                if name not in exited:
                    exited[name] = now
                    self.stderr.write(
                        f"{name} exited with status {procs[name].returncode}; "
                        f"starting it again in {RESTART_SECONDS:g} s"
                    )
                elif now - exited[name] >= RESTART_SECONDS:
                    del exited[name]
                    procs[name] = subprocess.Popen(command, cwd=settings.BASE_DIR)
        for name, proc in procs.items():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            elif not stopping:
                self.stderr.write(f"{name} exited with status {proc.returncode}")
        for proc in procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        reap_orphans(timeout=10)
        if not stopping:
            sys.exit(1)
