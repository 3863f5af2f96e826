from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.views.decorators.http import require_safe

from articles.models import Article, Tag
from audience.services import ranked_articles
from search import backends
from search.backends import SearchQuery, SearchResults
from search.forms import CHOICES_KEY, SearchForm, filter_choices

PER_PAGE = 10
POPULAR_TAGS_KEY = "search:popular-tags:v1"
MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class Result:
    """What a result shows, read without building model instances (a third of
    the page's cost when it did)."""

    headline: str
    url: str
    section: str
    section_url: str
    author: str
    published_at: datetime  # in the site's time zone
    snippet: str  # HTML: escaped text with <mark> around the words found

    @property
    def day(self) -> str:
        """The date as the results show it: "November 26, 2026" (what the date
        filter's "F j, Y" gives, at a tenth of its cost)."""
        when = self.published_at
        return f"{MONTHS[when.month]} {when.day}, {when.year}"


class _Hits:
    """Lets Django's paginator page through an engine's results, running the
    search once for the page asked for (it gives the count too)."""

    def __init__(self, query: SearchQuery, page: int, sections: dict):
        self.query = query
        self.window = ((page - 1) * PER_PAGE, page * PER_PAGE)
        self.results: SearchResults | None = None
        self.sections = sections

    def _run(self, start: int, stop: int) -> SearchResults:
        self.query.offset, self.query.limit = start, stop - start
        self.results = results = backends.search(self.query)
        self.window = (start, stop)
        return results

    @property
    def more(self) -> bool:
        return bool(self.results and self.results.more)

    def count(self) -> int:
        results = self.results or self._run(*self.window)
        return results.total

    def __getitem__(self, window: slice) -> list[Result]:
        if self.results is not None and not self.results.total:
            return []  # nothing matched: no page to search for
        found = self.results
        if found is None or (window.start, window.stop) != self.window:
            found = self._run(window.start, window.stop)
        results = []
        for hit in found.hits:
            published_at = timezone.localtime(hit.published_at)
            section, section_url = self.sections.get(hit.category_id, ("", ""))
            results.append(
                Result(
                    hit.headline,
                    Article.permalink(published_at, hit.slug),  # found live
                    *(section, section_url, hit.author, published_at, hit.snippet),
                )
            )
        return results


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and len(raw) < 6 else 1


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TYPED_MAX = 500


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """/search/?q= and WordPress's /?s=: ranked results with snippets."""
    params = request.GET.copy()
    if "s" in params and "q" not in params:
        params.setlist("q", params.getlist("s"))
    choices = filter_choices(getattr(request, "prefetched", {}).get(CHOICES_KEY))
    form = SearchForm(params, choices)
    context: dict = {
        "form": form,
        # What the box shows again: no control characters (a NUL in HTML is
        # a parse error), at most what the box itself accepts.
        "typed": _CONTROL.sub("", params.get("q", ""))[:TYPED_MAX],
        "choices": choices,
        "query": "",
        "page_obj": None,
    }
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        category, author = data["category"], data["author"]
        query = SearchQuery(
            text=data["q"],
            category_ids=choices["category_ids"][category] if category else None,
            author_id=choices["author_ids"][author] if author else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
            order=data["order"] or "relevance",
        )
        context["query"] = data["q"].strip()
        if not query.terms:
            context["message"] = "Please type a word or two to search for."
        else:
            number = _page_number(request)
            hits = _Hits(query, number, choices["sections"])
            # _Hits is what Paginator needs (count() and slicing), which
            # django-stubs' protocol does not describe.
            paginator: Paginator[Result] = Paginator(hits, PER_PAGE)  # type: ignore[arg-type]
            context["page_obj"] = paginator.get_page(number)
            context["base_query"] = _without_page(params)
    if not context["page_obj"] or not context["page_obj"].object_list:
        context["suggestions"] = _suggestions()
        context["tags"] = _popular_tags()
    return render(request, "search/results.html", context)


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    params.pop("s", None)
    return params.urlencode()


def _suggestions() -> list[Article]:
    """Top 5 This Week, for the "no results" page: kept for the current window
    of PAGE_CACHE_SECONDS, as old as the lists on any cached page may be."""
    window = max(settings.PAGE_CACHE_SECONDS, 1)
    key = f"search:suggestions:{int(time.time() // window)}"
    articles = cache.get(key)
    if articles is None:
        articles = ranked_articles("week", limit=5)
        cache.set(key, articles, window)
    return articles


def _popular_tags() -> list[Tag]:
    """The most used tags, for the "no results" page (cached: a full count)."""
    tags = cache.get(POPULAR_TAGS_KEY)
    if tags is None:
        tags = list(Tag.objects.annotate(n=Count("articles")).order_by("-n")[:12])
        cache.set(POPULAR_TAGS_KEY, tags, 600)
    return tags
