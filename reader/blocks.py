"""One function per block of the article and home pages, and the home page's
assembly.

The page templates never query; the views call these. Each block's data comes
from the app that owns it (Top 5, Popular and Related from audience); this
module is where they meet the page.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import SafeString

from articles.models import Article, Category
from audience.related import related_articles as stored_related
from audience.services import ranked_articles
from lib import pagecache
from reader.cards import Teaser, card_groups

LATEST_COUNT = 6
SECTION_COUNT = 4


def top_this_week(*, limit: int = 5, exclude: Iterable[int] = ()) -> list[Article]:
    """Top 5 This Week: the most-read live articles of the trailing seven days
    in the site's time zone, newest first among equals. Precomputed by the
    audience app's periodic task; one query here."""
    return ranked_articles("week", limit=limit, exclude=list(exclude))


def popular_articles(*, limit: int = 5, exclude: Iterable[int] = ()) -> list[Article]:
    """Popular Articles: the most-read over AUDIENCE_POPULAR_DAYS (30), the same
    way."""
    return ranked_articles("popular", limit=limit, exclude=list(exclude))


def related_articles(article: Article, *, limit: int = 4) -> list[Article]:
    """Related Posts by content (TF-IDF, editors' pins and exclusions), computed
    by a task when the article changes; one query here."""
    return stored_related(article, limit=limit)


@dataclass
class HomeSection:
    category: Category
    articles: list[Teaser]
    cards: list[SafeString] = field(default_factory=list)


class HomePage:
    """What the home page lists, as card keys. The cards are rendered, or
    taken from the fragment store, all at once when the template first asks
    for one; Top 5 and Popular are read only when their live blocks are not
    stored."""

    def __init__(
        self,
        lead: Teaser | None,
        latest: list[Teaser],
        sections: list[HomeSection],
        shown: set[int],
    ) -> None:
        self.lead, self.latest, self.shown = lead, latest, shown
        self._sections = sections
        self._cards: list[list[SafeString]] | None = None

    def _render_cards(self) -> list[list[SafeString]]:
        """Every card of the page (one lookup, one query at most)."""
        if self._cards is None:
            groups = [
                ([self.lead] if self.lead else [], "lead"),
                (self.latest, "latest"),
            ]
            for section in self._sections:
                groups += [(section.articles[:1], "section-first")]
                groups += [(section.articles[1:], "section")]
            self._cards = card_groups(groups)
            for index, section in enumerate(self._sections):
                section.cards = self._cards[2 + 2 * index] + self._cards[3 + 2 * index]
        return self._cards

    @property
    def lead_card(self) -> SafeString:
        made = self._render_cards()[0]
        return made[0] if made else SafeString("")

    @property
    def latest_cards(self) -> list[SafeString]:
        return self._render_cards()[1]

    @property
    def sections(self) -> list[HomeSection]:
        self._render_cards()
        return self._sections

    @cached_property
    def top_week(self) -> list[Article]:
        return top_this_week(exclude=self.shown)

    @cached_property
    def popular(self) -> list[Article]:
        return popular_articles(exclude=self.shown | {a.pk for a in self.top_week})


def main_categories() -> list[Category]:
    return list(Category.objects.filter(parent__isnull=True))


#: One part of the home page's statement: a list's newest live stories.
_PART = (
    "SELECT * FROM (SELECT %s AS part, id, updated_at, comment_count"
    " FROM articles_article WHERE {where}"
    " ORDER BY published_at DESC, id DESC LIMIT {limit}) AS part{n}"
)
_LIVE = "status = %s AND published_at <= %s"


