"""PostgreSQL full-text search: a weighted tsvector on the article's row (kept in
step by a trigger), a GIN index, ts_rank; snippets from the query's stems
(search/snippets.py). The database objects: search/sql/postgresql.sql."""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from django.core.cache import cache
from django.db import connection

from articles.models import Article
from search.backends import (
    CANDIDATES,
    CARD_COLUMNS,
    CARD_JOIN,
    SearchQuery,
    SearchResults,
    cards,
    filters,
    page_of,
)
from search.backends.sqlite import PREFIX_MIN
from search.snippets import snippet

#: Ids searched first when the share of matches cannot be estimated.
FIRST_WINDOW = 2000
#: The narrowest window, in ids.
MIN_WINDOW = 100
#: How much wider the next window is when nothing matched yet.
WIDEN = 8
#: Windows are made this much wider than the share of matches says is needed.
MARGIN = 1.25
#: At or above this share of matching articles, the newest ids are walked and
#: each vector tested (the walk stops as soon as there are enough); below it,
#: the GIN index finds the few matches among the window's ids (`_window`).
WALK_SHARE = 0.2
#: A walk's window is this much wider than the estimate needs.
WALK_REACH = 3
#: A prefix standing for at most this many words is looked up as those words.
EXPANSION = 8
#: A word in more than this share of articles is not looked up in the GIN
#: index (see `_Window`).
COMMON_SHARE = 0.3
#: Words found in at most this many articles (as the statistics tell) are
#: looked up in the GIN index alone, the window of ids a filter
#: (`_Window.sparse`).
SPARSE_ROWS = 4000
#: Seconds the planner's statistics of the vector column are kept per process.
STATS_SECONDS = 600
#: Windows are sized from the share of words in this many newest live
#: articles (`refresh_recent_shares`), where a search looks first...
RECENT_ARTICLES = 10_000
#: ...for the words in at least this share of them (fewer: the site's share).
RECENT_MIN_SHARE = 0.002
RECENT_KEY = "search:postgres:recent-shares:v1"
_LEXEME = re.compile(r"'((?:[^']|'')+)'(:\*)?")
#: (id, text, *CARD_COLUMNS) of results, from CARD_TABLES: the text a snippet
#: is made from (the body or, when there is none, the headline).
CARDS = (
    "SELECT d.article_id AS page_id, "
    f"coalesce(nullif(d.body_text, ''), d.headline), {CARD_COLUMNS}"
)
CARD_TABLES = (
    "(search_searchdocument d "
    f"JOIN articles_article a ON a.id = d.article_id {CARD_JOIN})"
)


def tsquery_text(terms: list[str]) -> str:
    """Every word must match; the last one also as a prefix. Words are \\w+ only,
    quoted as lexemes, so nothing a reader types is query syntax."""
    quoted = [_quoted(t) for t in terms]
    if len(terms[-1]) >= PREFIX_MIN:
        quoted[-1] += ":*"
    return " & ".join(quoted)


class PostgresBackend:
    def search(self, query: SearchQuery) -> SearchResults:
        terms = query.terms
        if not terms:
            return SearchResults()
        text = tsquery_text(terms)
        # No transaction: each statement brings its settings (`_local`).
        with connection.cursor() as cursor:
            # The stems, the newest id and the words the vocabulary has for
            # the last word's prefix (search_query_words, search/sql/postgresql.sql).
            cursor.execute(
                "SELECT * FROM search_query_words(%s, %s)", [text, EXPANSION + 1]
            )
            nodes, stemmed, upper, completions = cursor.fetchone()
            # An English stop word alone ("the") leaves an empty query.
            if not nodes or not upper:
                return SearchResults()
            lexemes = [
                (word.replace("''", "'"), bool(prefix))
                for word, prefix in _LEXEME.findall(stemmed)
            ]
            words = _Words(text, stemmed, lexemes, completions or [])
            if words.impossible:
                return SearchResults()  # no article holds a word the prefix begins
            found = _candidates(cursor, words, query, upper)
            page: list[Sequence[Any]]
            if isinstance(found, _Page):
                page = list(found.rows[query.offset :])
                total, more = found.total, found.more
                texts = found.texts
            elif found:
                page, total, more = page_of(found, query)
                texts = _texts(cursor, [row[0] for row in page])
            else:
                return SearchResults()
        stems = [word for word, _prefix in lexemes]
        rows = [(pk, snippet(body, stems), *card) for pk, body, *card in texts]
        hits = cards(page, rows)
        return SearchResults(hits, total, more)


