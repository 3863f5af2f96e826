"""Cost of one write to the embedded file cache when it already holds 20,000
entries: Django's FileBasedCache against lib.filecache.FileBasedCache.

    .venv/bin/python bench/filecache.py [--entries 20000] [--writes 100]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--writes", type=int, default=100)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache.backends.filebased import FileBasedCache as Django

    from lib.filecache import FileBasedCache as Ours

    folder = tempfile.mkdtemp(prefix="newshub-filecache-")
    try:
        options = {"OPTIONS": {"MAX_ENTRIES": args.entries * 2}}
        ours, django_cache = Ours(folder, options), Django(folder, options)
        for i in range(args.entries):  # filled with ours: Django's would take long
            ours.set(f"fill-{i}", "x" * 2000, 3600)
        caches = [
            ("django", "Django's FileBasedCache", django_cache),
            ("ours", "lib.filecache.FileBasedCache", ours),
        ]
        for tag, name, cache in caches:
            started = time.perf_counter()
            for i in range(args.writes):
                cache.set(f"{tag}-{i}", "y" * 2000, 3600)
            per_write = (time.perf_counter() - started) / args.writes * 1000
            print(f"{name}: {per_write:.2f} ms a write at {args.entries:,} entries")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
