"""Recompute every article's Related Posts from scratch, with a progress bar."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from audience import related

STAGES = {
    "terms": "1/3 counting terms",
    "vectors": "2/3 vectors",
    "related": "3/3 related",
}


class Command(BaseCommand):
    help = "Recompute Related Posts for every article (TF-IDF, from scratch)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="Print no progress bar."
        )

    def handle(self, *args, no_progress: bool, **options):
        started = time.monotonic()
        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            if no_progress or (now - last[0] < 0.2 and done < total):
                return
            last[0] = now
            width = 30
            filled = width * done // max(total, 1)
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(
                f"\r{STAGES[stage]:<20} [{bar}] {done:>7}/{total} "
                f"{now - started:6.1f} s",
                ending="\n" if done >= total else "",
            )
            if hasattr(self.stdout, "flush"):
                self.stdout.flush()

        count = related.rebuild(progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Related Posts rebuilt for {count} articles in "
                f"{time.monotonic() - started:.1f} s."
            )
        )
        sys.stdout.flush()
