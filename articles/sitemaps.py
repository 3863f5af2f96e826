"""Sitemaps: an index at /sitemap.xml pointing to one sitemap per section
(/sitemap-articles.xml, then /sitemap-articles-2.xml … when a section holds more
than `limit` addresses), and a Google News sitemap at /news-sitemap.xml.

The sections are django.contrib.sitemaps Sitemap classes; the views are the
project's own so that pages are addressed by path (the page cache skips query
strings, which Django's ?p=N would need) and every address is absolute from
settings.SITE_URL, never from the request's Host header.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Article, Author, Category, Tag
from core.models import SiteSettings
from lib.pagecache import FRONT, LATEST, cached_page

XML = "application/xml; charset=utf-8"
NEWS_DAYS = 2
NEWS_LIMIT = 1000  # Google News reads at most 1,000 addresses per sitemap


def w3c(moment: dt.datetime | None) -> str:
    """W3C Datetime in the site's time zone, to the second."""
    if moment is None:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _in_site_time_zone(view):
    """Permalinks and dates use the site's time zone (the middleware activates
    it during requests; this keeps the sitemaps right without it)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with timezone.override(SiteSettings.load().tzinfo):
            return view(request, *args, **kwargs)

    return wrapper


def _xml(template: str, context: dict) -> HttpResponse:
    # No request: the XML needs none of the pages' context processors.
    return HttpResponse(loader.render_to_string(template, context), content_type=XML)


def _latest(queryset) -> Subquery:
    """The newest `updated_at` of the (published) articles in `queryset`."""
    return Subquery(queryset.order_by("-updated_at").values("updated_at")[:1])


class SiteUrlSitemap(Sitemap):
    """Addresses from settings.SITE_URL (scheme, host and any path prefix)."""

    limit = 5000

    def get_protocol(self, protocol: str | None = None) -> str:
        return settings.SITE_URL.split("://", 1)[0]

    def get_domain(self, site=None) -> str:
        return settings.SITE_URL.split("://", 1)[1]

    def lastmod(self, item) -> dt.datetime | None:
        return getattr(item, "lastmod", None)


class ArticleSitemap(SiteUrlSitemap):
    def items(self):
        # Oldest first, so that the earlier pages stay the same as stories are
        # added; only the fields a permalink and lastmod need.
        return (
            Article.objects.published()
            .order_by("published_at", "pk")
            .only("pk", "slug", "status", "published_at", "updated_at")
        )

    def lastmod(self, item: Article) -> dt.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> dt.datetime | None:
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class CategorySitemap(SiteUrlSitemap):
    """Sections holding at least one published story (in them or below them);
    lastmod is the newest change among those stories."""

    def items(self) -> list[Category]:
        direct = dict(
            Article.objects.published()
            .order_by()
            .values("category_id")
            .annotate(latest=Max("updated_at"))
            .values_list("category_id", "latest")
        )
        categories: dict[int | None, Category] = {
            c.pk: c for c in Category.objects.only("pk", "slug", "parent")
        }
        for category in categories.values():
            category.lastmod = None
        for pk, latest in direct.items():
            seen: set[int] = set()
            node = categories.get(pk)
            while node is not None and node.pk not in seen:  # up to the top
                seen.add(node.pk)
                if node.lastmod is None or latest > node.lastmod:
                    node.lastmod = latest
                node = categories.get(node.parent_id)
        for category in categories.values():
            slugs, node, seen = [], category, set()
            while node is not None and node.pk not in seen:
                seen.add(node.pk)
                slugs.append(node.slug)
                node = categories.get(node.parent_id)
            category.sitemap_path = "/".join(reversed(slugs))
        live = [c for c in categories.values() if c.lastmod is not None]
        return sorted(live, key=lambda c: c.sitemap_path)

    def location(self, item: Category) -> str:
        return reverse("articles:category", kwargs={"path": item.sitemap_path})

    def get_latest_lastmod(self) -> dt.datetime | None:
        return ArticleSitemap().get_latest_lastmod()


class TagSitemap(SiteUrlSitemap):
    def items(self):
        latest = _latest(Article.objects.published().filter(tags=OuterRef("pk")))
        return (
            Tag.objects.annotate(lastmod=latest)
            .filter(lastmod__isnull=False)
            .only("pk", "slug")
            .order_by("slug")
        )

    def get_latest_lastmod(self) -> dt.datetime | None:
        published = Article.objects.published().filter(tags__isnull=False)
        return published.aggregate(latest=Max("updated_at"))["latest"]


class AuthorSitemap(SiteUrlSitemap):
    def items(self):
        latest = _latest(Article.objects.published().by_author(OuterRef("pk")))
        return (
            Author.objects.annotate(lastmod=latest)
            .filter(lastmod__isnull=False)
            .only("pk", "slug")
            .order_by("slug")
        )

    def get_latest_lastmod(self) -> dt.datetime | None:
        return ArticleSitemap().get_latest_lastmod()  # every story has an author


SITEMAPS: dict[str, type[SiteUrlSitemap]] = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def _section_url(section: str, page: int) -> str:
    kwargs = {"section": section} | ({"page": str(page)} if page > 1 else {})
    return settings.SITE_URL + reverse("sitemap_section", kwargs=kwargs)


@require_safe
@cached_page(lambda **_: [LATEST])
@_in_site_time_zone
def sitemap_index(request: HttpRequest) -> HttpResponse:
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        lastmod = w3c(sitemap.get_latest_lastmod())
        for page in sitemap.paginator.page_range:
            entries.append(
                {"location": _section_url(section, page), "lastmod": lastmod}
            )
    return _xml("sitemaps/index.xml", {"sitemaps": entries})


@require_safe
@cached_page(lambda **_: [LATEST])
@_in_site_time_zone
def sitemap_section(
    request: HttpRequest, section: str, page: str | None = None
) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("No such sitemap")
    if page == "1":
        return redirect(reverse("sitemap_section", args=[section]), permanent=True)
    try:
        urls = SITEMAPS[section]().get_urls(page=int(page or 1))
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page") from None
    for url in urls:
        url["lastmod"] = w3c(url["lastmod"])
    return _xml("sitemaps/sitemap.xml", {"urlset": urls})


@require_safe
@cached_page(lambda **_: [FRONT])
@_in_site_time_zone
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News: the stories of the last two days, newest first."""
    since = timezone.now() - dt.timedelta(days=NEWS_DAYS)
    articles = (
        Article.objects.published()
        .since(since)
        .newest_first()
        .only("pk", "slug", "headline", "status", "published_at")[:NEWS_LIMIT]
    )
    context = {
        "publication_name": SiteSettings.load().site_name,
        "language": settings.LANGUAGE_CODE.split("-")[0],
        "articles": [
            {
                "location": settings.SITE_URL + article.get_absolute_url(),
                "title": article.headline,
                "publication_date": w3c(article.published_at),
            }
            for article in articles
        ],
    }
    return _xml("sitemaps/news.xml", context)
