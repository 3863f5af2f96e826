"""Audience benchmarks on a large bench database (not the `make run` one).

    NEWSHUB_VAR_DIR=var/bench-100k .venv/bin/python bench/audience.py seed 100000
    NEWSHUB_VAR_DIR=var/bench-100k .venv/bin/python bench/audience.py reads 10000000
    NEWSHUB_VAR_DIR=var/bench-100k .venv/bin/python bench/audience.py rankings
    NEWSHUB_VAR_DIR=var/bench-100k .venv/bin/python bench/audience.py related-one
    NEWSHUB_VAR_DIR=var/bench-100k .venv/bin/python bench/audience.py related-rebuild

`seed` loads N demo articles (seed_demo, no comments; it also runs the full
Related Posts rebuild once). `reads` writes daily-counter rows directly, in bulk,
for R reads in all over the last 90 days: a few articles are read a lot (a
Zipf-like law), recent ones more than old ones. `rankings` times the refresh of
Top 5 This Week and Popular Articles. `related-one` times Related Posts for one
new article; `related-rebuild` a full rebuild, then measures precision@5 against
the demo clusters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
if "NEWSHUB_VAR_DIR" not in os.environ:
    sys.exit("Set NEWSHUB_VAR_DIR to a bench folder, e.g. var/bench-100k")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article  # noqa: E402
from audience import related, services  # noqa: E402
from audience.models import DailyReads  # noqa: E402


def seed(n: int) -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", articles=n, comments=0)
    print(f"seeded {n} articles in {time.perf_counter() - started:.0f} s")


def reads(total: int) -> None:
    rng = random.Random(2026)
    articles = list(
        Article.objects.published()
        .order_by("-published_at")
        .values_list("pk", flat=True)
    )
    today = timezone.localdate()
    DailyReads.objects.all().delete()
    # Zipf-like popularity by a random rank; newer articles are read more.
    weights = [
        (1 / (rank + 10)) * (1 / (1 + i / 5000))
        for i, rank in enumerate(rng.sample(range(len(articles)), len(articles)))
    ]
    scale = total / sum(weights)
    rows: dict[tuple[int, dt.date], int] = {}
    written = 0
    for pk, w in zip(articles, weights, strict=True):
        budget = max(1, round(w * scale))
        days = min(90, max(1, budget // 4))
        for d in range(days):
            day = today - dt.timedelta(days=min(89, int(rng.expovariate(1 / 12))))
            share = budget // days + (budget % days if d == 0 else 0)
            rows[(pk, day)] = rows.get((pk, day), 0) + share
            written += share
    table = DailyReads._meta.db_table
    started = time.perf_counter()
    items = list(rows.items())
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(items), 10_000):
            cursor.executemany(
                f"INSERT INTO {table} (article_id, day, count) VALUES (%s, %s, %s)",
                [(pk, day, n) for (pk, day), n in items[start : start + 10_000]],
            )
    print(
        f"wrote {len(items):,} daily rows holding {written:,} reads for "
        f"{len(articles):,} articles in {time.perf_counter() - started:.0f} s"
    )


def rankings() -> None:
    n_articles = Article.objects.count()
    n_reads = DailyReads.objects.total()
    n_rows = DailyReads.objects.count()
    for attempt in range(3):
        started = time.perf_counter()
        services.refresh_rankings()
        took = time.perf_counter() - started
        print(
            f"refresh {attempt + 1}: {took:.2f} s "
            f"({n_articles:,} articles, {n_rows:,} daily rows, {n_reads:,} reads)"
        )


def related_one() -> None:
    n = Article.objects.count()
    template = Article.objects.published().order_by("-published_at").first()
    fresh = Article.objects.create(
        headline=template.headline + " — new developments",
        slug=f"bench-new-article-{int(time.time())}",
        standfirst=template.standfirst,
        body=template.body,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
        category=template.category,
        author=template.author,
    )
    fresh.tags.set(template.tags.all())
    for attempt in range(3):
        started = time.perf_counter()
        lists = related.update_article(fresh.pk)
        print(
            f"one new article among {n:,}: {time.perf_counter() - started:.2f} s "
            f"(its list and {lists - 1} neighbours' lists), attempt {attempt + 1}"
        )
    fresh.delete()


def related_rebuild() -> None:
    from demo import content as demo

    n = Article.objects.count()
    started = time.perf_counter()
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 10 or done == total:
            last[0] = time.perf_counter()
            print(f"  {stage} {done}/{total} at {last[0] - started:.0f} s", flush=True)

    related.rebuild(progress)
    print(f"full rebuild of {n:,} articles: {time.perf_counter() - started:.0f} s")
    plan = demo.plan_articles(demo.DEFAULT_SEED, n)
    story = {s.slug: s.cluster.key for s in plan}
    subject = {s.slug: s.cluster.template.key for s in plan}
    from audience.tests.test_related import precision_at_5

    if all(slug in story for slug in Article.objects.values_list("slug", flat=True)):
        loose, count = precision_at_5(
            lambda a, b: story[a] == story[b] or subject[a] == subject[b]
        )
        strict, _ = precision_at_5(lambda a, b: story[a] == story[b])
        print(
            f"precision@5 over {count:,} live articles: story or subject "
            f"{loose:.3f}, same story {strict:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "what", choices=["seed", "reads", "rankings", "related-one", "related-rebuild"]
    )
    parser.add_argument("n", nargs="?", type=int)
    args = parser.parse_args()
    if args.what == "seed":
        seed(args.n or 100_000)
    elif args.what == "reads":
        reads(args.n or 10_000_000)
    elif args.what == "rankings":
        rankings()
    elif args.what == "related-one":
        related_one()
    else:
        related_rebuild()


if __name__ == "__main__":
    main()