def _home_lists(sections: list[list[int]]) -> list[list[Teaser]]:
    """The home page's lists in one statement, each part on its own index:
    [0] the newest live stories (article_live_idx), [1] the newest live
    sticky one (article_sticky_idx: `status || ''` keeps SQLite off the
    date-ordered index, where it walked every live story looking for a sticky
    one, 13 ms at 10,000 when there is none), then each main section with its
    subsections (article_live_cat_idx), enough to fill it once the lead and
    the latest are left out. With the ORM these were eight statements, whose
    compiling cost more than running them (0.4 ms each against 0.05)."""
    live: list[Any] = [
        Article.Status.PUBLISHED,
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    parts: list[tuple[str, list[Any], int]] = [
        (_LIVE, live, LATEST_COUNT + 1),
        ("sticky = %s AND status || '' = %s AND published_at <= %s", [True, *live], 1),
    ]
    if connection.vendor == "postgresql":
        sql, params = _sections_lateral(sections, live, len(parts))
        sql = f"{_union(parts)} UNION ALL {sql}"
        params = [*_union_params(parts), *params]
    else:
        for ids in sections:
            marks = ", ".join(["%s"] * len(ids))
            where = f"category_id IN ({marks}) AND {_LIVE}"
            parts.append((where, [*ids, *live], SECTION_COUNT + LATEST_COUNT + 1))
        sql, params = _union(parts), _union_params(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    lists: list[list[Teaser]] = [[] for _ in range(2 + len(sections))]
    for part, pk, updated_at, comment_count in rows:
        lists[part].append(Teaser(pk, updated_at, comment_count))
    return lists


def _union(parts: list[tuple[str, list[Any], int]]) -> str:
    return " UNION ALL ".join(
        _PART.format(where=where, limit=int(limit), n=n)
        for n, (where, _params, limit) in enumerate(parts)
    )


def _union_params(parts: list[tuple[str, list[Any], int]]) -> list[Any]:
    return [value for n, (_w, part, _l) in enumerate(parts) for value in (n, *part)]


def _sections_lateral(
    sections: list[list[int]], live: list[Any], first: int
) -> tuple[str, list[Any]]:
    """PostgreSQL: the sections' part as one subquery run for each (section,
    category) pair, then the newest of each section. Planning one part per
    section cost PostgreSQL 0.8 ms a home page (eleven parts), more than
    running them; this plans one (0.85 against 1.55 ms a statement, wall,
    the WordPress import)."""
    pairs = [(first + n, pk) for n, ids in enumerate(sections) for pk in ids]
    if not pairs:
        return "SELECT 0, 0, NULL, 0 WHERE FALSE", []
    limit = int(SECTION_COUNT + LATEST_COUNT + 1)
    values = ", ".join(["(%s, %s)"] * len(pairs))
    sql = (
        "SELECT part, id, updated_at, comment_count FROM ("
        " SELECT v.part, a.id, a.updated_at, a.comment_count, row_number() OVER"
        " (PARTITION BY v.part ORDER BY a.published_at DESC, a.id DESC) AS rank"
        f" FROM (VALUES {values}) AS v(part, category)"
        " CROSS JOIN LATERAL (SELECT id, updated_at, comment_count, published_at"
        " FROM articles_article WHERE category_id = v.category AND"
        f" {_LIVE} ORDER BY published_at DESC, id DESC LIMIT {limit}) AS a"
        f") AS sections WHERE rank <= {limit}"
    )
    return sql, [*(value for pair in pairs for value in pair), *live]


def _main_sections() -> list[tuple[Category, list[int]]]:
    """The main sections in order, each with its own id and its
    subsections'. One version of SITE, which any change of a section bumps,
    has one answer: each process keeps the current one (a query compiled by
    the ORM cost more than the home page's lists; the shared cache, a round
    trip to Redis on every home page)."""
    key = pagecache.version(pagecache.SITE)
    found = _sections_memo.get(key)
    if found is None:
        categories = list(Category.objects.all())
        tree: dict[int | None, list[int]] = {}
        for category in categories:
            tree.setdefault(category.parent_id, []).append(category.pk)
        found = [(c, c.descendant_ids(tree)) for c in categories if c.parent_id is None]
        _sections_memo.clear()  # older versions are never asked for again
        _sections_memo[key] = found
    return found


_sections_memo: dict[str, list[tuple[Category, list[int]]]] = {}


#: The home page's lists as the last statement read them, by the versions of
#: FRONT and SITE: whatever changes what the home page lists or shows on its
#: cards bumps one of them (reader/signals.py: a publication, an edit or a
#: comment of a story on the front, a section), the contract the page cache
#: keeps the home page by too. At most LISTS_SECONDS old, for what no signal
#: announces (a story saved as published with a time still to come).
LISTS_SECONDS = 60
_kept_lists: dict[tuple[str, ...], tuple[float, list[list[Teaser]]]] = {}


def _kept_home_lists(sections: list[list[int]]) -> list[list[Teaser]]:
    # The sections follow from SITE's version (_main_sections).
    key = pagecache.versions([pagecache.FRONT, pagecache.SITE])
    now = time.time()
    kept = _kept_lists.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    lists = _home_lists(sections)
    _kept_lists.clear()  # one version at a time: older ones are never read again
    _kept_lists[key] = (now + LISTS_SECONDS, lists)
    return lists


def home_page() -> HomePage:
    """Build the home page so that no story appears in two blocks."""
    plan = _main_sections()
    main = [category for category, _ids in plan]
    newest, sticky, *in_sections = _kept_home_lists([ids for _c, ids in plan])
    lead = (sticky or newest)[0] if sticky or newest else None
    shown: set[int] = {lead.pk} if lead else set()
    latest = [a for a in newest if a.pk not in shown][:LATEST_COUNT]
    shown.update(a.pk for a in latest)
    sections = []
    for category, found in zip(main, in_sections, strict=True):
        items = [a for a in found if a.pk not in shown][:SECTION_COUNT]
        if items:
            sections.append(HomeSection(category, items))
            shown.update(a.pk for a in items)
    return HomePage(lead, latest, sections, shown)


#: Sections, tags and authors an archive page named, by lookup and the
#: version of SITE (which any change of one of them bumps): a page of an
#: archive no longer compiles and runs a query to find its subject
#: (0.3 ms of 2.6 on PostgreSQL). Found ones only: unknown addresses would
#: fill it.
_named: dict[tuple[str, tuple[tuple[str, Any], ...], str], Any] = {}


def named[M: Model](queryset: QuerySet[M], **lookup: Any) -> M:
    """The one object of `queryset` matching `lookup`, or Http404."""
    key = (
        queryset.model._meta.label,
        tuple(sorted(lookup.items())),
        pagecache.version(pagecache.SITE),
    )
    found: M | None = _named.get(key)
    if found is None:
        found = get_object_or_404(queryset, **lookup)
        if len(_named) >= 1_000:
            _named.clear()
        _named[key] = found
    return found
