"""The reader pages: home, article (and its preview), archives, corrections."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article, ArticleQuerySet, Author, Category, Correction, Tag
from articles.services import (
    article_page_tags,
    author_tags,
    corrections_tags,
    date_tags,
    section_tags,
    tag_tags,
)
from core.middleware import site_settings
from lib import pagecache
from lib.pagecache import FRONT, LATEST, cached_page, tag
from reader import blocks
from reader.cards import Teaser, TeaserList, cards
from search.views import search

_PAGE_SUFFIX = re.compile(r"page/\d+/$")
#: Notes on one page of the corrections log.
CORRECTIONS_PER_PAGE = 20


def _archive(
    request: HttpRequest,
    queryset: Callable[[], ArticleQuerySet],
    page: int | str,
    context: dict[str, Any],
    count: Callable[[], int] | None = None,
    newest: Callable[[int, int], list[int]] | None = None,
) -> HttpResponse:
    """Render one page of an archive, WordPress style (/…/page/N/)."""
    page = int(page)
    base = _PAGE_SUFFIX.sub("", request.path)
    if page == 1 and request.path != base:
        return redirect(base, permanent=True)
    per_page = site_settings(request).posts_per_page
    # TeaserList is what Paginator uses (count() and slices), which
    # django-stubs' protocol (indexing by int too) does not describe.
    # The list is kept by the versions of the page's tags (cached_page read
    # them before the view ran) and its address.
    tags = getattr(request, "page_cache_tags", None)
    versions = (base, *sorted(tags.items())) if tags else None
    teasers = TeaserList(queryset, count, versions, newest)
    paginator: Paginator[Teaser] = Paginator(teasers, per_page)  # type: ignore[arg-type]
    try:
        page_obj = paginator.page(page)
    except EmptyPage:
        if page == 1:
            page_obj = paginator.page(1)
        else:
            raise Http404("No such page") from None
    context |= {
        "page_obj": page_obj,
        "cards": cards(list(page_obj.object_list), "archive"),
        "base_path": base,
    }
    return render(request, "reader/archive.html", context)


@require_safe
@cached_page(lambda **_: [FRONT])
def home(request: HttpRequest) -> HttpResponse:
    if "s" in request.GET:  # WordPress's search address, /?s=words
        return search(request)
    return render(request, "reader/home.html", {"home": blocks.home_page()})


@require_safe
@cached_page(lambda **_: [LATEST])
def latest_archive(request: HttpRequest, page: str) -> HttpResponse:
    if int(page) == 1:
        return redirect("articles:home", permanent=True)
    ctx = {"title": "Latest stories", "kind": "latest"}
    return _archive(request, Article.objects.published, page, ctx)


def _render_article(request: HttpRequest, article: Article) -> HttpResponse:
    """The article's page. Its blocks are fragments (lib/fragments) kept by
    `versions`: what they read is passed as functions, which the template
    calls only for the fragments it must render."""
    top_week = functools.cache(blocks.top_this_week)
    versions = (
        article.pk,
        article.updated_at.isoformat(),
        article.comment_count,
        article.status,
        *pagecache.versions([tag("article", article.slug), pagecache.SITE]),
        timezone.get_current_timezone_name(),
    )
    context = {
        "article": article,
        "canonical_url": settings.SITE_URL + article.get_absolute_url(),
        "authors": functools.cache(article.all_authors),
        "corrections": functools.cache(lambda: list(article.corrections.in_order())),
        "top_week": top_week,
        "related": functools.partial(blocks.related_articles, article),
        "popular": lambda: blocks.popular_articles(exclude=[a.pk for a in top_week()]),
        "versions": versions,
    }
    return render(request, "reader/article_detail.html", context)


@require_safe
@cached_page(article_page_tags, seconds="ARTICLE_CACHE_SECONDS")
def article_detail(
    request: HttpRequest, year: str, month: str, day: str, slug: str
) -> HttpResponse:
    # Its section and authors are read by the fragments that show them, when
    # they are rendered (the joins cost more to compile than to run).
    article = Article.objects.published_at_slug(slug)
    if article is None:
        raise Http404("No article here.")
    if request.path != article.get_absolute_url():
        return redirect(article, permanent=True)
    return _render_article(request, article)


@never_cache
@require_safe
@staff_member_required
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.for_page(), pk=pk)
    if article.is_live:
        return redirect(article)
    return _render_article(request, article)


@require_safe
@cached_page(section_tags)
def category_archive(
    request: HttpRequest, path: str, page: int | str = 1
) -> HttpResponse:
    category = blocks.named(
        Category.objects.select_related("parent"), slug=path.rsplit("/", 1)[-1]
    )
    if path != category.path:
        return redirect(category, permanent=True)
    ctx = {"title": category.name, "kind": "category", "category": category}
    return _archive(
        request, lambda: Article.objects.published().in_category(category), page, ctx
    )


@require_safe
@cached_page(tag_tags)
def tag_archive(request: HttpRequest, slug: str, page: int | str = 1) -> HttpResponse:
    tag = blocks.named(Tag.objects.all(), slug=slug)
    ctx = {"title": tag.name, "kind": "tag", "tag": tag}
    return _archive(
        request,
        lambda: Article.objects.published().tagged(tag),
        page,
        ctx,
        count=lambda: Article.objects.tag_live_count(tag),
        newest=lambda offset, limit: Article.objects.tag_newest_ids(tag, offset, limit),
    )


@require_safe
@cached_page(author_tags)
def author_archive(
    request: HttpRequest, slug: str, page: int | str = 1
) -> HttpResponse:
    author = blocks.named(Author.objects.all(), slug=slug)
    ctx = {
        "title": author.display_name,
        "kind": "author",
        "author": author,
        "author_list": [author],
    }
    published = Article.objects.published()
    return _archive(
        request,
        lambda: published.by_author(author),
        page,
        ctx,
        count=lambda: published.count_by_author(author),
    )


@require_safe
@cached_page(date_tags)
def date_archive(
    request: HttpRequest,
    year: str,
    month: str | None = None,
    day: str | None = None,
    page: int | str = 1,
) -> HttpResponse:
    try:
        when = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise Http404("No such date") from None
    if day:
        title = date_format(when, "F j, Y")
    elif month:
        title = date_format(when, "F Y")
    else:
        title = year
    qs = Article.objects.published().on_date(
        int(year), int(month) if month else None, int(day) if day else None
    )
    ctx = {"title": title, "kind": "date", "date": when}
    return _archive(request, lambda: qs, page, ctx)


@require_safe
@cached_page(corrections_tags)
def corrections(request: HttpRequest, page: int | str = 1) -> HttpResponse:
    """Every correction and update note of the live stories, newest first."""
    page = int(page)
    base = _PAGE_SUFFIX.sub("", request.path)
    if page == 1 and request.path != base:
        return redirect(base, permanent=True)
    notes = Correction.objects.public().for_listing().newest_first()
    paginator = Paginator(notes, CORRECTIONS_PER_PAGE)
    try:
        page_obj = paginator.page(page)
    except EmptyPage:
        if page != 1:
            raise Http404("No such page") from None
        page_obj = paginator.page(1)
    context = {"page_obj": page_obj, "notes": page_obj.object_list, "base_path": base}
    return render(request, "reader/corrections.html", context)
