"""The page cache under a newsroom's traffic: reads, publishing and comments at once.

The issue: publishing one story must not empty the cache of the other pages,
only the pages that list or show it change; the ranking blocks (Top 5,
Popular, Related) may be as old as their refresh interval, everything else at
most 10 s. This benchmark runs that mix and checks both:

    .venv/bin/python bench/newsmix.py [--minutes 10] [--articles 10000] \
        [--readers 16] [--proxy] [--seed 1]

* Data: its own folder, var/bench-newsmix/ (NEWSHUB_VAR_DIR), seeded once by
  `manage.py bootstrap --articles N` (a marker file `seeded-N` keeps it for
  the next run; another N starts afresh). The page cache is emptied before
  each run, so every run starts cold.
* Server: `manage.py serve --no-worker` (the embedded defaults: SQLite, the
  file cache, the ASGI fast lane; no access log) in its own process group.
  With --proxy, nginx in front (scripts/proxy.sh, as deploy/nginx.conf) and
  the reads go through it.
* Readers (--readers threads, keep-alive connections): 80% article pages,
  Zipf-distributed (s=1.1) over the newest 500 live articles, newest first
  (a newly published story becomes rank 1); 10% any live article, uniformly
  (the long tail); 10% lists: the home page, a section, one of the 20
  biggest tags, an author and /feed/, 2% each. A read is a hit when
  X-Page-Cache says hit or stale (through nginx also when X-Cache says HIT,
  STALE, UPDATING or REVALIDATED); only 200s are counted, other statuses are
  reported.
* Editor (one thread, Django in this process on the same database, cache
  and tag folder, so the invalidation receivers of reader/signals.py run
  exactly as for a save in the admin): a story every 60 s ("Newsmix story #N
  at <epoch>", published in a random section by a random author with two of
  the read tags), and every 5 s a comment approved on one of the 20
  most-read articles ("Newsmix comment #N at <epoch>", created pending, then
  comments.services.set_status; a reply to the discussion's first thread,
  so that it is on the first page of comments, the one readers get). The
  moment each change committed is kept.
* Staleness: a read sent at t of a page that should show a change committed
  at c < t and does not is t - c behind (the oldest change it misses). The
  home page, /feed/, and the story's section (and parent sections), author
  and tag lists must show each new story; an article page its newest
  approved comment. Only the main content is checked: the Top 5, Popular and
  Related blocks are cut out first (they may lag). Comment counts on the
  list pages' cards are measured too, and reported beside the gate.
* Evidence for a failed run: why each miss happened (first read of the
  run, expired after PAGE_CACHE_SECONDS, a change to that page, or none of
  these: eviction or a broader invalidation), the tags each change bumped
  (lib.pagecache.invalidate, wrapped in this process only) and whether SITE
  was bumped, the file cache's entries against CACHE_MAX_ENTRIES, the hit
  ratio minute by minute, and the reads furthest behind.

The report is printed and written to var/bench-newsmix/results-<UTC>.md. The
exit status is 1 when the hit ratio is under 97% or a read was more than
10 s behind (the reasons are printed), so the run can serve as a check.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import http.client
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-newsmix"
PY = str(ROOT / ".venv" / "bin" / "python")

HOT_ARTICLES = 500  # the Zipf reads go to the newest this many live articles
ZIPF_S = 1.1
MIX = (
    ("article", 0.80),
    ("tail", 0.10),
    ("home", 0.02),
    ("section", 0.02),
    ("tag", 0.02),
    ("author", 0.02),
    ("feed", 0.02),
)
KINDS = tuple(kind for kind, _share in MIX)
LIST_KINDS = ("home", "section", "tag", "author", "feed")
READ_TAGS = 20  # tag pages read: the biggest tags
PUBLISH_EVERY = 60.0
APPROVE_EVERY = 5.0
COMMENTED_RANKS = 20  # comments go to the most-read articles (Zipf over these)
STALE_LIMIT = 10.0
HIT_TARGET = 0.97
USER_AGENT = "newsmix-bench/1 (python http.client)"
#: nginx's X-Cache values that mean the page came from its cache.
PROXY_HITS = {"HIT", "STALE", "UPDATING", "REVALIDATED"}

STORY_RE = re.compile(r"Newsmix story #\d+ at \d+")
COMMENT_RE = re.compile(r"Newsmix comment #\d+ at \d+")
MAIN_RE = re.compile(r"<main\b.*?</main>", re.S)
#: The blocks allowed to lag (templates/includes/top_week.html,
#: popular_articles.html, related_posts.html): no nested <section> inside.
RANKING_BLOCK_RE = re.compile(
    r'<section class="block (?:top-week|popular|related)".*?</section>', re.S
)
#: A teaser (templates/includes/article_card.html): its link and meta line.
CARD_RE = re.compile(
    r'<h3 class="card__title"><a href="([^"]+)">.*?<p class="meta">(.*?)</p>', re.S
)
COUNT_RE = re.compile(r"(\d+) comments?</a>")


# -- Processes ----------------------------------------------------------------


def bench_env(**extra: str) -> dict[str, str]:
    """The environment of every process of the run: the embedded mode on
    var/bench-newsmix/ (anything else set in the shell, e.g.
    PAGE_CACHE_SECONDS or CACHE_MAX_ENTRIES, is passed on)."""
    env = {
        **os.environ,
        "NEWSHUB_VAR_DIR": str(VAR),
        "NEWSHUB_ADMIN_PASSWORD": "bench-only-password",
        "DJANGO_SETTINGS_MODULE": "newshub.settings",
        **extra,
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def manage(*args: str) -> None:
    """Run a manage.py command, its output appended to var/bench-newsmix/setup.log."""
    with open(VAR / "setup.log", "a") as log:
        subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=bench_env(), check=True,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip


def prepare_data(articles: int) -> None:
    """Seed N articles once (kept for the next run by a marker file; another
    N starts from an empty folder), then apply any newer migrations; empty
    the page caches so the run starts cold."""
    marker = VAR / f"seeded-{articles}"
    if not marker.exists():
        for old in VAR.iterdir():  # another size: start afresh, keep the results
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            elif not old.name.startswith("results-"):
                old.unlink()
        print(f"seeding {articles:,} articles into {VAR} (once) ...", flush=True)
        started = time.monotonic()
        manage("bootstrap", "--articles", str(articles))
        print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
        marker.touch()
    manage("bootstrap", "--no-demo")
    shutil.rmtree(VAR / "cache", ignore_errors=True)
    shutil.rmtree(VAR / "proxy" / "cache", ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, what: str) -> None:
    """Wait for /healthz/ to answer on 127.0.0.1:port."""
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer on port {port}; see {VAR}")


def start_server(port: int, proxy: bool) -> subprocess.Popen[bytes]:
    """`manage.py serve --no-worker` in its own process group."""
    env = bench_env(WEB_ACCESS_LOG="false")
    if proxy:
        env["TRUSTED_PROXY_COUNT"] = "1"
    with open(VAR / "serve.log", "ab") as log:
        proc = subprocess.Popen(
            [PY, "manage.py", "serve", "--no-worker", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    wait_until_up(port, "manage.py serve")
    return proc


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """SIGINT to serve's process group (it stops uvicorn), SIGKILL if it hangs."""
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def proxy_env(listen: int, upstream: int) -> dict[str, str]:
    return bench_env(
        PROXY_DIR=str(VAR / "proxy"),
        PROXY_LISTEN=f"127.0.0.1:{listen}",
        UPSTREAMS=f"127.0.0.1:{upstream}",
    )