class _Words:
    """The query's words as SQL: the reader's text through to_tsquery for the
    rank (`ranked`), and for finding articles the stems themselves, the prefix
    of the last word replaced by the words it stands for when the vocabulary
    (search/sql/postgresql.sql) lists at most EXPANSION of them (`matched`, `item`).
    A last word the vocabulary holds whole was typed whole: it is no prefix
    ("minister" does not find "ministry"; "minis" finds both), as on SQLite.
    """

    def __init__(self, text: str, stemmed: str, lexemes, completions: list[str]):
        self.lexemes = lexemes
        self.ranked = ("to_tsquery('english', %s)", text)
        self.matched = self.ranked
        # The words the last word's prefix stands for (only the last word of a
        # query is a prefix), when the vocabulary lists few enough of them.
        self.expansion: list[str] | None = None
        self.impossible = False
        # Only a plain AND of words is rewritten (a \w+ word the parser splits,
        # "hull_no", gives a phrase: left as it is).
        if not lexemes or set(_LEXEME.sub("", stemmed)) - set(" &"):
            return
        last, prefix = lexemes[-1]
        if prefix and last in completions:
            self.lexemes = [*lexemes[:-1], (last, False)]
            whole = " & ".join(self.item(word, False) for word, _ in self.lexemes)
            self.ranked = self.matched = ("%s::tsquery", whole)
        elif prefix and len(completions) <= EXPANSION:
            self.expansion = completions
            self.impossible = not completions
            joined = " & ".join(self.item(word, prefix) for word, prefix in lexemes)
            self.matched = ("%s::tsquery", joined)

    def item(self, word: str, prefix: bool) -> str:
        """One word as tsquery text: stems are not stemmed again there."""
        if prefix and self.expansion:
            return "(" + " | ".join(_quoted(w) for w in self.expansion) + ")"
        return _quoted(word) + (":*" if prefix else "")


def _quoted(word: str) -> str:
    return "'" + word.replace("'", "''") + "'"


def _candidates(cursor, words: _Words, query: SearchQuery, upper: int):
    """(id, published_at as a number, score) of the newest CANDIDATES + 1
    matches, newest first; the score (ts_rank) only when ranking.

    Searched in windows of article ids from the newest down. The first is sized
    from the share of the newest articles holding the words (`recent_shares`;
    without those counts, the planner's statistics of the vector column): wide
    enough to hold the candidates; the next ones from the share of matches
    found so far. The vector, the article's state and
    its filters are in the same row, so each window is one statement, which
    ranks each match while its row is at hand. A search from a date reads all
    its ids at once: the index of publication times finds them."""
    shares = word_shares(cursor, words.lexemes)
    window = _Window(cursor, words, query, shares)
    recent = recent_shares(shares)
    share = _together(list(recent.values())) if recent else None
    if share is not None:
        # A word is commoner in some sections than others ("jamming" in
        # cyber): a section counts like another word of the query.
        share = _together([share, section_share(cursor, query.category_ids)])
    need = CANDIDATES + 1
    if query.date_from:
        width, walk = upper, False
    else:
        width = FIRST_WINDOW if share is None else _width(need, share)
        walk = share is None or share >= WALK_SHARE
    if window.share is not None and window.share * upper <= SPARSE_ROWS:
        lower = 0 if query.date_from or share is None else max(upper - width, 0)
        return window.sparse(upper, need, lower)
    searched, found = 0, list[tuple]()
    while upper > 0 and len(found) < need:
        # A walk stops at the candidates it needs: a wider window costs it
        # nothing, and spares a second statement when the estimate was short.
        lower = max(upper - width * (WALK_REACH if walk else 1), 0)
        rows = window.rows(lower, upper, need - len(found), walk=walk)
        if isinstance(rows, _Page):
            return rows
        found.extend(rows)
        searched += upper - lower
        upper = lower
        if found:
            share = len(found) / searched
            width, walk = _width(need - len(found), share), share >= WALK_SHARE
        else:
            width *= WIDEN
    return found


def _width(need: int, share: float) -> int:
    return max(int(need / max(share, 1e-6) * MARGIN), MIN_WINDOW)


def _together(shares: list[float]) -> float:
    """The share of articles holding all of the words, from each word's: between
    that of the rarest (words that go together) and the product (words that
    do not), their geometric mean; measured, it lands near the truth."""
    product = 1.0
    for share in shares:
        product *= share
    return (min(shares) * product) ** 0.5


