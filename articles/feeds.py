"""RSS 2.0 and Atom feeds of the newest articles, at WordPress's addresses:
/feed/ and /feed/atom/ for the whole site, /category/<path>/feed/, /tag/<slug>/feed/
and /author/<slug>/feed/ for one archive.

Items carry the full sanitised body or the excerpt, as Site settings say
(`feed_full_text`), followed by the story's corrections and update notes; an
item's updated date is the story's last change of substance. Every address is
absolute from settings.SITE_URL, never from the request's Host header. The
views go through the page cache, whose generation is bumped by any article
change, so a newly published story shows at once.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from io import StringIO
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import format_html_join
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_safe

from articles.models import (
    Article,
    ArticleQuerySet,
    Author,
    Category,
    Correction,
    Tag,
)
from articles.services import author_tags, section_tags, tag_tags
from core.models import SiteSettings
from lib import fragments, pagecache
from lib.pagecache import FRONT, cached_page


def feed_size() -> int:
    """How many items a feed lists (the site's settings, `feed_items`)."""
    return SiteSettings.load().feed_items


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def article_guid(article: Article) -> str:
    """WordPress's permanent id: it survives a change of slug or date."""
    return article_guid_for(article.pk)


def article_guid_for(pk: int) -> str:
    return absolute(f"/?p={pk}")


def notes_html(notes: list[Correction]) -> str:
    """A story's corrections and update notes, after its text in a feed."""
    return format_html_join(
        "",
        '<p class="correction"><strong>{}</strong> ({}): {}</p>',
        (
            (
                note.get_kind_display(),
                date_format(timezone.localtime(note.published_at), "F j, Y"),
                note.text,
            )
            for note in notes
        ),
    )


def _with_bodies(articles: list[Article], full_text: bool) -> list[Article]:
    """Fill in the body that for_listing() defers, in one query, for the items
    that need it: all of them in full text, those without a standfirst (whose
    excerpt comes from the body) otherwise."""
    wanted = [
        a.pk
        for a in articles
        if (full_text or not a.standfirst) and "body" in a.get_deferred_fields()
    ]
    if wanted:
        bodies = dict(Article.objects.filter(pk__in=wanted).values_list("pk", "body"))
        for article in articles:
            if article.pk in bodies:
                article.body = bodies[article.pk]
    for article in articles:
        article.feed_description = article.body if full_text else article.excerpt
    return articles


class SiteFeed(Feed):
    """What the site's feeds share: RSS by default, the site's title and time
    zone. Subclasses say what their items are (LatestArticlesFeed: articles;
    comments.feeds: the comments on one article)."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    feed_url_name = "articles:feed"
    item_guid_is_permalink = False

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Permalinks carry the date in the site's time zone (the middleware
        # activates it during requests; this keeps the feed right without it).
        with timezone.override(SiteSettings.load().tzinfo):
            return super().__call__(request, *args, **kwargs)

    # The feed --------------------------------------------------------------

    def get_object(self, request: HttpRequest, *args, **kwargs):
        return None

    def site_title(self) -> str:
        return SiteSettings.load().site_name

    def title(self, obj) -> str:
        return self.site_title()

    def description(self, obj) -> str:
        return SiteSettings.load().tagline or self.site_title()

    def subtitle(self, obj) -> str:
        return self.description(obj)

    def link(self, obj) -> str:
        return absolute(reverse("articles:home"))

    def feed_url(self, obj) -> str:
        return absolute(reverse(self.feed_url_name))


class StoredItems:
    """A feed whose items may come from the fragment store (lib/fragments): its
    `entries` are, in order, each item's key with its stored XML, or with the
    item Django's Feed just made, which is written and then stored."""

    entries: list[tuple[str, str | None, dict[str, Any] | None]]
    latest: dt.datetime | None
    items: list[dict[str, Any]]

    def write_items(self, handler: SimplerXMLGenerator) -> None:
        made = {}
        for key, stored, item in self.entries:
            if stored is None:
                assert item is not None
                buffer = StringIO()
                writer = SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True)
                self.write_item(writer, item)
                stored = made[key] = buffer.getvalue()
            # Already serialised XML, written as it is (SAX's raw output).
            handler.ignorableWhitespace(stored)
        fragments.set_many(made)

    #: The element each item is written in ("item" in RSS, "entry" in Atom).
    item_element = "item"

    def write_item(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        """One item as the feed type writes it (RssFeed.write_items' body)."""
        attributes = self.item_attributes(item)  # type: ignore[attr-defined]
        handler.startElement(self.item_element, attributes)
        self.add_item_elements(handler, item)  # type: ignore[attr-defined]
        handler.endElement(self.item_element)

    def latest_post_date(self) -> dt.datetime:
        return self.latest or dt.datetime.now(tz=dt.UTC)


class StoredRssFeed(StoredItems, Rss201rev2Feed):
    pass


class StoredAtomFeed(StoredItems, Atom1Feed):
    item_element = "entry"


#: The ids of the items a feed being made must render (the others are stored).
_to_render: ContextVar[list[int]] = ContextVar("feed_items_to_render")


class LatestArticlesFeed(SiteFeed):
    """The newest published articles of the whole site. Each item's XML is a
    fragment (lib/fragments) kept by the article's versions (updated_at,
    which a correction or update note moves too; comment count), SITE's and
    the feed's settings: a feed is made from its ids, and only the items that
    changed are read and rendered."""

    feed_type: type[SyndicationFeed] = StoredRssFeed

    def articles(self, obj) -> ArticleQuerySet:
        return Article.objects.published()

    def get_feed(self, obj, request: HttpRequest) -> SyndicationFeed:
        # Ids first, then their versions: a column past the body makes SQLite
        # read every candidate row through it (a tag of 1,000 articles).
        ids = self.newest_ids(obj)
        rows = Article.objects.values_by_id(
            ids,
            "pk",
            "updated_at",
            "published_at",
            "comment_count",
            "substantive_update_at",
        )
        versions = {row[0]: row[1:] for row in rows}
        ids = [pk for pk in ids if pk in versions]
        site = SiteSettings.load()
        common = (
            self.feed_type.__name__,
            pagecache.version(pagecache.SITE),
            site.feed_full_text,
            settings.SITE_URL,
            timezone.get_current_timezone_name(),
        )
        keys = {
            pk: fragments.key(
                "feed-item", pk, versions[pk][0].isoformat(), versions[pk][2], *common
            )
            for pk in ids
        }
        stored = fragments.get_many(list(keys.values()))
        token = _to_render.set([pk for pk in ids if keys[pk] not in stored])
        try:
            feed = super().get_feed(obj, request)
        finally:
            _to_render.reset(token)
        made = {item["unique_id"]: item for item in feed.items}
        assert isinstance(feed, StoredItems)
        feed.entries = [
            (keys[pk], stored.get(keys[pk]), made.get(article_guid_for(pk)))
            for pk in ids
            if keys[pk] in stored or article_guid_for(pk) in made
        ]
        # The feed changed when an item was published or changed in substance
        # (what its <updated> says), not at a minor edit (updated_at).
        dates = []
        for pk in ids:
            _updated, published, _count, update = versions[pk]
            dates += [d for d in (published, update) if d]
        feed.latest = max(dates) if dates else None
        return feed

    def newest_ids(self, obj) -> list[int]:
        """The ids of the feed's newest articles (`feed_size`)."""
        newest = self.articles(obj).newest_first()
        return list(newest.values_list("pk", flat=True)[: feed_size()])

    def items(self, obj) -> list[Article]:
        """The articles to render: those get_feed found missing, or, called on
        its own, the feed's newest."""
        wanted = _to_render.get(None)
        if wanted == []:
            return []
        queryset = (
            self.articles(obj)
            if wanted is None
            else Article.objects.filter(pk__in=wanted)
        )
        full_text = SiteSettings.load().feed_full_text
        newest = queryset.for_listing().newest_first()
        if full_text:
            newest = newest.defer(None)  # every body is shown
        notes = Prefetch("corrections", queryset=Correction.objects.in_order())
        listed = newest.prefetch_related("tags", "coauthors", notes)
        articles = list(listed[: feed_size()])
        return _with_bodies(articles, full_text)

    # Each article ----------------------------------------------------------

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        return item.feed_description + notes_html(list(item.corrections.all()))

    def item_link(self, item: Article) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item: Article) -> str:
        return article_guid(item)

    def item_comments(self, item: Article) -> str:
        return absolute(item.get_absolute_url()) + "#comments"

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.modified_at

    def item_author_name(self, item: Article) -> str:
        return ", ".join(a.display_name for a in item.all_authors())

    def item_author_link(self, item: Article) -> str:
        return absolute(item.author.get_absolute_url())

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name, *(tag.name for tag in item.tags.all())]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = StoredAtomFeed
    feed_url_name = "articles:feed_atom"


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request: HttpRequest, category: Category) -> Category:
        return category

    def title(self, obj: Category) -> str:
        return f"{self.site_title()} » {obj.name}"

    def description(self, obj: Category) -> str:
        return obj.description or f"The latest stories in {obj.name}"

    def link(self, obj: Category) -> str:
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj: Category) -> str:
        return absolute(reverse("articles:category_feed", kwargs={"path": obj.path}))

    def articles(self, obj: Category) -> ArticleQuerySet:
        return Article.objects.published().in_category(obj)