def proxy(command: str, env: dict[str, str]) -> None:
    """scripts/proxy.sh start|stop, its output in var/bench-newsmix/setup.log
    (a failed start stops the run; a failed stop is only reported)."""
    with open(VAR / "setup.log", "a") as log:
        done = subprocess.run(
            [str(ROOT / "scripts" / "proxy.sh"), command], cwd=ROOT, env=env,
            check=command == "start", stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    if done.returncode:
        print(f"scripts/proxy.sh {command} failed: see {VAR / 'setup.log'}")


# -- The site, through Django in this process ---------------------------------


def setup_django() -> None:
    """Django on the same database, cache and tag folder as the server."""
    os.environ.update(bench_env())
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@dataclass
class Site:
    """What the readers read and the editor writes to. The editor replaces
    `hot` (newest first) and appends to `everything`; readers only read."""

    hot: list[tuple[str, int]]  # (path, pk) of the newest live articles
    everything: list[str]  # every live article's path
    sections: list[str]
    tags: list[str]
    authors: list[str]
    category_paths: dict[int, list[str]]  # a category's list and its parents'
    author_paths: dict[int, str]
    tag_paths: dict[int, str]  # the READ_TAGS tags read
    tz: Any
    articles: int
    comments: int
    page_cache_seconds: int
    max_entries: int
    proxy_cache_seconds: int


def load_site() -> Site:
    """Paths of the live articles and of the lists, from the database."""
    from django.conf import settings
    from django.db.models import Count, Q
    from django.utils import timezone

    from articles.models import Article, Author, Category, Tag
    from comments.models import Comment
    from core.models import SiteSettings

    tz = SiteSettings.load().tzinfo
    with timezone.override(tz):
        rows = Article.objects.published().newest_first()
        live = [
            (Article.permalink(published_at, slug), pk)
            for pk, slug, published_at in rows.values_list("pk", "slug", "published_at")
        ]
        categories = list(Category.objects.all())
        parents = Category.parents()
        by_id = {c.pk: c.get_absolute_url() for c in categories}
        tags = Tag.objects.annotate(
            live=Count("articles", filter=Q(articles__status=Article.Status.PUBLISHED))
        ).order_by("-live", "pk")[:READ_TAGS]
        authors = list(Author.objects.all())
        return Site(
            hot=live[:HOT_ARTICLES],
            everything=[path for path, _pk in live],
            sections=sorted(by_id.values()),
            tags=[t.get_absolute_url() for t in tags],
            authors=[a.get_absolute_url() for a in authors],
            category_paths={
                c.pk: [by_id[i] for i in Category.ancestor_ids(c.pk, parents)]
                for c in categories
            },
            author_paths={a.pk: a.get_absolute_url() for a in authors},
            tag_paths={t.pk: t.get_absolute_url() for t in tags},
            tz=tz,
            articles=Article.objects.count(),
            comments=Comment.objects.count(),
            page_cache_seconds=settings.PAGE_CACHE_SECONDS,
            max_entries=settings.CACHES["default"]
            .get("OPTIONS", {})
            .get("MAX_ENTRIES", 0),
            proxy_cache_seconds=settings.PROXY_CACHE_SECONDS,
        )


# -- Changes and how far behind a page is ---------------------------------------


@dataclass(frozen=True)
class Change:
    marker: str
    committed: float  # time.time() when its transaction had committed
    began: float  # when the editor began it (receivers invalidate before commit)


class Changes:
    """The editor's changes by the path of each page that must show them, in
    commit order; and, per article, its approved-comment count after each
    approval (what its cards on the lists must show)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_path: dict[str, list[Change]] = {}
        self.counts: dict[str, list[tuple[int, float]]] = {}
        self.stories: list[Change] = []
        self.comments: list[Change] = []
        self.errors: list[str] = []
        #: The page-cache tags each change bumped (watch_invalidations).
        self.bumping: set[str] = set()
        self.bumps: dict[str, list[set[str]]] = {"story": [], "comment": []}

    def add(self, paths: list[str], change: Change, kind: str) -> None:
        with self.lock:
            for path in dict.fromkeys(paths):
                self.by_path.setdefault(path, []).append(change)
            (self.stories if kind == "story" else self.comments).append(change)

    def add_count(self, path: str, count: int, committed: float) -> None:
        with self.lock:
            self.counts.setdefault(path, []).append((count, committed))

    def of(self, path: str) -> list[Change]:
        with self.lock:
            return list(self.by_path.get(path, ()))

    def changed_between(self, path: str, start: float, end: float) -> bool:
        """Whether a change of the page was under way between start and end
        (invalidate_on_commit bumps the tags before the commit too)."""
        return any(c.began < end and c.committed > start for c in self.of(path))

    def count_history(self, path: str) -> list[tuple[int, float]]:
        with self.lock:
            return list(self.counts.get(path, ()))


def main_content(html: str) -> str:
    """The page's <main> without the blocks allowed to lag."""
    found = MAIN_RE.search(html)
    return RANKING_BLOCK_RE.sub("", found.group(0) if found else html)


def behind(changes: list[Change], shown: set[str], sent: float) -> float:
    """Seconds a page read at `sent` is behind: of the changes committed
    before it, those after the newest one it shows are missing; the oldest
    of them counts."""
    due = [c for c in changes if c.committed < sent]
    newest_shown = max((i for i, c in enumerate(due) if c.marker in shown), default=-1)
    if newest_shown + 1 < len(due):
        return sent - due[newest_shown + 1].committed
    return 0.0


def counts_behind(html: str, changes: Changes, sent: float) -> float | None:
    """Seconds the comment counts on a list's cards are behind (None: no card
    of a commented article on the page)."""
    worst: float | None = None
    for path, meta in CARD_RE.findall(html):
        history = changes.count_history(path)
        if not history:
            continue
        found = COUNT_RE.search(meta)
        shown = int(found.group(1)) if found else 0
        lag = next((sent - c for n, c in history if c < sent and n > shown), 0.0)
        worst = lag if worst is None else max(worst, lag)
    return worst


# -- Readers ------------------------------------------------------------------


@dataclass
class KindStats:
    reads: int = 0  # 200s
    hits: int = 0
    stale: list[float] = field(default_factory=list)  # one per 200, 0 = current
    latency: list[float] = field(default_factory=list)
    showed_marker: int = 0  # reads where a marker of this run was found
    statuses: Counter[int] = field(default_factory=Counter)
    proxy_states: Counter[str] = field(default_factory=Counter)
    misses: Counter[str] = field(default_factory=Counter)  # by reason

    def merge(self, other: KindStats) -> None:
        self.reads += other.reads
        self.hits += other.hits
        self.stale += other.stale
        self.latency += other.latency
        self.showed_marker += other.showed_marker
        self.statuses += other.statuses
        self.proxy_states += other.proxy_states
        self.misses += other.misses


@dataclass
class ReaderStats:
    kinds: dict[str, KindStats] = field(
        default_factory=lambda: {k: KindStats() for k in KINDS}
    )
    by_minute: dict[int, list[int]] = field(default_factory=dict)  # [reads, hits]
    count_lag: list[float] = field(default_factory=list)
    worst: list[tuple[float, str, str, str]] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)  # "other" misses
    errors: int = 0


