"""Read counting (the beacon's rules, the buffer, the flush) and the rankings.

A beacon request never touches the database in the common case: it is checked
(size, bots, prefetch, floods, staff, a live article) and appended to a buffer,
a spool file under ``var/`` in the embedded mode or a Redis list when
``REDIS_URL`` is set. The periodic task drains the buffer, drops repeat reads
of the same visitor within the dedupe window, and adds the rest to the
per-article daily counters in one transaction. Whatever sits in the buffer when
the machine dies is lost: at most one flush interval of reads.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import os
import re
import secrets
import struct
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article
from audience.models import DailyReads, DailySalt, RankedArticle, RecentRead
from core.models import SiteSettings
from lib import pagecache
from lib.dates import start_of_trailing_days
from lib.ratelimit import client_ip

if TYPE_CHECKING:
    from redis import Redis

# One buffered read: visitor digest (16 bytes), article id, Unix time.
RECORD = struct.Struct("<16sQI")
#: Top 5 This Week counts the reads of this many local days, today included.
TOP_WEEK_DAYS = 7
RANKED_LENGTH = 60  # stored per list, so that pages can skip what they show
MAX_BODY = 64

# Substrings of User-Agent headers that are not people reading: crawlers, link
# previewers of chat apps and social networks, monitoring, HTTP libraries and
# headless browsers. Lower case.
BOT_MARKERS = (
    "bot", "crawl", "spider", "slurp", "archiver", "facebookexternalhit",
    "facebookcatalog", "embedly", "quora link preview", "showyoubot", "outbrain",
    "pinterest", "slackbot", "vkshare", "w3c_validator", "whatsapp", "telegram",
    "discord", "skypeuripreview", "linkedin", "bingpreview", "preview", "google-",
    "apis-google", "mediapartners", "feedfetcher", "lighthouse", "pagespeed",
    "headlesschrome", "phantomjs", "python-requests", "python-urllib", "curl/",
    "wget", "httpclient", "okhttp", "go-http-client", "java/", "libwww", "scrapy",
    "axios", "node-fetch", "uptime", "pingdom", "monitor", "statuscake", "check_http",
    "feedly", "newsblur", "inoreader", "mastodon", "bluesky", "cardyb", "iframely",
    "yahoo! slurp", "duckduckgo", "baiduspider", "yandex", "petalbot", "bytespider",
    "gptbot", "chatgpt", "claude", "anthropic", "perplexity", "ccbot", "amazonbot",
)  # fmt: skip
_BOT_RE = re.compile("|".join(re.escape(m) for m in BOT_MARKERS))
_BODY_RE = re.compile(rb"(?:id=)?([1-9][0-9]{0,17})")


class Refused(Exception):
    """The beacon is not counted; `status` is what the reader's browser gets."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


# -- The beacon's rules ----------------------------------------------------------


def parse_article_id(raw: bytes | str) -> int:
    """The article id of a beacon body (``id=123`` or ``123``), or Refused(400)."""
    if isinstance(raw, str):
        raw = raw.encode("ascii", "replace")
    match = _BODY_RE.fullmatch(raw.strip())
    if not match:
        raise Refused(400, "not an article id")
    value = int(match.group(1))
    if value > 2**63 - 1:
        raise Refused(400, "not an article id")
    return value


@functools.lru_cache(maxsize=4096)  # browsers send a few thousand distinct UAs
def is_bot(user_agent: str) -> bool:
    """No User-Agent, or one that names a crawler, previewer or script."""
    return not user_agent or bool(_BOT_RE.search(user_agent.lower()))


def is_prefetch(meta: Mapping[str, str]) -> bool:
    """A speculative load (link prefetch or prerender), not a read."""
    purpose = f"{meta.get('HTTP_SEC_PURPOSE', '')} {meta.get('HTTP_PURPOSE', '')}"
    moz = meta.get("HTTP_X_MOZ", "")
    return "prefetch" in purpose.lower() or "prefetch" in moz.lower()


