"""Does an uncached page cost more on a bigger archive? Server CPU per page,
in-process, at 10,000 articles / 50,000 comments and at 100,000 / 500,000
(the same density of stories a day, over ten times the years).

    .venv/bin/python bench/flatness.py [--sizes 10000:50000,100000:500000]
                                        [--requests 200] [--rounds 3]

Each size gets its own data folder (var/bench-flat-<articles>/, seeded once
with `seed_demo`, then ANALYZE as the hourly task does). The pages: home, the
newest article with comments, the biggest main section, the most used tag,
the author with most stories, and /feed/, each requested through Django's
test client with the page cache off (PAGE_CACHE_SECONDS=0), in two modes:
"fragments" (what a page-cache miss costs: fragments stored, as after an edit
outdated the page) and "cold" (FRAGMENT_CACHE_SECONDS=0: every page rendered
whole). The figure is time.process_time() per request (the database is
SQLite, in this process): the median of `--rounds` rounds, interleaved across
sizes, so that a busy spell of the machine touches both. Prints a Markdown
table with the ratio big / small.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PAGES = ("home", "article", "section", "tag", "author", "feed")
DAYS_PER_10K = 365


def folder(articles: int) -> Path:
    return ROOT / "var" / f"bench-flat-{articles}"


def environment(articles: int) -> dict[str, str]:
    skipped = ("DATABASE_URL", "REDIS_URL")  # SQLite, in this process
    env = {k: v for k, v in os.environ.items() if k not in skipped}
    env |= {
        "NEWSHUB_VAR_DIR": str(folder(articles)),
        "DJANGO_SETTINGS_MODULE": "newshub.settings",
        "NEWSHUB_ADMIN_PASSWORD": "bench-only-password",
        "PAGE_CACHE_SECONDS": "0",
    }
    return env


def seed(articles: int, comments: int) -> None:
    done = folder(articles) / f"seeded-{articles}-{comments}"
    if done.exists():
        return
    folder(articles).mkdir(parents=True, exist_ok=True)
    env = environment(articles)
    days = max(30, articles * DAYS_PER_10K // 10_000)
    started = time.monotonic()
    run = [PY, "manage.py"]
    subprocess.run([*run, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*run, "seed_demo", f"--articles={articles}", f"--comments={comments}",
         f"--days={days}", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    subprocess.run(
        [*run, "shell", "-c", "import core.tasks as t; t.refresh_planner_statistics()"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(
        f"seeded {articles:,} articles, {comments:,} comments over {days} days "
        f"in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )
    done.touch()


def prepare(articles: int) -> None:
    """The schema and static files of this checkout, and fresh planner
    statistics (SQLite drops a table's when a migration rebuilds it)."""
    env, run = environment(articles), [PY, "manage.py"]
    for command in (["migrate"], ["collectstatic", "--noinput"]):
        subprocess.run([*run, *command, "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*run, "shell", "-c", "import core.tasks as t; t.refresh_planner_statistics()"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def measure(requests: int) -> dict[str, dict[str, float]]:
    """In a process of one size: CPU ms per request, per page and mode."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from articles.models import Article, Author, Category, Tag
    from core.models import SiteSettings

    with timezone.override(SiteSettings.load().tzinfo):
        article = (
            Article.objects.published().filter(comment_count__gte=5).first()
            or Article.objects.published().first()
        )
        assert article is not None, "no published article"
        article_url = article.get_absolute_url()
    section = (
        Category.objects.filter(parent__isnull=True)
        .annotate(n=Count("articles"))
        .order_by("-n")
        .first()
    )
    tag = Tag.objects.annotate(n=Count("articles")).order_by("-n").first()
    author = Author.objects.annotate(n=Count("articles")).order_by("-n").first()
    assert section and tag and author
    urls = {
        "home": "/",
        "article": article_url,
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "feed": "/feed/",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    found: dict[str, dict[str, float]] = {}
    for mode, seconds in (("fragments", 7 * 86_400), ("cold", 0)):
        settings.FRAGMENT_CACHE_SECONDS = seconds
        found[mode] = {}
        for url in urls.values():  # warm: fragments stored, statements prepared
            for _ in range(20):
                assert client.get(url).status_code == 200, url
        for page, url in urls.items():
            started = time.process_time()
            for _ in range(requests):
                client.get(url)
            found[mode][page] = (time.process_time() - started) / requests * 1000
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000:50000,100000:500000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options.requests)))
        return
    sizes = [tuple(int(n) for n in s.split(":")) for s in options.sizes.split(",")]
    for articles, comments in sizes:
        seed(articles, comments)
        prepare(articles)
    rounds: dict[int, list[dict[str, dict[str, float]]]] = {a: [] for a, _ in sizes}
    for _ in range(options.rounds):
        for articles, _comments in sizes:  # interleaved: noise touches every size
            out = subprocess.run(
                [PY, __file__, "--measure", f"--requests={options.requests}"],
                cwd=ROOT, env=environment(articles), check=True,
                capture_output=True, text=True,
            )  # fmt: skip
            rounds[articles].append(json.loads(out.stdout.strip().splitlines()[-1]))

    def median(articles: int, mode: str, page: str) -> float:
        return statistics.median(r[mode][page] for r in rounds[articles])

    (small, small_comments), (big, big_comments) = sizes[0], sizes[-1]
    print(
        f"CPU ms per uncached request, median of {options.rounds} rounds of "
        f"{options.requests}; {os.cpu_count()} cores, load "
        f"{os.getloadavg()[0]:.1f}; SQLite.\n"
    )
    print(
        f"| page | fragments, {small:,} / {small_comments:,} | "
        f"fragments, {big:,} / {big_comments:,} | ratio | cold, {small:,} | "
        f"cold, {big:,} | ratio |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for page in PAGES:
        cells = []
        for mode in ("fragments", "cold"):
            a, b = median(small, mode, page), median(big, mode, page)
            cells += [f"{a:.1f}", f"{b:.1f}", f"{b / a:.2f}×"]
        print(f"| {page} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
