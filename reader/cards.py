"""Teaser cards, rendered once per version of what they show (lib/fragments).

A card prints the article's row (headline, standfirst, image, date, comment
count) and the names and addresses of its section and author, in the site's
time zone. Its key holds all of that: the article's id, `updated_at` and
comment count (what a list's query returns with the ids), the version of the
page-cache tag SITE (bumped when a section, an author or the site's settings
change, and after bulk writes) and the time zone. A list then reads its ids,
takes the cards it has, and loads and renders only the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from articles.models import Article
from lib import fragments, pagecache


@dataclass(frozen=True)
class Teaser:
    """What a card's key needs, read with the list's ids. `updated_at` is as
    the query gave it: a datetime from the ORM, or the column's text from a
    raw statement on SQLite (see `stamp`)."""

    pk: int
    updated_at: dt.datetime | str
    comment_count: int


FIELDS = ("pk", "updated_at", "comment_count")


def stamp(value: dt.datetime | str | None) -> str:
    """A moment as the database stores it, however it was read: text from
    SQLite's raw rows as it is, a datetime turned into that text (parsing
    eighty raw values instead cost 0.8 ms a home page). A card's key must
    not depend on how its row was read."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(connection.ops.adapt_datetimefield_value(value))


#: The card's look in each place: the flags of includes/article_card.html.
VARIANTS: dict[str, dict[str, bool]] = {
    "archive": {"show_category": True, "show_standfirst": True},
    "latest": {"compact": True, "show_category": True},
    "section": {},
    "section-first": {"show_standfirst": True},
    "listed": {"show_category": True},  # Related Posts, Popular Articles
    "lead": {},  # includes/lead_story.html
}
_TEMPLATES = {"lead": "includes/lead_story.html"}


def teasers(queryset: QuerySet[Article]) -> list[Teaser]:
    """The list's articles as card keys, in its order (one query, no joins)."""
    return [Teaser(*row) for row in queryset.values_list(*FIELDS)]


#: How many of a list's newest ids are kept with its count (100 pages of 20).
LISTED = 2_000


class TeaserList:
    """A list's articles, newest first, as teasers, for Django's Paginator
    (count() and slices).

    The page's ids are found first, from what the indexes hold (id, status,
    date), then the page's teasers are read: on SQLite a column past the body
    (updated_at) makes it read every candidate row through the body, 7.7 ms
    against 1.8 for a tag of 1,000 articles. Given `versions` (the versions
    of the page-cache tags of the list's page, bumped whenever an article
    joins, leaves or moves in it), the count and the newest LISTED ids are a
    fragment kept under them: a tag of 3,000 stories is then not sorted again
    until one of them changes."""

    def __init__(
        self,
        queryset: Callable[[], QuerySet[Article]],
        count: Callable[[], int] | None = None,
        versions: tuple[object, ...] | None = None,
        newest: Callable[[int, int], list[int]] | None = None,
    ) -> None:
        self._queryset = queryset  # built when needed (a section's subsections)
        self._count = count or (lambda: self.ids.count())
        self.versions = versions
        self._listed: tuple[int, list[str]] | None = None
        # The ids of a window (offset, limit), if the list has a better way
        # to find them than its queryset (a tag's archive).
        self._newest = newest or (
            lambda offset, limit: list(self.ids[offset : offset + limit])
        )

    @cached_property
    def ids(self) -> QuerySet[Article, int]:
        newest = self._queryset().order_by("-published_at", "-pk")
        return newest.values_list("pk", flat=True)

    def _stored(self) -> tuple[int, list[str]] | None:
        if self.versions is None or not fragments.enabled():
            return None
        if self._listed is None:

            def listing() -> str:
                ids = self._newest(0, LISTED)
                count = self._count() if len(ids) == LISTED else len(ids)
                return f"{count}:{','.join(map(str, ids))}"

            text = fragments.fragment(fragments.key("list", *self.versions), listing)
            count, _, ids = text.partition(":")
            # Split in C; the page's ten are made numbers when asked for.
            self._listed = (int(count), ids.split(",") if ids else [])
        return self._listed

    def count(self) -> int:
        stored = self._stored()
        return stored[0] if stored else self._count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Teaser]:
        stored = self._stored()
        if stored and (window.stop or 0) <= LISTED:
            ids = [int(pk) for pk in stored[1][window]]
        elif window.stop is None:  # to the end: not what Paginator asks for
            ids = list(self.ids[window])
        else:
            start = window.start or 0
            ids = self._newest(start, window.stop - start)
        rows = Article.objects.values_by_id(ids, *FIELDS)
        found = {row[0]: Teaser(*row) for row in rows}
        return [found[pk] for pk in ids if pk in found]


def cards(items: Sequence[Teaser | Article], variant: str) -> list[SafeString]:
    """The cards of these articles, in order (see `card_groups`)."""
    return card_groups([(items, variant)])[0]


def card_groups(
    groups: Sequence[tuple[Sequence[Teaser | Article], str]],
) -> list[list[SafeString]]:
    """The cards of several lists of a page, each list in its variant, in
    order: one lookup in the fragment store for them all, and one query for
    the articles of the missing ones (articles already loaded are rendered as
    they are; an article deleted meanwhile is left out)."""
    site = pagecache.version(pagecache.SITE)
    zone = timezone.get_current_timezone_name()
    wanted: list[tuple[Teaser | Article, str, str]] = [
        (
            item,
            variant,
            fragments.key(
                "card",
                variant,
                item.pk,
                stamp(item.updated_at),
                item.comment_count,
                site,
                zone,
            ),
        )
        for items, variant in groups
        for item in items
    ]
    found = fragments.get_many([key for _item, _variant, key in wanted])
    missing = [entry for entry in wanted if entry[2] not in found]
    if missing:
        loaded = {i.pk: i for i, _v, _k in missing if isinstance(i, Article)}
        ids = {item.pk for item, _v, _k in missing} - set(loaded)
        if ids:
            loaded |= Article.objects.for_listing().in_bulk(list(ids))
        made: dict[str, SafeString] = {
            key: render_to_string(
                _TEMPLATES.get(variant, "includes/article_card.html"),
                {"article": loaded[item.pk], **VARIANTS[variant]},
            )
            for item, variant, key in missing
            if item.pk in loaded
        }
        fragments.set_many(made)
        found |= made
    result: list[list[SafeString]] = []
    position = 0
    for items, _variant in groups:
        keys = [key for _i, _v, key in wanted[position : position + len(items)]]
        position += len(items)
        result.append([found[key] for key in keys if key in found])
    return result
