"""Enqueue the periodic tasks (settings.PERIODIC_TASKS) on their intervals.

Run exactly one clock per site, beside the task workers (`serve` starts one).
Every periodic task is safe to run twice, so a second clock or a restart costs
a little work, never a duplicate email or a double count.
"""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.tasks import Task
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (publishing sweep, digests, ...) on time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="enqueue each task once and exit"
        )

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        schedule: dict[Task[[], Any], int] = {
            import_string(path): seconds
            for path, seconds in settings.PERIODIC_TASKS.items()
        }
        due = dict.fromkeys(schedule, 0.0)
        running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running:
            now = time.monotonic()
            for periodic, when in due.items():
                if when <= now:
                    self._enqueue(periodic)
                    due[periodic] = now + schedule[periodic]
            if once:
                return
            time.sleep(max(0.2, min(min(due.values()) - time.monotonic(), 5)))

    def _enqueue(self, periodic: Task[[], Any]) -> None:
        try:
            periodic.enqueue()
        except Exception as error:  # noqa: BLE001 (queue down: say so, try later)
            self.stderr.write(f"clock: could not enqueue {periodic.name}: {error}")
        else:
            if self.verbosity > 1:
                self.stdout.write(f"clock: enqueued {periodic.name}")
