"""One search interface, one module per engine, picked by the database in use
(or SEARCH_BACKEND)."""

from __future__ import annotations

import hashlib
import heapq
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import escape
from operator import itemgetter
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from lib import pagecache

MAX_QUERY_CHARS = 500
#: Ranking looks at the newest matches only (after filters): a news search wants
#: recent stories, and 100 pages of 10 is as far as the search page goes.
CANDIDATES = 1000
MAX_TERMS = 16
#: Bumped whenever documents are (re)written: see `search.services`.
INDEX_GENERATION_KEY = "search:index-generation"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class SearchQuery:
    text: str
    category_ids: list[int] | None = None
    author_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    order: str = "relevance"  # or "newest"
    offset: int = 0
    limit: int = 10

    @property
    def terms(self) -> list[str]:
        """The words of the query; operators and punctuation are not syntax."""
        return _WORD.findall(self.text[:MAX_QUERY_CHARS].lower())[:MAX_TERMS]


@dataclass
class Hit:
    """One result of the page asked for, with what its card shows, read in the
    statement that makes the snippets (not looked up again by the view)."""

    article_id: int
    rank: float
    snippet: str  # HTML: escaped text with <mark> around matches
    headline: str = ""
    slug: str = ""
    published_at: datetime | None = None
    category_id: int | None = None
    author: str = ""


#: The card's columns, from the article (`a`) and its author (`u`), for the
#: engines' snippet statements; `cards()` turns them into hits.
CARD_COLUMNS = "a.headline, a.slug, a.published_at, a.category_id, u.display_name"
CARD_JOIN = "JOIN articles_author u ON u.id = a.author_id"


@dataclass
class SearchResults:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # at most CANDIDATES
    more: bool = False  # True when there are more matches than `total`


class Backend(Protocol):
    def search(self, query: SearchQuery) -> SearchResults: ...


def filters(query: SearchQuery) -> tuple[list[str], list]:
    """SQL conditions on the article (alias `a`) shared by both engines: what
    `Article.objects.published()` means, and the reader's filters."""
    where = ["a.status = %s", "a.published_at <= %s"]
    params: list = [Article.Status.PUBLISHED.value, timezone.now()]
    if query.category_ids:
        marks = ", ".join(["%s"] * len(query.category_ids))
        where.append(f"a.category_id IN ({marks})")
        params.extend(query.category_ids)
    if query.author_id:
        where.append(
            "(a.author_id = %s OR EXISTS (SELECT 1 FROM articles_article_coauthors c "
            "WHERE c.article_id = a.id AND c.author_id = %s))"
        )
        params.extend([query.author_id, query.author_id])
    tz = timezone.get_current_timezone()
    if query.date_from:
        where.append("a.published_at >= %s")
        params.append(datetime.combine(query.date_from, time.min, tzinfo=tz))
    if query.date_to:
        where.append("a.published_at < %s")
        params.append(
            datetime.combine(query.date_to + timedelta(days=1), time.min, tzinfo=tz)
        )
    return where, params


def page_of(
    rows: Sequence[Sequence], query: SearchQuery
) -> tuple[list[Sequence], int, bool]:
    """The rows of the page asked for, from the candidates: (id, published_at
    in a sortable form, score where higher is better), newest first, at most
    CANDIDATES + 1 of them. Best score or newest first, ties newest id first.
    Also the number of candidates and whether there are more."""
    window = rows[:CANDIDATES]
    key = itemgetter(2, 0) if query.order == "relevance" else itemgetter(1, 0)
    best = heapq.nlargest(query.offset + query.limit, window, key=key)
    return best[query.offset :], len(window), len(rows) > CANDIDATES


def cards(page, rows, published_at=lambda value: value) -> list[Hit]:
    """The hits of a page: `page` rows (id first) in order, `rows` of (id,
    snippet, *CARD_COLUMNS) from the snippet statement. A row the statement
    did not return (the article was deleted meanwhile) is left out."""
    found = {row[0]: row for row in rows}
    hits = []
    for row in page:
        if row[0] in found:
            pk, snippet, headline, slug, published, category_id, author = found[row[0]]
            hits.append(
                Hit(pk, float(row[2]), marked(snippet), headline, slug,
                    published_at(published), category_id, author)
            )  # fmt: skip
    return hits


def marked(snippet: str) -> SafeString:
    """Escape an engine's snippet, then turn its \x02/\x03 markers into <mark>."""
    html = escape(snippet or "").replace("\x02", "<mark>").replace("\x03", "</mark>")
    return mark_safe(html)  # escaped above; the only markup is <mark>


def get_backend() -> Backend:
    path = (
        getattr(settings, "SEARCH_BACKEND", "")
        or {
            "sqlite": "search.backends.sqlite.SqliteBackend",
            "postgresql": "search.backends.postgres.PostgresBackend",
        }[connection.vendor]
    )
    return import_string(path)()


def search(query: SearchQuery) -> SearchResults:
    """The engine's results for `query`, kept in the cache for
    SEARCH_CACHE_SECONDS. The key is the query as the engine sees it (its
    words, filters, order and page), the content generation (bumped when an
    article, author, section or tag is saved, published or deleted) and the
    index generation (bumped when documents are rewritten, which for renames
    happens later, in the task worker): a change shows at once. Only the
    clock can change results without either (an article whose publication
    time passes while it is marked published), hence the short lifetime."""
    seconds = settings.SEARCH_CACHE_SECONDS
    if seconds <= 0:
        return get_backend().search(query)
    key = _cache_key(query)
    results = cache.get(key)
    if results is None:
        results = get_backend().search(query)
        cache.set(key, results, seconds)
    return results


def bump_index_generation() -> None:
    try:
        cache.incr(INDEX_GENERATION_KEY)
    except ValueError:
        cache.set(INDEX_GENERATION_KEY, 2, None)


def _cache_key(query: SearchQuery) -> str:
    shape = [
        connection.vendor,
        query.terms,
        sorted(query.category_ids or []),
        query.author_id,
        str(query.date_from),
        str(query.date_to),
        query.order,
        query.offset,
        query.limit,
        CANDIDATES,
        str(timezone.get_current_timezone()),  # dates are the site's days
    ]
    digest = hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:32]
    index = cache.get(INDEX_GENERATION_KEY, 1)
    # Any change of a live article, or of a name every result prints.
    content = "-".join(pagecache.versions([pagecache.LATEST, pagecache.SITE]))
    return f"search:results:{content}:{index}:{digest}"
