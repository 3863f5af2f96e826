"""Import a WordPress export (WXR) with its media, as one transaction."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from importers import download, services
from importers.wxr import ReaderFailed, WXRError


def _network(value: str) -> download.Network:
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(f"not an address or network: {value}") from None


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
        parser.add_argument(
            "--recover",
            action="store_true",
            help="read a file that is not well-formed XML with a recovering parser; "
            "the report lists exactly what it could not read",
        )
        media = parser.add_argument_group("downloading media from the old site")
        media.add_argument(
            "--download-media",
            action="store_true",
            help="fetch attachments and in-content images from the old site into "
            "--media-dir (default: var/wordpress-media/<site>/uploads); a second "
            "run fetches only what is missing",
        )
        media.add_argument(
            "--allow-private-addresses",
            nargs="*",
            type=_network,
            metavar="NETWORK",
            help="let downloads reach private, loopback or link-local addresses "
            "(all of them, or only the networks given, e.g. 10.0.0.0/8)",
        )
        media.add_argument("--download-workers", type=int, default=8)
        media.add_argument(
            "--download-max-mb", type=float, default=64, help="per file (default 64)"
        )
        media.add_argument(
            "--download-timeout",
            type=float,
            default=20,
            help="seconds to connect and for each read (default 20); a file "
            "gets at most six times as long",
        )

    def handle(self, *args, **options):
        path: Path = options["export"]
        media_dir: Path | None = options["media_dir"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if media_dir and not media_dir.is_dir() and not options["download_media"]:
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

        verbose = bool(options["verbosity"])
        try:
            with path.open("rb") as stream:
                report = services.import_wxr(
                    stream,
                    media_dir=media_dir,
                    dry_run=options["dry_run"],
                    progress=progress if verbose else None,
                    category_base=options["category_base"],
                    tag_base=options["tag_base"],
                    recover=options["recover"],
                    download_media=self._limits(options),
                    download_progress=self._bar(tty) if verbose else None,
                )
        except WXRError as exc:
            hint = ""
            if exc.recoverable and not options["recover"]:
                hint = (
                    " To import what can be read, run again with --recover: a "
                    "lenient parser skips what it cannot read and the report "
                    "lists each place."
                )
            raise CommandError(f"{path}: {exc}. Nothing was imported.{hint}") from None
        except (ReaderFailed, DatabaseError, OSError) as exc:
            if options["traceback"]:
                raise
            raise CommandError(
                f"{path}: the import stopped ({exc.__class__.__name__}: {exc}). "
                "Nothing was imported."
            ) from None
        if tty:
            self.stdout.write("")
        self.stdout.write(report.text())

    def _limits(self, options) -> download.Limits | None:
        if not options["download_media"]:
            return None
        timeout = options["download_timeout"]
        return download.Limits(
            max_bytes=int(options["download_max_mb"] * 2**20),
            timeout=timeout,
            deadline=timeout * 6,
            workers=options["download_workers"],
            allow_private=options["allow_private_addresses"],
        )

    def _bar(self, tty: bool):
        """A progress bar for the downloads (a line per 10% off a terminal)."""
        shown = [-1]

        def bar(done: int, total: int) -> None:
            share = done / total if total else 1.0
            filled = int(share * 30)
            line = f"media [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,}"
            if tty:
                self.stdout.write("\r" + line, ending="" if done < total else "\n")
                self.stdout.flush()
            elif int(share * 10) != shown[0]:
                shown[0] = int(share * 10)
                self.stdout.write(line)

        return bar
