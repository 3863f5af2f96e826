"""Run the audience app's periodic work now, or start its periodic chain."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from audience import services


class Command(BaseCommand):
    help = (
        "Flush the buffered reads and refresh Top 5 / Popular now (`manage.py "
        "clock` does it every AUDIENCE_FLUSH_SECONDS through audience.tasks.tick)."
    )

    def handle(self, *args, **options):
        result = services.flush_reads()
        changed = services.refresh_rankings()
        self.stdout.write(
            f"Flushed {result.received} reads ({result.counted} counted, "
            f"{result.repeats} repeats, {result.not_live} not live); rankings "
            f"{'changed' if changed else 'unchanged'}."
        )
