from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles import blocks
from articles.models import Article, Tag
from search import backends
from search.backends import SearchQuery
from search.forms import SearchForm, filter_choices

PER_PAGE = 10
#: What a result shows: headline, link, date, section (with its link), author.
#: Loading only these, without ordering, halves the cost of the page's query.
RESULT_FIELDS = (
    *("headline", "slug", "status", "published_at"),
    *("category__name", "category__slug", "category__parent_id"),
    *("category__parent__name", "category__parent__slug"),
    *("category__parent__parent_id", "author__display_name"),
)
POPULAR_TAGS_KEY = "search:popular-tags:v1"
MAX_PAGE = 100


class _Hits:
    """Lets Django's paginator page through an engine's results, running the
    search once for the page asked for (it gives the count too)."""

    def __init__(self, query: SearchQuery, page: int):
        self.query = query
        self.window = ((page - 1) * PER_PAGE, page * PER_PAGE)
        self.results = None

    def _run(self, start: int, stop: int):
        self.query.offset, self.query.limit = start, stop - start
        self.results = backends.search(self.query)
        self.window = (start, stop)
        return self.results

    @property
    def more(self) -> bool:
        return bool(self.results and self.results.more)

    def count(self) -> int:
        if self.results is None:
            self._run(*self.window)
        return self.results.total

    def __getitem__(self, window: slice):
        if self.results is not None and not self.results.total:
            return []  # nothing matched: no page to search for
        if self.results is None or (window.start, window.stop) != self.window:
            self._run(window.start, window.stop)
        hits = self.results.hits
        articles = (
            Article.objects.select_related("category__parent", "author")
            .only(*RESULT_FIELDS)
            .filter(pk__in=[h.article_id for h in hits])
            .order_by()
        )
        found = {article.pk: article for article in articles}
        return [(found[h.article_id], h) for h in hits if h.article_id in found]


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and len(raw) < 6 else 1


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """/search/?q= and WordPress's /?s=: ranked results with snippets."""
    params = request.GET.copy()
    if "s" in params and "q" not in params:
        params["q"] = params["s"]
    form = SearchForm(params)
    context: dict = {
        "form": form,
        "choices": filter_choices(),
        "query": "",
        "page_obj": None,
    }
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        category = data["category"]
        query = SearchQuery(
            text=data["q"],
            category_ids=category.descendant_ids() if category else None,
            author_id=data["author"].pk if data["author"] else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
            order=data["order"] or "relevance",
        )
        context["query"] = data["q"].strip()
        if not query.terms:
            context["message"] = "Please type a word or two to search for."
        else:
            number = _page_number(request)
            paginator = Paginator(_Hits(query, number), PER_PAGE)
            context["page_obj"] = paginator.get_page(number)
            context["base_query"] = _without_page(params)
    if not context["page_obj"] or not context["page_obj"].object_list:
        context["suggestions"] = blocks.top_this_week()
        context["tags"] = _popular_tags()
    return render(request, "search/results.html", context)


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    params.pop("s", None)
    return params.urlencode()


def _popular_tags() -> list[Tag]:
    """The most used tags, for the "no results" page (cached: a full count)."""
    tags = cache.get(POPULAR_TAGS_KEY)
    if tags is None:
        tags = list(Tag.objects.annotate(n=Count("articles")).order_by("-n")[:12])
        cache.set(POPULAR_TAGS_KEY, tags, 600)
    return tags
