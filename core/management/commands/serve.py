"""Run the production web server and the task worker side by side.

Ctrl-C (SIGINT) or SIGTERM stops both; if either exits, the other is stopped too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with gunicorn and run the task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2"))
        )
        parser.add_argument("--no-worker", action="store_true")

    def handle(self, *args, host: str, port: str, workers: int, no_worker: bool, **_):
        python = sys.executable
        web = [
            python, "-m", "gunicorn", "newshub.wsgi:application",
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            "--threads", os.environ.get("WEB_THREADS", "4"),
            "--access-logfile", "-",
            "--graceful-timeout", "10",
        ]  # fmt: skip
        procs = {"web": subprocess.Popen(web)}
        if not no_worker and apps.is_installed("audience"):
            from audience.tasks import start as start_audience_tasks

            start_audience_tasks()  # the periodic read flush and rankings
        if not no_worker and "DatabaseBackend" in settings.TASKS["default"]["BACKEND"]:
            worker = [python, "manage.py", "db_worker", "--queue-name", "*"]
            procs["worker"] = subprocess.Popen(worker)
        self.stdout.write(
            self.style.SUCCESS(f"Newshub is serving on http://{host}:{port}/ ")
            + "(admin at /admin/). Press Ctrl-C to stop."
        )
        self._supervise(procs)

    def _supervise(self, procs: dict[str, subprocess.Popen]) -> None:
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(p.poll() is None for p in procs.values()):
            time.sleep(0.3)
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
        if not stopping:
            sys.exit(1)
