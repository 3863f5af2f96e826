"""Write the site's branded error pages as static files, for the reverse
proxy to serve when no web worker answers (deploy/nginx.conf)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template import loader

from core.models import SiteSettings

PAGES = ["503.html"]


class Command(BaseCommand):
    help = "Render the error pages the proxy serves (503.html) into DIRECTORY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        context = {"site_name": SiteSettings.load().site_name}
        for name in PAGES:
            try:
                html = loader.render_to_string(name, context)
            except ValueError as exc:  # no static files manifest yet
                raise CommandError(
                    f"{exc}: run `manage.py collectstatic` (bootstrap does) first."
                ) from None
            target = directory / name
            partial = target.with_suffix(".tmp")
            partial.write_text(html, encoding="utf-8")
            partial.replace(target)  # the proxy never reads half a file
        if options["verbosity"] > 1:
            self.stdout.write(f"Wrote {', '.join(PAGES)} into {directory}")
