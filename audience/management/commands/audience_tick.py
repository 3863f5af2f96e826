"""Run the audience app's periodic work now, or start its periodic chain."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from audience import services, tasks


class Command(BaseCommand):
    help = (
        "Flush the buffered reads and refresh Top 5 / Popular now; with --start, "
        "enqueue the periodic task instead (manage.py serve does it; run it once "
        "per deploy when task workers are started on their own)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", action="store_true")

    def handle(self, *args, start: bool, **options):
        if start:
            tasks.start()
            self.stdout.write("Enqueued audience.tasks.tick (it runs again by itself).")
            return
        result = services.flush_reads()
        changed = services.refresh_rankings()
        self.stdout.write(
            f"Flushed {result.received} reads ({result.counted} counted, "
            f"{result.repeats} repeats, {result.not_live} not live); rankings "
            f"{'changed' if changed else 'unchanged'}."
        )