class _Window:
    """The newest matches with ids in (lower, upper], two ways.

    Where matches are dense, walking the ids newest first and testing each
    vector stops early: the test is written as a function call, which no index
    serves, or the planner would AND a GIN bitmap of a common word (20 ms for
    a word in a fifth of the articles) instead. Where matches are sparse, the
    walk would read and unpack thousands of vectors that do not match, while
    the GIN index, its bitmap ANDed with the id range, finds the few rows: it
    is asked for the words that are not common only (a word in most articles
    narrows nothing and its bitmap is the costly part), and each row found is
    tested against the whole query. The planner prices testing a vector as
    almost free and would walk, so plain index scans are off for those."""

    def __init__(self, cursor, words: _Words, query: SearchQuery, shares: dict):
        self.cursor, self.words = cursor, words
        self.ranked = query.order == "relevance"
        if self.ranked:
            # ts_rank, not ts_rank_cd: both weigh where the words are (headline
            # first) and how close together, but ts_rank_cd clears 32 kB per
            # word and operator of the query for every row it ranks (PostgreSQL
            # 15-17): three times the cost, 3 ms of a two-word search.
            self.score = f"ts_rank(a.search_vector, {words.ranked[0]}, 32)"
            self.score_param: str | float = words.ranked[1]
        else:
            self.score, self.score_param = "%s::real", 0.0
        self.where, self.params = filters(query)
        # The first statement sends back only this page (see _select).
        self.page: tuple[str, int, int] | None = (
            query.order,
            query.offset,
            query.limit,
        )
        chosen = [w for w, share in shares.items() if share <= COMMON_SHARE]
        if shares and not chosen:
            chosen = [min(shares, key=lambda word: shares[word])]
        # At most this share of articles holds the words looked up.
        self.share = min(shares[w] for w in chosen) if chosen else None
        # Every word looked up: the GIN bitmap is the answer, no second test.
        self.complete = len(chosen) == len(shares)
        self.indexed = " & ".join(words.item(word, prefix) for word, prefix in chosen)

    def rows(self, lower: int, upper: int, limit: int, *, walk: bool) -> list[tuple]:
        matched, param = self.words.matched
        found = f"ts_match_vq(a.search_vector, {matched})"
        params = [param]
        if not walk and self.complete:
            found = f"a.search_vector @@ {matched}"
        elif not walk and self.indexed:
            found = f"a.search_vector @@ %s::tsquery AND {found}"
            params.insert(0, self.indexed)
        return self._select(
            "articles_article a", [], f"{found} AND a.id > %s", [*params, lower],
            upper, limit, final=lower <= 0, index_scans=walk,
        )  # fmt: skip

    def sparse(self, upper: int, limit: int, lower: int) -> list[tuple]:
        """The articles holding words few articles hold, with ids in (lower,
        upper]: the GIN index alone finds them, and the filters are tested on
        the rows it gives. ANDing the primary key's bitmap of a window of tens
        of thousands of ids, or a filter's index, costs more than reading the
        few rows it saves: the subquery, never flattened nor given the outer
        conditions (OFFSET 0), keeps the planner from doing so, and `id + 0`
        keeps the id window a filter. Tested there, in the scan, the older
        matches cost a page read each, where they cost more when they went up
        to the sort (2,600 rows sorted and ranked for 1,001 kept). When the
        window held fewer than `limit` (the estimate was short), the older
        matches are read by a second statement."""
        matched, param = self.words.matched
        params: list[str | int]
        if self.complete:
            inner, params, found = matched, [param], "true"
        else:
            inner, params = "%s::tsquery", [self.indexed]
            found = f"ts_match_vq(a.search_vector, {matched})"
        newest = ""
        if lower > 0:
            newest, params = " AND id + 0 > %s", [*params, lower]
        rows = self._select(
            "(SELECT * FROM articles_article WHERE search_vector @@ "
            f"{inner}{newest} OFFSET 0) a",
            params, found, [] if self.complete else [param], upper, limit,
            final=lower <= 0,
        )  # fmt: skip
        if isinstance(rows, _Page) or len(rows) >= limit or lower <= 0:
            return rows
        return rows + self.sparse(lower, limit - len(rows), 0)

    def _select(
        self, source, source_params, found, params, upper, limit, final,
        index_scans=True,
    ):  # fmt: skip
        """The window's matches, newest first, as (id, published_at as a
        number, score). The first statement of a search (`page` set) sends
        back only the rows of the page asked for, best first, as a `_Page`,
        when the window holds all the candidates (most searches): a thousand
        rows through the driver cost 2 ms of Python. Otherwise, and for the
        later windows, all of the window's rows."""
        score, score_params = self.score, [self.score_param]
        sql = (
            # published_at as microseconds since 1970: sorts the same, and
            # spares making a thousand time-zone-aware datetimes per search.
            "SELECT a.id, (extract(epoch FROM a.published_at) * 1000000)::bigint "
            f"AS pub, {score} AS score FROM {source} WHERE {found} AND a.id <= %s "
            f"AND {' AND '.join(self.where)} ORDER BY a.id DESC LIMIT %s"
        )
        args = [*score_params, *source_params, *params, upper, *self.params, limit]
        # The planner prices testing a vector as almost free: given the
        # choice, it would walk the primary key where the GIN index is meant.
        settings = {"enable_indexscan": "on" if index_scans else "off"}
        if self.page is None:
            return _local(self.cursor, settings, sql, args)
        order, offset, size = self.page
        self.page = None
        key = "score" if order == "relevance" else "pub"
        # t: the page and those before it; p: the page, whose texts and cards
        # come in the same statement (a statement less, 0.5 ms). A window
        # reaching the first id (`final`) holds all there is: its page then
        # too, however few.
        rows = _local(
            self.cursor,
            settings,
            f"WITH c AS MATERIALIZED ({sql}), n AS (SELECT count(*) AS n FROM c), "
            "t AS (SELECT id, pub, score FROM (SELECT id, pub, score FROM c "
            f"ORDER BY id DESC LIMIT %s) w ORDER BY {key} DESC, id DESC LIMIT %s), "
            f"p AS (SELECT id FROM t ORDER BY {key} DESC, id DESC OFFSET %s) "
            f"SELECT c.id, c.pub, c.score, n.n, s.* FROM c CROSS JOIN n LEFT JOIN "
            f"({CARDS} FROM p JOIN {CARD_TABLES} ON d.article_id = p.id "
            # Not even started when the window is short (`_texts` then).
            "WHERE %s OR (SELECT n FROM n) >= %s) s ON s.page_id = c.id "
            "WHERE (n.n < %s AND NOT %s) OR c.id IN (SELECT id FROM t) "
            "ORDER BY c.id DESC",
            [*args, CANDIDATES, offset + size, offset, final, limit, limit, final],
        )
        if not rows:
            return []
        if final:
            found = rows[0][3]
            return _Page(rows, key, min(found, CANDIDATES), found > CANDIDATES)
        if len(rows) < rows[0][3]:
            return _Page(rows, key, CANDIDATES, True)
        return [row[:3] for row in rows]