class Mix:
    """Picks the next page to read."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.cum_shares = [sum(s for _k, s in MIX[: i + 1]) for i in range(len(MIX))]
        weights = [1 / rank**ZIPF_S for rank in range(1, HOT_ARTICLES + 1)]
        self.zipf = [sum(weights[: i + 1]) for i in range(len(weights))]

    def zipf_rank(self, rng: random.Random, ranks: int) -> int:
        """A rank in [0, ranks), Zipf-distributed (0 most likely)."""
        ranks = min(ranks, len(self.zipf))
        return bisect.bisect_left(
            self.zipf, rng.random() * self.zipf[ranks - 1], 0, ranks
        )

    def pick(self, rng: random.Random) -> tuple[str, str]:
        kind = rng.choices(KINDS, cum_weights=self.cum_shares)[0]
        site = self.site
        if kind == "article":
            hot = site.hot
            return kind, hot[self.zipf_rank(rng, len(hot))][0]
        if kind == "tail":
            return kind, rng.choice(site.everything)
        if kind == "home":
            return kind, "/"
        if kind == "feed":
            return kind, "/feed/"
        choices = {"section": site.sections, "tag": site.tags, "author": site.authors}
        return kind, rng.choice(choices[kind])


class Reader(threading.Thread):
    """One reader: reads pages back to back on a keep-alive connection."""

    def __init__(self, number: int, port: int, mix: Mix, check: Checker, args: Any):
        super().__init__(name=f"reader-{number}", daemon=True)
        self.port, self.mix, self.check = port, mix, check
        self.rng = random.Random(f"{args.seed}-{number}")
        self.stats = ReaderStats()
        self.stop = check.stop

    def run(self) -> None:
        conn: http.client.HTTPConnection | None = None
        while not self.stop.is_set():
            kind, path = self.mix.pick(self.rng)
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            sent = time.time()
            try:
                conn.request("GET", path, headers={"User-Agent": USER_AGENT})
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                self.stats.errors += 1
                conn.close()
                conn = None
                continue
            if response.will_close:
                conn.close()
                conn = None
            self.check.record(self.stats, kind, path, sent, response, body)
        if conn is not None:
            conn.close()


class Checker:
    """Judges each read: hit or miss (and why a miss), how far behind."""

    def __init__(self, site: Site, changes: Changes, started: float) -> None:
        self.site, self.changes, self.started = site, changes, started
        self.stop = threading.Event()
        self.lock = threading.Lock()
        #: path -> when the last miss that rebuilt it was sent, and answered
        self.built: dict[str, tuple[float, float]] = {}
        self.built_before: dict[str, tuple[float, float]] = {}
        self.last_read: dict[str, float] = {}  # path -> when it was last read

    def record(
        self,
        stats: ReaderStats,
        kind: str,
        path: str,
        sent: float,
        response: http.client.HTTPResponse,
        body: bytes,
    ) -> None:
        done = time.time()
        with self.lock:
            previous = self.last_read.get(path)
            self.last_read[path] = sent
        ks = stats.kinds[kind]
        ks.statuses[response.status] += 1
        if response.status != 200:
            return
        page_state = (response.getheader("X-Page-Cache") or "-").lower()
        proxy_state = (response.getheader("X-Cache") or "").upper()
        hit = proxy_state in PROXY_HITS or page_state in ("hit", "stale")
        ks.reads += 1
        ks.hits += hit
        ks.latency.append(done - sent)
        if proxy_state:
            ks.proxy_states[proxy_state] += 1
        if not hit:
            reason = self.miss_reason(path, sent, done)
            ks.misses[reason] += 1
            if reason == "other" and len(stats.unexplained) < 5:
                made = self.built_before.get(path)
                stats.unexplained.append(
                    f"{kind} {path} at {sent - self.started:.1f} s, X-Page-Cache "
                    f"{page_state}, previous miss sent at "
                    f"{(made or (0, 0))[0] - self.started:.1f} s"
                )
        minute = stats.by_minute.setdefault(int((sent - self.started) // 60), [0, 0])
        minute[0] += 1
        minute[1] += hit
        lag = self.staleness(stats, kind, path, sent, body)
        ks.stale.append(lag)
        if lag > 1.0:
            state = f"{proxy_state or '-'}/{page_state}"
            if previous is not None:
                state += f", the page's previous read {sent - previous:.1f} s before"
            stats.worst.append((lag, kind, path, state))
            stats.worst = sorted(stats.worst, reverse=True)[:5]

    def miss_reason(self, path: str, sent: float, done: float) -> str:
        """cold: first read of the run; concurrent: another reader's miss
        was rebuilding it at the same time (a page never stored has no copy
        to serve meanwhile); expired: made PAGE_CACHE_SECONDS ago; changed: a
        change to it committed since it was made; other: none of these
        (evicted, or invalidated by something else)."""
        with self.lock:
            made = self.built.get(path)
            self.built[path] = (sent, done)
            if made is not None:
                self.built_before[path] = made
        if made is None:
            return "cold"
        began, stored = made
        if sent < stored:
            return "concurrent"
        if sent - began >= self.site.page_cache_seconds - 1:
            return "expired"
        # A change under way while the copy was made may outdate it; one
        # begun before this request was answered may have caused the miss.
        if self.changes.changed_between(path, began - 1, done):
            return "changed"
        return "other"

    def staleness(
        self, stats: ReaderStats, kind: str, path: str, sent: float, body: bytes
    ) -> float:
        """How far behind this page is (and, for lists, its comment counts)."""
        changes = self.changes.of(path)
        is_list = kind in LIST_KINDS
        if not changes and not (is_list and self.changes.counts):
            return 0.0
        html = body.decode("utf-8", "replace")
        content = html if kind == "feed" else main_content(html)
        pattern = COMMENT_RE if kind in ("article", "tail") else STORY_RE
        shown = set(pattern.findall(content))
        if shown & {c.marker for c in changes}:
            stats.kinds[kind].showed_marker += 1
        if is_list and kind != "feed":
            count_lag = counts_behind(content, self.changes, sent)
            if count_lag is not None:
                stats.count_lag.append(count_lag)
        return behind(changes, shown, sent)


# -- Editor -------------------------------------------------------------------


class CommitTime:
    """When a transaction committed: its first on_commit callback, which runs
    right after COMMIT and before the invalidations registered after it."""

    at = 0.0

    def mark(self) -> None:
        self.at = time.time()


class Editor(threading.Thread):
    """Publishes a story every PUBLISH_EVERY s and approves a comment every
    APPROVE_EVERY s, through Django in this process."""

    def __init__(self, site: Site, changes: Changes, mix: Mix, stop: Any, args: Any):
        super().__init__(name="editor", daemon=True)
        self.site, self.changes, self.mix, self.stop = site, changes, mix, stop
        self.rng = random.Random(f"{args.seed}-editor")
        self.stories = self.comments = 0
        self.seconds: list[float] = []  # how long each change took to commit

    def run(self) -> None:
        from django.db import connection

        start = time.time()
        next_story = start + PUBLISH_EVERY / 2
        next_comment = start + APPROVE_EVERY / 2
        try:
            while not self.stop.wait(
                max(0.0, min(next_story, next_comment) - time.time())
            ):
                story = next_story <= next_comment
                began = time.time()
                self.changes.bumping = set()
                try:
                    if story:
                        self.publish_story()
                    else:
                        self.approve_comment()
                except Exception:  # noqa: BLE001 - reported, and the run goes on
                    self.changes.errors.append(traceback.format_exc(limit=3))
                self.seconds.append(time.time() - began)
                kind = "story" if story else "comment"
                self.changes.bumps[kind].append(self.changes.bumping)
                if story:
                    next_story += PUBLISH_EVERY
                else:
                    next_comment += APPROVE_EVERY
        finally:
            connection.close()

    def publish_story(self) -> None:
        """A new story, saved as the admin saves one (then announced)."""
        from django.db import transaction
        from django.utils import timezone

        from articles.models import Article
        from articles.services import announce

        began = time.time()
        self.stories += 1
        site, rng = self.site, self.rng
        epoch = int(time.time())
        marker = f"Newsmix story #{self.stories} at {epoch}"
        category = rng.choice(sorted(site.category_paths))
        author = rng.choice(sorted(site.author_paths))
        tags = rng.sample(sorted(site.tag_paths), k=min(2, len(site.tag_paths)))
        committed = CommitTime()
        with transaction.atomic():
            transaction.on_commit(committed.mark)  # first: before the receivers'
            article = Article(
                headline=marker,
                slug=f"newsmix-story-{epoch}-{self.stories}",
                standfirst="A story the newsmix benchmark published.",
                body="<p>Filed by the newsmix benchmark's editor.</p>",
                status=Article.Status.PUBLISHED,
                published_at=timezone.now(),
                category_id=category,
                author_id=author,
            )
            article.save()
            article.tags.set(tags)
            announce(article)
        with timezone.override(site.tz):
            path = article.get_absolute_url()
        lists = [
            "/",
            "/feed/",
            *site.category_paths[category],
            site.author_paths[author],
        ]
        lists += [site.tag_paths[t] for t in tags]
        self.changes.add(lists, Change(marker, committed.at, began), "story")
        site.hot = [(path, article.pk), *site.hot][:HOT_ARTICLES]
        site.everything.append(path)

    def approve_comment(self) -> None:
        """A comment on a most-read article, created pending, then approved.
        With oldest threads first it replies to the first thread, so that it
        shows on the first page of the discussion, which the readers get."""
        from django.db import transaction

        from articles.models import Article
        from comments.models import Comment, DiscussionSettings
        from comments.services import set_status

        began = time.time()
        self.comments += 1
        hot = self.site.hot
        path, pk = hot[self.mix.zipf_rank(self.rng, min(COMMENTED_RANKS, len(hot)))]
        article = Article.objects.get(pk=pk)
        parent = None
        if not DiscussionSettings.load().newest_first:
            threads = Comment.objects.approved().on(article).threads()
            parent = threads.order_by("created_at", "pk").first()
        marker = f"Newsmix comment #{self.comments} at {int(time.time())}"
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            author_name="Newsmix reader",
            author_email="newsmix@example.test",
            body=f"{marker}: the second source disagrees on the date.",
            status=Comment.Status.PENDING,
        )
        committed = CommitTime()
        with transaction.atomic():  # set_status's own becomes a savepoint in it
            transaction.on_commit(committed.mark)
            set_status(comment, Comment.Status.APPROVED)
        count = Article.objects.values_list("comment_count", flat=True).get(pk=pk)
        self.changes.add([path], Change(marker, committed.at, began), "comment")
        self.changes.add_count(path, count, committed.at)


# -- Cache evidence -------------------------------------------------------------


def watch_invalidations(changes: Changes) -> None:
    """Note the tags each change bumps: lib.pagecache.invalidate, which every
    receiver ends in, wrapped in this process only (the editor's; the
    server's code is untouched)."""
    from lib import pagecache

    original = pagecache.invalidate

    def invalidate(*tags: str, **signal: Any) -> None:
        changes.bumping.update(tags)
        original(*tags, **signal)

    pagecache.invalidate = invalidate  # type: ignore[assignment]


def site_version() -> str:
    """The version of the tag every page carries (SITE): if it changes, every
    cached page is outdated at once."""
    from lib import pagecache

    return pagecache.version(pagecache.SITE)


def bumps_summary(bumps: list[set[str]]) -> str:
    """What one change bumped on average, by kind of tag."""
    if not bumps:
        return "-"
    kinds: Counter[str] = Counter()
    for tags in bumps:
        kinds.update(name.split(":")[0] for name in tags)
    each = sum(len(tags) for tags in bumps) / len(bumps)
    parts = ", ".join(f"{k} {n / len(bumps):g}" for k, n in sorted(kinds.items()))
    return f"{each:.1f} tags ({parts})"


def cache_entries() -> int:
    """Files in the file cache (pages, locks and small lookups)."""
    try:
        return sum(1 for e in os.scandir(VAR / "cache") if e.name.endswith(".djcache"))
    except FileNotFoundError:
        return 0


# -- Report -------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ratio(hits: int, reads: int) -> str:
    return f"{100 * hits / reads:.1f}%" if reads else "-"


def report(run: dict[str, Any]) -> tuple[str, list[str]]:
    """The Markdown report, and why the run failed (empty: it passed)."""
    site: Site = run["site"]
    total = KindStats()
    for ks in run["kinds"].values():
        total.merge(ks)
    seconds = run["seconds"]
    lines = [
        f"# Newsmix: the page cache under a newsroom's traffic ({run['stamp']})",
        "",
        f"- Machine: {run['nproc']} cores (nproc), {platform.machine()}, "
        f"load average {run['load_before']} before, {run['load_after']} after "
        "(the cores are shared with other work: reads/s are noisy)",
        f"- Data: {site.articles:,} articles ({run['seeded']:,} seeded, "
        f"{len(site.everything):,} live at the end), {site.comments:,} comments, "
        f"{len(site.sections)} sections, {len(site.tags)} tags read, "
        f"{len(site.authors)} authors; SQLite (WAL), file cache "
        f"(CACHE_MAX_ENTRIES {site.max_entries:,}), PAGE_CACHE_SECONDS "
        f"{site.page_cache_seconds}, "
        + (
            f"warm cache at the start ({run['warmed'][0]:,} pages read once before)"
            if run.get("warmed")
            else "cold cache at the start"
        ),
        f"- Server: manage.py serve --no-worker (uvicorn, {run['workers']} workers x "
        f"{run['threads']} threads, fast lane on, no access log)"
        + (
            f"; nginx in front (scripts/proxy.sh, PROXY_CACHE_SECONDS "
            f"{site.proxy_cache_seconds})"
            if run["proxy"]
            else "; read directly"
        ),
        f"- Mix: {run['readers']} readers, keep-alive; 80% article pages Zipf "
        f"(s={ZIPF_S}) over the newest {HOT_ARTICLES}, 10% any article, 10% lists "
        "(home, a section, a tag, an author, /feed/: 2% each); a story every "
        f"{PUBLISH_EVERY:.0f} s, a comment approved every {APPROVE_EVERY:.0f} s on the "
        f"{COMMENTED_RANKS} most-read articles",
        "",
        f"Duration {seconds:.0f} s{' (interrupted)' if run['interrupted'] else ''}; "
        f"{total.reads:,} reads (200), {total.reads / seconds:.1f}/s; hit ratio "
        f"**{ratio(total.hits, total.reads)}**; other statuses: "
        f"{dict(total.statuses - Counter({200: total.statuses[200]})) or 'none'}; "
        f"connection errors: {run['errors']}",
        f"Published {run['stories']} stories, approved {run['comments']} comments "
        f"(commit took p50 {percentile(run['edit_seconds'], 0.5) * 1000:.0f} ms, max "
        f"{max(run['edit_seconds'], default=0) * 1000:.0f} ms; editor errors: "
        f"{len(run['edit_errors'])})",
        "",
        "| page | reads | hit ratio | behind: max | p99 | reads >10 s behind "
        "| showed a marker | latency p50 | p99 "
        "| misses: cold / concurrent / expired / changed / other |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, ks in [*run["kinds"].items(), ("all", total)]:
        over = sum(1 for s in ks.stale if s > STALE_LIMIT)
        misses = " / ".join(
            str(ks.misses[r])
            for r in ("cold", "concurrent", "expired", "changed", "other")
        )
        lines.append(
            f"| {name} | {ks.reads:,} | {ratio(ks.hits, ks.reads)} | "
            f"{max(ks.stale, default=0):.1f} s | {percentile(ks.stale, 0.99):.1f} s | "
            f"{over} | {ks.showed_marker:,} | "
            f"{percentile(ks.latency, 0.5) * 1000:.0f} ms | "
            f"{percentile(ks.latency, 0.99) * 1000:.0f} ms | {misses} |"
        )
    lag = run["count_lag"]
    lines += [
        "",
        "Behind: a read sent at t of a page missing a change committed at c < t "
        "is t - c behind (home, /feed/, the story's section, author and tag lists: "
        "each new story; article pages: their newest approved comment; Top 5, "
        "Popular and Related cut out). Misses: cold = first read of the run, "
        "concurrent = built by two readers at once, expired = made "
        "PAGE_CACHE_SECONDS ago, changed = a change to it since, other = "
        "none of these.",
        "",
        f"Comment counts on the lists' cards (not in the gate): {len(lag):,} reads "
        f"showed a commented article; behind max {max(lag, default=0):.1f} s, p99 "
        f"{percentile(lag, 0.99):.1f} s; {sum(1 for x in lag if x > STALE_LIMIT):,} "
        "reads more than 10 s behind.",
        "",
        "Hit ratio by minute: "
        + ", ".join(
            f"{m + 1}: {ratio(h, r)}" for m, (r, h) in sorted(run["by_minute"].items())
        ),
        "",
        f"File cache: {run['entries_end']:,} entries at the end, at most "
        f"{run['entries_peak']:,} seen (CACHE_MAX_ENTRIES {site.max_entries:,}).",
        "",
        f"Invalidation: each story bumped {run['story_bumps']}; each approval "
        f"{run['comment_bumps']}; SITE (every page) "
        + ("**was bumped**" if run["site_bumped"] else "was never bumped"),
    ]
    if run["proxy"]:
        lines.append(f"nginx X-Cache: {dict(total.proxy_states)}")
    if run["worst"]:
        lines += [
            "",
            "Furthest behind (seconds, page kind, path, X-Cache/X-Page-Cache):",
        ]
        lines += [f"- {s:.1f} s {k} {p} {st}" for s, k, p, st in run["worst"]]
    if run["unexplained"]:
        lines += ["", "Misses with no reason found (first few):"]
        lines += [f"- {line}" for line in run["unexplained"]]
    for error in run["edit_errors"][:3]:
        lines += ["", "Editor error:", "```", error.rstrip(), "```"]
    failures = []
    if total.reads and total.hits / total.reads < HIT_TARGET:
        failures.append(
            f"hit ratio {ratio(total.hits, total.reads)} is under {HIT_TARGET:.0%}"
        )
    over = sum(1 for s in total.stale if s > STALE_LIMIT)
    if over:
        failures.append(
            f"{over} reads were more than {STALE_LIMIT:.0f} s behind "
            f"(max {max(total.stale):.1f} s)"
        )
    if run["edit_errors"]:
        failures.append(f"{len(run['edit_errors'])} editor errors")
    if not total.reads:
        failures.append("no page was read")
    lines += ["", "Result: " + ("FAIL: " + "; ".join(failures) if failures else "PASS")]
    if any(x > STALE_LIMIT for x in lag):
        lines.append(
            "Note: comment counts on list cards lagged more than 10 s (outside the "
            "gate: an approval outdates only the article's page and comments feed)."
        )
    return "\n".join(lines) + "\n", failures


# -- The run ------------------------------------------------------------------


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run_mix(args: Any, site: Site, port: int) -> dict[str, Any]:
    """Readers and the editor for the run's duration (or until Ctrl-C)."""
    changes = Changes()
    started = time.time()
    check = Checker(site, changes, started)
    mix = Mix(site)
    readers = [Reader(n, port, mix, check, args) for n in range(args.readers)]
    editor = Editor(site, changes, mix, check.stop, args)
    watch_invalidations(changes)
    site_before = site_version()
    peak, interrupted = 0, False
    end = started + args.minutes * 60
    for thread in [*readers, editor]:
        thread.start()
    try:
        while (left := end - time.time()) > 0:
            time.sleep(min(30.0, left))
            peak = max(peak, cache_entries())
            reads = sum(ks.reads for r in readers for ks in r.stats.kinds.values())
            hits = sum(ks.hits for r in readers for ks in r.stats.kinds.values())
            print(
                f"  {time.time() - started:4.0f} s: {reads:,} reads, hit ratio "
                f"{ratio(hits, reads)}, {editor.stories} stories, "
                f"{editor.comments} comments",
                flush=True,
            )
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted: stopping", flush=True)
    finally:
        check.stop.set()
        for thread in [*readers, editor]:
            thread.join(timeout=40)
    seconds = time.time() - started
    kinds = {k: KindStats() for k in KINDS}
    by_minute: dict[int, list[int]] = {}
    count_lag: list[float] = []
    worst: list[tuple[float, str, str, str]] = []
    unexplained: list[str] = []
    for reader in readers:
        for kind, ks in reader.stats.kinds.items():
            kinds[kind].merge(ks)
        for minute, (r, h) in reader.stats.by_minute.items():
            bucket = by_minute.setdefault(minute, [0, 0])
            bucket[0] += r
            bucket[1] += h
        count_lag += reader.stats.count_lag
        unexplained += reader.stats.unexplained
        worst += reader.stats.worst
    entries_end = cache_entries()
    return {
        "kinds": kinds,
        "by_minute": by_minute,
        "count_lag": count_lag,
        "worst": sorted(worst, reverse=True)[:5],
        "unexplained": unexplained[:10],
        "errors": sum(r.stats.errors for r in readers),
        "seconds": seconds,
        "interrupted": interrupted,
        "stories": len(changes.stories),
        "comments": len(changes.comments),
        "edit_seconds": editor.seconds,
        "edit_errors": changes.errors,
        "entries_end": entries_end,
        "entries_peak": max(peak, entries_end),
        "story_bumps": bumps_summary(changes.bumps["story"]),
        "comment_bumps": bumps_summary(changes.bumps["comment"]),
        "site_bumped": site_version() != site_before
        or any("site" in tags for b in changes.bumps.values() for tags in b),
    }


def warm_up(site: Site, port: int, threads: int = 8) -> tuple[int, float]:
    """Read every live article and every list once, as the running site's
    earlier readers did: a site that has served for a while has its long tail
    in the cache, and a cold start measures the start, not the traffic."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [*site.everything, *site.sections, *site.tags, *site.authors]
    paths += ["/", "/feed/"]
    local = threading.local()

    def read(path: str) -> None:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            local.conn.request("GET", path)
            local.conn.getresponse().read()
        except (OSError, http.client.HTTPException):
            local.conn.close()
            del local.conn

    started = time.time()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(read, paths))
    return len(paths), time.time() - started


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--proxy", action="store_true", help="read through nginx")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start with an empty cache (default: read every page once first)",
    )
    return parser.parse_args()


def interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, interrupt)
    VAR.mkdir(parents=True, exist_ok=True)
    server = None
    proxied: dict[str, str] | None = None
    try:
        prepare_data(args.articles)
        setup_django()
        site = load_site()
        port = free_port()
        server = start_server(port, args.proxy)
        if args.proxy:
            listen = free_port()
            proxied = proxy_env(listen, port)
            proxy("start", proxied)
            wait_until_up(listen, "nginx")
            port = listen
        warmed = None
        if not args.cold:
            print("warming up: every page read once ...", flush=True)
            warmed = warm_up(site, port)
            print(f"  {warmed[0]:,} pages in {warmed[1]:.0f} s", flush=True)
        load_before = load_average()
        print(
            f"reading {'through nginx' if args.proxy else 'directly'} on port {port} "
            f"for {args.minutes:g} min with {args.readers} readers ...",
            flush=True,
        )
        run = run_mix(args, site, port)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if proxied is not None:
            proxy("stop", proxied)
        if server is not None:
            stop_server(server)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    run |= {
        "site": site,
        "stamp": stamp,
        "warmed": warmed,
        "proxy": args.proxy,
        "readers": args.readers,
        "seeded": args.articles,
        "nproc": len(os.sched_getaffinity(0)),
        "load_before": load_before,
        "load_after": load_average(),
        "workers": os.environ.get("WEB_WORKERS", "2"),
        "threads": os.environ.get("WEB_THREADS", "4"),
    }
    text, failures = report(run)
    print()
    print(text)
    path = VAR / f"results-{stamp}.md"
    path.write_text(text)
    print(f"written to {path.relative_to(ROOT)}")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    if run["interrupted"]:
        return 130
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
