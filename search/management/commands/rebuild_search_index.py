"""Rebuild the full-text index of every article, with a progress bar."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from search import services


class Command(BaseCommand):
    help = "Rebuild the search index of all articles."

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            width = 40
            filled = width * done // max(total, 1)
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(f"\r[{bar}] {done:,}/{total:,}", ending="")
            self.stdout.flush()

        count = services.rebuild(progress)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count:,} articles in {time.monotonic() - started:.1f}s."
            )
        )