def _local(cursor, settings: dict[str, str], sql: str, params) -> list[tuple]:
    """The rows of `sql`, run with `settings` (and no parallel workers: one
    costs more to start than these scans take, and a busy web server has no
    idle core to give it), sent with them as one message: PostgreSQL runs the
    statements of one message in one transaction, so the settings last for
    this statement only, without a BEGIN and a COMMIT (a round trip each,
    about half a millisecond inside a request on this machine). Needs
    Django's default client-side binding (`server_side_binding` off), which
    sends a statement as text."""
    settings = {"max_parallel_workers_per_gather": "0", **settings}
    local = "".join(f"SET LOCAL {name} = {value}; " for name, value in settings.items())
    cursor.execute(local + sql, params)
    while cursor.description is None and cursor.nextset():
        pass
    return cursor.fetchall()


class _Page:
    """The rows of the page asked for and those before it, best first (by
    score or by publication time, ties newest id first), from a first window
    that held more matches than the candidates (the count is CANDIDATES and
    there are more) or all there are; the count of candidates and whether
    there are more."""

    def __init__(self, rows: list[tuple], key: str, total: int, more: bool):
        self.total, self.more = total, more
        by = itemgetter(2, 0) if key == "score" else itemgetter(1, 0)
        self.rows = sorted((row[:3] for row in rows), key=by, reverse=True)
        # (id, text, *CARD_COLUMNS) of the page's rows, as `_texts` gives.
        self.texts = [row[4:] for row in rows if row[4] is not None]


_stats: dict = {
    "at": -STATS_SECONDS,
    "shares": {},
    "words": [],
    "rare": None,
    "sections": {},
    "recent": {},
    "recent_words": [],
}


