"""WordPress import speed and memory (import_wxr), on SQLite by default.

    .venv/bin/python bench/wxr.py EXPORT.xml [--sizes 2500,10000] [--heap]
        [--one-process] [--repeat N]

EXPORT.xml is a WordPress export, e.g. the benchmark peer's 10,000 posts and
50,000 comments (../shared/peers/wordpress: setup.sh, then export.sh EXPORT.xml).
For each size N the first N items of the file are imported into a fresh,
empty database in a child process (var/bench-wxr/N/), which reports the import's
wall time, posts/s and comments/s, its peak resident memory, and then the time
the search index needs for what was imported (the import hands that to the task
worker; here it is run in the same process afterwards). With --heap, a second
child per size measures the Python heap peak with tracemalloc (slower; not timed).

Exports of WXR_PARALLEL_MIN_MB or more are read and converted in a second
process (the reader); CPU time and peak RSS are given for the importing process
and the reader separately ("CPU s" is both), with the load average before and
after each run (the machine may be shared). --one-process reads in the
importing process too (WXR_PARALLEL_MIN_MB=-1); --repeat N runs each size N
times.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench-wxr"


def first_items(source: Path, count: int, target: Path) -> Path:
    """The export cut after `count` items (streamed: constant memory)."""
    with source.open("rb") as src, target.open("wb") as out:
        seen = 0
        for line in src:
            out.write(line)
            seen += line.count(b"</item>")
            if seen >= count:
                break
        out.write(b"\n</channel>\n</rss>\n")
    return target


def child(path: Path, heap: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from importers.services import import_wxr

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if heap:
        import tracemalloc

        tracemalloc.start()

    def cpu(who=resource.RUSAGE_SELF) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    started, cpu_started = time.perf_counter(), cpu()
    reader_started = cpu(resource.RUSAGE_CHILDREN)
    with path.open("rb") as stream:
        report = import_wxr(stream)
    seconds = time.perf_counter() - started
    main_cpu = cpu() - cpu_started
    reader_cpu = cpu(resource.RUSAGE_CHILDREN) - reader_started
    result = {
        "seconds": seconds,
        "cpu_seconds": main_cpu + reader_cpu,
        "main_cpu": main_cpu,
        "reader_cpu": reader_cpu,
        "reader_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "posts": sum(n for k, n in report.counts.items() if k.startswith("posts")),
        "comments": sum(
            n for k, n in report.counts.items() if k.startswith("comments")
        ),
        "rss_before_mb": baseline / 1024,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bytes": path.stat().st_size,
    }
    if heap:
        result["heap_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    else:
        from search.services import rebuild

        started = time.perf_counter()
        rebuild()
        result["index_seconds"] = time.perf_counter() - started
    print(json.dumps(result))


def run(path: Path, size: int, heap: bool, one_process: bool = False) -> dict:
    folder = WORK / f"{size}{'-heap' if heap else ''}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = {**os.environ, "NEWSHUB_VAR_DIR": str(folder)}
    for name in ("DATABASE_URL", "REDIS_URL"):  # the embedded default: SQLite
        env.pop(name, None)
    env["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"
    if one_process:
        env["WXR_PARALLEL_MIN_MB"] = "-1"
    args = [sys.executable, __file__, "--child", str(path)]
    if heap:
        args.append("--heap")
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    shutil.rmtree(folder, ignore_errors=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("export", type=Path)
    parser.add_argument("--sizes", default="2500,10000")
    parser.add_argument("--heap", action="store_true")
    parser.add_argument("--one-process", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.export, args.heap)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"{'posts':>7} {'comments':>9} {'MB':>6} {'s':>6} {'posts/s':>8} "
          f"{'comm./s':>8} {'CPU s':>6} {'main':>5} {'reader':>6} "
          f"{'posts/CPU s':>11} {'RSS MB':>7} {'reader':>6} {'index s':>8} "
          f"{'heap MB':>8}  load avg before/after")  # fmt: skip
    for size in [int(s) for s in args.sizes.split(",")]:
        cut = first_items(args.export, size, WORK / f"first-{size}.xml")
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            r = run(cut, size, heap=False, one_process=args.one_process)
            load_after = os.getloadavg()[0]
            heap = None
            if args.heap:
                heap = run(cut, size, True, args.one_process)["heap_peak_mb"]
            print(
                f"{r['posts']:>7,} {r['comments']:>9,} {r['bytes'] / 2**20:>6.1f} "
                f"{r['seconds']:>6.1f} {r['posts'] / r['seconds']:>8,.0f} "
                f"{r['comments'] / r['seconds']:>8,.0f} {r['cpu_seconds']:>6.1f} "
                f"{r['main_cpu']:>5.1f} {r['reader_cpu']:>6.1f} "
                f"{r['posts'] / r['cpu_seconds']:>11,.0f} {r['rss_peak_mb']:>7.0f} "
                f"{r['reader_rss_mb'] if r['reader_cpu'] else 0:>6.0f} "
                f"{r['index_seconds']:>8.1f} "
                + (f"{heap:>8.1f}" if heap is not None else f"{'-':>8}")
                + f"  {load:.1f}/{load_after:.1f}",
                flush=True,
            )
        cut.unlink()


if __name__ == "__main__":
    main()
