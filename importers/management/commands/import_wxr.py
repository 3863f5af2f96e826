"""Import a WordPress export (WXR) with its media, as one transaction."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importers import services
from importers.wxr import WXRError


class Command(BaseCommand):
    help = "Import a WordPress export (WXR 1.0-1.2): posts, pages, people, terms, "
    "comments, media and old links. Running it again updates in place."

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="the WXR file, e.g. site.xml")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="a copy of wp-content/uploads; files are taken from it by path",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report only, keep nothing"
        )
        parser.add_argument(
            "--category-base",
            default="category",
            help="the old site's category base, e.g. topics (default: category)",
        )
        parser.add_argument(
            "--tag-base", default="tag", help="the old site's tag base (default: tag)"
        )

    def handle(self, *args, **options):
        path: Path = options["export"]
        media_dir: Path | None = options["media_dir"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if media_dir and not media_dir.is_dir():
            raise CommandError(f"No such folder: {media_dir}")
        total = path.stat().st_size or 1
        tty = sys.stdout.isatty()
        shown = [-1]  # the last 16 MiB step shown (when not on a terminal)

        def progress(done: int, counts) -> None:
            posts = sum(n for k, n in counts.items() if k.startswith("posts"))
            comments = sum(n for k, n in counts.items() if k.startswith("comments"))
            line = f"{100 * done // total:3d}%  {posts:,} posts, {comments:,} comments"
            if tty:
                self.stdout.write("\r" + line, ending="")
                self.stdout.flush()
            elif done == total or done >> 24 != shown[0]:
                shown[0] = done >> 24
                self.stdout.write(line)

        try:
            with path.open("rb") as stream:
                report = services.import_wxr(
                    stream,
                    media_dir=media_dir,
                    dry_run=options["dry_run"],
                    progress=progress if options["verbosity"] else None,
                    category_base=options["category_base"],
                    tag_base=options["tag_base"],
                )
        except WXRError as exc:
            raise CommandError(f"{path}: {exc}. Nothing was imported.") from None
        if tty:
            self.stdout.write("")
        self.stdout.write(report.text())