def is_staff_reader(request: HttpRequest) -> bool:
    """A logged-in member of staff. Only readers with a session cookie cost a
    session lookup."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


class _FloodGate:
    """Per-process counts of beacons per address and minute. Each web worker
    keeps its own, so the limit a reader meets is at most workers x limit."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.minute = 0
        self.counts: Counter[str] = Counter()

    def allow(self, who: str, limit: int) -> bool:
        if limit <= 0:
            return True
        minute = int(time.time() // 60)
        with self.lock:
            if minute != self.minute:
                self.minute, self.counts = minute, Counter()
            self.counts[who] += 1
            return self.counts[who] <= limit


class _LiveArticles:
    """Which article ids are live, known per process so that a beacon costs no
    query: every live id is loaded at once and reloaded every RELOAD seconds;
    an id not in the set (just published, or garbage) is looked up once and
    remembered for the same time. The flush checks again, so a stale answer
    cannot count a read of an unpublished article."""

    RELOAD = 30.0
    SIZE = 20_000

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.live: frozenset[int] = frozenset()
        self.loaded_at = -1e9
        self.others: OrderedDict[int, tuple[float, bool]] = OrderedDict()

    def is_live(self, article_id: int) -> bool:
        now = time.monotonic()
        if now - self.loaded_at > self.RELOAD:
            live = frozenset(Article.objects.published().values_list("pk", flat=True))
            with self.lock:
                self.live, self.loaded_at = live, now
                self.others.clear()
        if article_id in self.live:
            return True
        hit = self.others.get(article_id)
        if hit and hit[0] > now:
            return hit[1]
        found = Article.objects.published().filter(pk=article_id).exists()
        with self.lock:
            self.others[article_id] = (now + self.RELOAD, found)
            while len(self.others) > self.SIZE:
                self.others.popitem(last=False)
        return found

    def known(self, article_id: int) -> bool:
        """Whether `is_live` can answer from memory, without a query."""
        now = time.monotonic()
        if now - self.loaded_at > self.RELOAD:
            return False
        if article_id in self.live:
            return True
        hit = self.others.get(article_id)
        return hit is not None and hit[0] > now

    def clear(self) -> None:
        with self.lock:
            self.live, self.loaded_at = frozenset(), -1e9
            self.others.clear()


flood_gate = _FloodGate()
live_articles = _LiveArticles()
_salts: dict[dt.date, bytes] = {}


def daily_salt(day: dt.date) -> bytes:
    """The secret of one UTC day, created by the first beacon of the day and
    shared by every process through the database."""
    salt = _salts.get(day)
    if salt is None:
        row = DailySalt.objects.filter(day=day).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = DailySalt.objects.create(day=day, salt=secrets.token_hex(32))
            except IntegrityError:  # another worker created it first
                row = DailySalt.objects.get(day=day)
        salt = bytes.fromhex(row.salt)
        _salts.clear()
        _salts[day] = salt
    return salt


def visitor_digest(
    meta: Mapping[str, str], article_id: int, when: float, address: str | None = None
) -> bytes:
    """A hash of (today's salt, address, browser, article): the same visitor
    reading the same article today gets the same value; nothing in it can be
    turned back into an address once the salt is deleted."""
    day = dt.datetime.fromtimestamp(when, dt.UTC).date()
    ua = meta.get("HTTP_USER_AGENT", "")[:512]
    if address is None:
        address = reader_address(meta)
    payload = f"{address}\0{ua}\0{article_id}".encode()
    return hashlib.blake2b(payload, key=daily_salt(day), digest_size=16).digest()


def accepts_without_io(article_id: int) -> bool:
    """Whether `accept_read` can run for this id without a query or a network
    call: the live articles and today's salt are in memory and the buffer is
    the spool file. The ASGI fast lane runs such beacons on its event loop and
    the others in a thread."""
    if settings.REDIS_URL or not live_articles.known(article_id):
        return False
    return dt.datetime.fromtimestamp(time.time(), dt.UTC).date() in _salts


def reader_address(meta: Mapping[str, str]) -> str:
    # client_ip() reads the request's META only.
    return client_ip(cast(HttpRequest, SimpleNamespace(META=meta)))


def accept_read(meta: Mapping[str, str], article_id: int, *, staff: bool) -> None:
    """Apply the counting rules to one beacon (its WSGI environ or
    request.META); buffer the read or raise Refused."""
    if is_bot(meta.get("HTTP_USER_AGENT", "")):
        raise Refused(204, "bot")
    if is_prefetch(meta):
        raise Refused(204, "prefetch")
    address = reader_address(meta)
    if not flood_gate.allow(address, settings.AUDIENCE_BEACONS_PER_MINUTE):
        raise Refused(429, "too many reads from one address")
    if staff:
        raise Refused(204, "staff")
    if not live_articles.is_live(article_id):
        raise Refused(404, "no such article")
    now = time.time()
    digest = visitor_digest(meta, article_id, now, address)
    get_buffer().append(RECORD.pack(digest, article_id, int(now)))


# -- The buffer -------------------------------------------------------------------


class SpoolBuffer:
    """An append-only file of fixed-size records, shared by every web worker of
    the machine. Appends take a shared lock; the flush renames the file and
    takes an exclusive lock on it, so a write is either in the batch or in the
    next file, never lost between the two. Each process keeps the file open
    between appends, and reopens it when the flush has renamed it."""

    def __init__(self, path: Path, max_bytes: int):
        self.path = Path(path)
        self.draining = self.path.with_suffix(".flushing")
        self.max_bytes = max_bytes
        self._name = str(self.path)
        self._lock = threading.Lock()  # flock is per open file, not per thread
        self._fd: int | None = None
        self._inode = (0, 0)

    def _open(self) -> int:
        self._close()
        while True:
            try:
                fd = os.open(self._name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                break
            except FileNotFoundError:
                self.path.parent.mkdir(parents=True, exist_ok=True)
        st = os.fstat(fd)
        self._fd, self._inode = fd, (st.st_ino, st.st_dev)
        return fd

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def append(self, record: bytes) -> None:
        with self._lock:
            while True:
                fd = self._open() if self._fd is None else self._fd
                fcntl.flock(fd, fcntl.LOCK_SH)
                try:
                    try:
                        current = os.stat(self._name)
                    except FileNotFoundError:
                        current = None  # renamed by the flush: a new file
                    if (
                        current is None
                        or (current.st_ino, current.st_dev) != self._inode
                    ):
                        self._close()  # releases the lock
                        continue
                    if current.st_size >= self.max_bytes:
                        raise Refused(503, "read buffer full")
                    os.write(fd, record)
                    return
                finally:
                    if self._fd is not None:
                        fcntl.flock(self._fd, fcntl.LOCK_UN)

    def take(self) -> bytes:
        """Everything buffered so far (and a batch a crashed flush left)."""
        if not self.draining.exists():
            try:
                os.rename(self.path, self.draining)
            except FileNotFoundError:
                return b""
        with open(self.draining, "rb") as f:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # wait for appends in flight
            return f.read()

    def done(self) -> None:
        self.draining.unlink(missing_ok=True)

    def pending(self) -> int:
        size = 0
        for p in (self.path, self.draining):
            try:
                size += p.stat().st_size
            except FileNotFoundError:
                pass
        return size // RECORD.size


class RedisBuffer:
    """A Redis list; the flush renames it atomically and reads the copy."""

    _clients: dict[str, Redis] = {}

    def __init__(self, url: str, prefix: str, max_records: int):
        import redis

        client = self._clients.get(url)
        if client is None:
            client = self._clients[url] = redis.Redis.from_url(url)
        self.client = client
        self.key = f"{prefix}:audience:reads"
        self.draining = f"{self.key}:flushing"
        self.max_records = max_records

    def append(self, record: bytes) -> None:
        if self.client.rpush(self.key, record) > self.max_records:
            self.client.rpop(self.key)
            raise Refused(503, "read buffer full")

    def take(self) -> bytes:
        if not self.client.exists(self.draining):
            from redis.exceptions import ResponseError

            try:
                self.client.rename(self.key, self.draining)
            except ResponseError:  # no such key: nothing buffered
                return b""
        # The client does not decode responses: the items are bytes.
        items = cast(list[bytes], self.client.lrange(self.draining, 0, -1))
        return b"".join(items)

    def done(self) -> None:
        self.client.delete(self.draining)

    def pending(self) -> int:
        return self.client.llen(self.key) + self.client.llen(self.draining)


_buffers: dict[tuple, SpoolBuffer | RedisBuffer] = {}


def get_buffer() -> SpoolBuffer | RedisBuffer:
    """The read buffer of the current settings (kept per process)."""
    max_records = settings.AUDIENCE_BUFFER_MAX_READS
    key = (settings.REDIS_URL, str(settings.AUDIENCE_SPOOL), max_records)
    buffer = _buffers.get(key)
    if buffer is None:
        if settings.REDIS_URL:
            prefix = settings.CACHES["default"].get("KEY_PREFIX", "newshub")
            buffer = RedisBuffer(settings.REDIS_URL, prefix, max_records)
        else:
            buffer = SpoolBuffer(settings.AUDIENCE_SPOOL, max_records * RECORD.size)
        while len(_buffers) > 8:  # tests switch settings often
            old = _buffers.pop(next(iter(_buffers)))
            if isinstance(old, SpoolBuffer):
                with old._lock:
                    old._close()
        _buffers[key] = buffer
    return buffer


# -- The flush ----------------------------------------------------------------------


@dataclass
class FlushResult:
    received: int = 0
    counted: int = 0
    repeats: int = 0
    not_live: int = 0


def _upsert_counts(counts: dict[tuple[int, dt.date], int]) -> None:
    table = connection.ops.quote_name(DailyReads._meta.db_table)
    sql = (
        f"INSERT INTO {table} (article_id, day, count) VALUES (%s, %s, %s) "
        f"ON CONFLICT (article_id, day) DO UPDATE "
        f"SET count = {table}.count + excluded.count"
    )
    rows = [(a, day, n) for (a, day), n in sorted(counts.items())]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _live_ids(ids: set[int]) -> set[int]:
    live: set[int] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        live.update(
            Article.objects.published()
            .filter(pk__in=chunk)
            .values_list("pk", flat=True)
        )
    return live


def _last_counted(digests: list[str]) -> dict[str, float]:
    seen: dict[str, float] = {}
    for start in range(0, len(digests), 500):
        for digest, moment in RecentRead.objects.filter(
            digest__in=digests[start : start + 500]
        ).values_list("digest", "counted_at"):
            seen[digest] = moment.timestamp()
    return seen


def flush_reads() -> FlushResult:
    """Move the buffered reads into the daily counters (one transaction)."""
    buffer = get_buffer()
    data = buffer.take()
    usable = len(data) - len(data) % RECORD.size
    events = sorted(
        (ts, digest.hex(), article)
        for digest, article, ts in RECORD.iter_unpack(data[:usable])
    )
    result = FlushResult(received=len(events))
    if events:
        window = settings.AUDIENCE_DEDUPE_MINUTES * 60
        live = _live_ids({article for _ts, _d, article in events})
        last = _last_counted(sorted({d for _ts, d, _a in events}))
        counts: Counter[tuple[int, dt.date]] = Counter()
        counted_at: dict[str, float] = {}
        tz = SiteSettings.load().tzinfo
        for ts, digest, article in events:
            if article not in live:
                result.not_live += 1
                continue
            previous = last.get(digest)
            if previous is not None and ts - previous < window:
                result.repeats += 1
                continue
            last[digest] = counted_at[digest] = ts
            day = dt.datetime.fromtimestamp(ts, tz).date()
            counts[(article, day)] += 1
        result.counted = sum(counts.values())
        with transaction.atomic():
            _upsert_counts(counts)
            RecentRead.objects.bulk_create(
                [
                    RecentRead(
                        digest=d, counted_at=dt.datetime.fromtimestamp(t, dt.UTC)
                    )
                    for d, t in counted_at.items()
                ],
                update_conflicts=True,
                unique_fields=["digest"],
                update_fields=["counted_at"],
                batch_size=500,
            )
    _forget_old(timezone.now())
    buffer.done()
    return result


def _forget_old(now: dt.datetime) -> None:
    """Drop dedupe hashes past the window and salts older than yesterday."""
    window = dt.timedelta(minutes=settings.AUDIENCE_DEDUPE_MINUTES)
    RecentRead.objects.filter(counted_at__lt=now - window).delete()
    DailySalt.objects.filter(day__lt=now.date() - dt.timedelta(days=1)).delete()


# -- Rankings ------------------------------------------------------------------------


def _trailing_start(days: int) -> dt.date:
    """The first local day of the trailing `days` (today included)."""
    return start_of_trailing_days(days).date()


def ranked_since(
    day: dt.date, last: dt.date, length: int = RANKED_LENGTH
) -> list[tuple[int, int]]:
    """(article id, reads) of the most-read live articles from `day` to `last`,
    newest first among equals, topped up with the newest unread ones (0 reads).

    The reads are summed per article from the covering (day, article, count)
    index alone, without touching the articles: joining every counted article
    first cost three times as much at 100,000 articles. Then only the best
    candidates are checked for being live, a batch at a time, until the list
    is full and no candidate left could tie with its last entry."""
    totals = (
        DailyReads.objects.filter(day__range=(day, last))
        .values_list("article_id")
        .annotate(reads=Sum("count"))
        .values_list("article_id", "reads")
    )
    candidates = sorted(totals, key=lambda row: row[1], reverse=True)
    live: list[tuple[int, int, dt.datetime]] = []  # (pk, reads, published_at)
    batch = max(length * 4, 100)
    for start in range(0, len(candidates), batch):
        if len(live) >= length and candidates[start][1] < live[length - 1][1]:
            break  # nothing further down can enter the list or tie with it
        reads = dict(candidates[start : start + batch])
        published = Article.objects.published().filter(pk__in=list(reads))
        # published(): each has a publication time.
        rows = cast(
            Iterable[tuple[int, dt.datetime]],
            published.values_list("pk", "published_at"),
        )
        live += [(pk, reads[pk], when) for pk, when in rows]
        live.sort(key=lambda row: (row[1], row[2], row[0]), reverse=True)
    top = [(pk, n) for pk, n, _when in live[:length] if n > 0]
    if len(top) < length:
        have = [pk for pk, _reads in top]
        newest = (
            Article.objects.published()
            .exclude(pk__in=have)
            .newest_first()
            .values_list("pk", flat=True)[: length - len(top)]
        )
        top += [(pk, 0) for pk in newest]
    return top


def refresh_rankings() -> bool:
    """Recompute Top 5 This Week and Popular Articles; True if either changed.
    Cached pages keep the two blocks apart (live blocks, lib/pagecache.py):
    a change makes new blocks, filled into every cached page at its next hit,
    without rebuilding the pages."""
    with timezone.override(SiteSettings.load().tzinfo):
        today = timezone.localdate()
        starts = {
            RankedArticle.List.WEEK: _trailing_start(TOP_WEEK_DAYS),
            RankedArticle.List.POPULAR: _trailing_start(settings.AUDIENCE_POPULAR_DAYS),
        }
    changed = False
    for name, start in starts.items():
        rows = ranked_since(start, today)
        before = list(
            RankedArticle.objects.filter(list=name)
            .order_by("position")
            .values_list("article_id", flat=True)
        )
        changed |= before != [pk for pk, _reads in rows]
        with transaction.atomic():
            RankedArticle.objects.filter(list=name).delete()
            RankedArticle.objects.bulk_create(
                RankedArticle(list=name, position=i, article_id=pk, reads=reads)
                for i, (pk, reads) in enumerate(rows, start=1)
            )
    if changed:  # the cached pages' Top 5 and Popular, filled in at each hit
        pagecache.invalidate_on_commit(pagecache.LIVE)
    return changed


def ranked_articles(
    name: str, *, limit: int, exclude: list[int] | tuple[int, ...] = ()
) -> list[Article]:
    """One stored list, live articles only, for a block of the page (one query)."""
    qs = (
        Article.objects.published()
        .filter(rankings__list=name)
        .exclude(pk__in=list(exclude))
        .for_listing()
        .order_by("rankings__position")
    )
    return list(qs[:limit])


# -- Reads for editors ------------------------------------------------------------


@dataclass
class ReadTotals:
    today: int = 0
    week: int = 0
    month: int = 0
    all_time: int = 0


def read_totals(article_ids: list[int]) -> dict[int, ReadTotals]:
    """Reads today, in 7 and 30 days and ever, per article (one query)."""
    from django.db.models import Q

    today = timezone.localdate()
    week = today - dt.timedelta(days=6)
    month = today - dt.timedelta(days=29)
    rows = (
        DailyReads.objects.filter(article_id__in=article_ids)
        .values("article_id")
        .annotate(
            today=Sum("count", filter=Q(day=today), default=0),
            week=Sum("count", filter=Q(day__gte=week), default=0),
            month=Sum("count", filter=Q(day__gte=month), default=0),
            all_time=Sum("count", default=0),
        )
    )
    totals = {pk: ReadTotals() for pk in article_ids}
    for row in rows:
        totals[row["article_id"]] = ReadTotals(
            today=row["today"],
            week=row["week"],
            month=row["month"],
            all_time=row["all_time"],
        )
    return totals


def daily_series(days: int, article_id: int | None = None) -> list[tuple[dt.date, int]]:
    """Reads per day for the last `days` days (site-wide or one article),
    with the days without reads as zeros."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    qs = DailyReads.objects.since(first)
    if article_id is not None:
        qs = qs.filter(article_id=article_id)
    found = dict(qs.values("day").annotate(n=Sum("count")).values_list("day", "n"))
    return [
        (first + dt.timedelta(days=i), found.get(first + dt.timedelta(days=i), 0))
        for i in range(days)
    ]


def most_read(days: int, limit: int = 20) -> list[tuple[Article, int]]:
    """The most-read articles (any status) of the last `days` days, for editors."""
    first = timezone.localdate() - dt.timedelta(days=days - 1)
    rows = (
        DailyReads.objects.since(first)
        .values("article_id")
        .annotate(n=Sum("count"))
        .order_by("-n", "-article_id")[:limit]
    )
    found = Article.objects.select_related("category").in_bulk(
        [r["article_id"] for r in rows]
    )
    return [(found[r["article_id"]], r["n"]) for r in rows if r["article_id"] in found]