class TagFeed(LatestArticlesFeed):
    def get_object(self, request: HttpRequest, tag: Tag) -> Tag:
        return tag

    def title(self, obj: Tag) -> str:
        return f"{self.site_title()} » {obj.name}"

    def description(self, obj: Tag) -> str:
        return f"The latest stories tagged {obj.name}"

    def link(self, obj: Tag) -> str:
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj: Tag) -> str:
        return absolute(reverse("articles:tag_feed", kwargs={"slug": obj.slug}))

    def articles(self, obj: Tag) -> ArticleQuerySet:
        return Article.objects.published().tagged(obj)

    def newest_ids(self, obj: Tag) -> list[int]:
        # A big tag's newest without reading all its stories (the archive's way).
        return Article.objects.tag_newest_ids(obj, 0, feed_size())


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request: HttpRequest, author: Author) -> Author:
        return author

    def title(self, obj: Author) -> str:
        return f"{self.site_title()} » {obj.display_name}"

    def description(self, obj: Author) -> str:
        return f"The latest stories by {obj.display_name}"

    def link(self, obj: Author) -> str:
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj: Author) -> str:
        return absolute(reverse("articles:author_feed", kwargs={"slug": obj.slug}))

    def articles(self, obj: Author) -> ArticleQuerySet:
        return Article.objects.published().by_author(obj)


_front = cached_page(lambda **_: [FRONT])
site_feed = require_safe(_front(LatestArticlesFeed()))
site_atom_feed = require_safe(_front(LatestArticlesAtomFeed()))
_category_feed = CategoryFeed()
_tag_feed = TagFeed()
_author_feed = AuthorFeed()


@require_safe
@cached_page(section_tags)
def category_feed(request: HttpRequest, path: str) -> HttpResponse:
    category = get_object_or_404(
        Category.objects.select_related("parent"), slug=path.rsplit("/", 1)[-1]
    )
    if path != category.path:
        url = reverse("articles:category_feed", kwargs={"path": category.path})
        return redirect(url, permanent=True)
    return _category_feed(request, category=category)


@require_safe
@cached_page(tag_tags)
def tag_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return _tag_feed(request, tag=get_object_or_404(Tag, slug=slug))


@require_safe
@cached_page(author_tags)
def author_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return _author_feed(request, author=get_object_or_404(Author, slug=slug))
