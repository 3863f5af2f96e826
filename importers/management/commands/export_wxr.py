"""Write the whole site as a WordPress export (WXR 1.2)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from importers import services


class Command(BaseCommand):
    help = "Export articles, pages, authors, terms and comments as WXR 1.2, for "
    "WordPress's importer (Tools > Import > WordPress)."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="the file to write, e.g. site.xml")

    def handle(self, *args, **options):
        out: Path = options["out"]
        partial = out.with_name(out.name + ".part")
        with partial.open("w", encoding="utf-8") as stream:
            counts = services.export_wxr(stream)
        partial.replace(out)  # never a half-written export under the real name
        summary = ", ".join(f"{k}: {n:,}" for k, n in sorted(counts.items()))
        self.stdout.write(f"Wrote {out}: {summary or 'nothing to export'}.")
