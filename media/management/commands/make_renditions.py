"""Make the renditions of the library's images that have none for their
focal point (after the migration from the old image fields, or a change of
SHAPES): queued for the task worker, or made here with --now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from media import renditions, services, tasks


class Command(BaseCommand):
    help = "Make the missing renditions of the media library's images."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Make them here, not in the worker."
        )

    def handle(self, *args: Any, now: bool = False, **options: Any) -> None:
        count = 0
        for image_id in list(services.iter_missing()):
            if now:
                renditions.make_renditions(image_id)
            else:
                tasks.make_renditions.enqueue(image_id)
            count += 1
        if options.get("verbosity", 1) > 0:
            verb = "Made" if now else "Queued"
            self.stdout.write(f"{verb} the renditions of {count} image(s).")