def _statistics(cursor) -> dict:
    """The planner's statistics kept by ANALYZE, read again every STATS_SECONDS:
    the vector column's most common elements with the share of articles
    holding each, and the most common sections with theirs."""
    if time.monotonic() - _stats["at"] <= STATS_SECONDS:
        return _stats
    cursor.execute(
        "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs, "
        "most_common_vals::text::text[], most_common_freqs FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = 'articles_article' "
        "AND attname IN ('search_vector', 'category_id')"
    )
    found = {row[0]: row[1:] for row in cursor.fetchall()}
    nothing = (None, None, None, None)
    elems, freqs, _, _ = found.get("search_vector") or nothing
    elems, freqs = elems or [], freqs or []
    _, _, sections, section_freqs = found.get("category_id") or nothing
    recent = cache.get(RECENT_KEY) or {}
    _stats.update(
        at=time.monotonic(),
        recent=recent,
        recent_words=sorted(recent),
        shares=dict(zip(elems, freqs, strict=False)),
        words=sorted(elems),
        # After the elements' frequencies: their minimum, maximum, nulls.
        rare=freqs[len(elems)] if elems else None,
        sections={
            int(pk): share
            for pk, share in zip(sections or [], section_freqs or [], strict=False)
        },
    )
    return _stats


def word_shares(cursor, lexemes: list[tuple[str, bool]]) -> dict[tuple, float]:
    """The share of articles holding each word (a prefix: any word it begins),
    from the planner's statistics; a word not among the most common is rarer
    than the rarest listed. Empty when there are no statistics yet."""
    stats = _statistics(cursor)
    shares, words, rare = stats["shares"], stats["words"], stats["rare"]
    if rare is None:
        return {}
    return {
        (word, prefix): min(_listed(shares, words, word, prefix), 1.0) or rare / 2
        for word, prefix in lexemes
    }


def recent_shares(shares: dict[tuple, float]) -> dict[tuple, float]:
    """The share of the newest articles holding each word, where the last
    count (`refresh_recent_shares`) has it; a word it does not list is in
    fewer than RECENT_MIN_SHARE of them, and in no more than the site's
    share. The site's shares (`shares`) when there is no count yet. Topics
    come and go: a word in a fifth of the archive may be in a third of this
    month's articles, and a window sized from the first holds far more
    matches than the candidates."""
    recent, words = _stats["recent"], _stats["recent_words"]
    if not recent:
        return shares
    return {
        (word, prefix): min(_listed(recent, words, word, prefix), 1.0)
        or min(share, RECENT_MIN_SHARE)
        for (word, prefix), share in shares.items()
    }


def _listed(shares: dict, words: list[str], word: str, prefix: bool) -> float:
    """The share listed for `word`, or for all the words it begins (`words`:
    the listed words in order)."""
    if not prefix:
        return shares.get(word, 0.0)
    first = bisect_left(words, word)
    last = bisect_left(words, word + "\U0010ffff", first)
    return sum(shares[w] for w in words[first:last])


def refresh_recent_shares() -> int:
    """Count the share of the newest RECENT_ARTICLES live articles holding
    each word (ts_stat) and keep those in at least RECENT_MIN_SHARE of them in
    the shared cache, where every process reads them with the planner's
    statistics (`_statistics`). A periodic task (search.tasks); a few tenths
    of a second. Gives the number of words kept; 0 on other databases."""
    if connection.vendor != "postgresql":
        return 0
    # ts_stat() takes the statement as text: no parameters inside it. The
    # conditions are those of Article.objects.published().
    live = Article.Status.PUBLISHED.value
    newest = (
        f"SELECT search_vector FROM articles_article WHERE status = '{live}' "
        "AND published_at <= now() AND search_vector IS NOT NULL "
        f"ORDER BY id DESC LIMIT {RECENT_ARTICLES:d}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({newest}) n")
        counted = cursor.fetchone()[0]
        if not counted:
            cache.delete(RECENT_KEY)
            return 0
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat(%s) WHERE ndoc >= %s",
            [newest, max(1, int(counted * RECENT_MIN_SHARE))],
        )
        shares = {word: found / counted for word, found in cursor.fetchall()}
    cache.set(RECENT_KEY, shares, None)
    _stats["at"] = -STATS_SECONDS  # this process reads them at its next search
    return len(shares)


def section_share(cursor, category_ids: list[int] | None) -> float:
    """The share of articles in these sections (1 for all), from the planner's
    statistics; a section not among the most common counts as 1 %."""
    if not category_ids:
        return 1.0
    sections = _statistics(cursor)["sections"]
    return min(sum(sections.get(pk, 0.01) for pk in category_ids), 1.0)


def _texts(cursor, ids: list[int]) -> list[tuple]:
    """(id, text, *CARD_COLUMNS) of the rows of the page: the text the snippet
    is made from in Python (search/snippets.py) with the query's stems, the
    body or, when there is none, the headline; ts_headline was a third of a
    search."""
    if not ids:
        return []
    cursor.execute(f"{CARDS} FROM {CARD_TABLES} WHERE d.article_id = ANY(%s)", [ids])
    return cursor.fetchall()
