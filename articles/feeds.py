"""RSS 2.0 and Atom feeds of the newest articles, at WordPress's addresses:
/feed/ and /feed/atom/ for the whole site, /category/<path>/feed/, /tag/<slug>/feed/
and /author/<slug>/feed/ for one archive.

Items carry the full sanitised body or the excerpt, as Site settings say
(`feed_full_text`). Every address is absolute from settings.SITE_URL, never from
the request's Host header. The views go through the page cache, whose generation
is bumped by any article change, so a newly published story shows at once.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.views.decorators.http import require_safe

from articles.models import Article, ArticleQuerySet, Author, Category, Tag
from articles.services import author_tags, section_tags, tag_tags
from core.models import SiteSettings
from lib.pagecache import FRONT, cached_page

FEED_SIZE = 20


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def article_guid(article: Article) -> str:
    """WordPress's permanent id: it survives a change of slug or date."""
    return absolute(f"/?p={article.pk}")


def _with_bodies(articles: list[Article], full_text: bool) -> list[Article]:
    """Fill in the body that for_listing() defers, in one query, for the items
    that need it: all of them in full text, those without a standfirst (whose
    excerpt comes from the body) otherwise."""
    wanted = [a.pk for a in articles if full_text or not a.standfirst]
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


class LatestArticlesFeed(SiteFeed):
    """The newest published articles of the whole site."""

    def articles(self, obj) -> ArticleQuerySet:
        return Article.objects.published()

    def items(self, obj) -> list[Article]:
        queryset = (
            self.articles(obj)
            .for_listing()
            .newest_first()
            .prefetch_related("tags", "coauthors")
        )
        full_text = SiteSettings.load().feed_full_text
        return _with_bodies(list(queryset[:FEED_SIZE]), full_text)

    # Each article ----------------------------------------------------------

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        return item.feed_description

    def item_link(self, item: Article) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item: Article) -> str:
        return article_guid(item)

    def item_comments(self, item: Article) -> str:
        return absolute(item.get_absolute_url()) + "#comments"

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return ", ".join(a.display_name for a in item.all_authors())

    def item_author_link(self, item: Article) -> str:
        return absolute(item.author.get_absolute_url())

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name, *(tag.name for tag in item.tags.all())]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
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
