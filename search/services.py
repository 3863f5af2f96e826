"""Keep the search documents in step with the articles."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from articles.models import Article
from lib.html import plain_text
from search.backends import bump_index_generation
from search.models import SearchDocument

BATCH = 500


def _document(article: Article) -> SearchDocument:
    names = [
        article.author.display_name,
        *(a.display_name for a in article.coauthors.all()),
    ]
    extra = [*names, *(t.name for t in article.tags.all()), article.category.name]
    return SearchDocument(
        article_id=article.pk,
        headline=article.headline,
        standfirst=article.standfirst,
        body_text=plain_text(article.body),
        extra=" ".join(extra),
    )


def index_articles(article_ids: Iterable[int]) -> int:
    """(Re)write the documents of these articles; returns how many."""
    ids = list(article_ids)
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        articles = (
            Article.objects.filter(pk__in=chunk)
            .select_related("author", "category")
            .prefetch_related("tags", "coauthors")
        )
        documents = [_document(a) for a in articles]
        with transaction.atomic():
            # Delete then insert: both engines' indexes follow (triggers on
            # SQLite, the generated column on PostgreSQL).
            SearchDocument.objects.filter(article_id__in=chunk).delete()
            SearchDocument.objects.bulk_create(documents)
            # Cached results may hold the old text (search.backends.search).
            transaction.on_commit(bump_index_generation)
        done += len(documents)
    return done


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Index every article from scratch."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    SearchDocument.objects.all().delete()
    bump_index_generation()
    done = 0
    for start in range(0, len(ids), BATCH):
        done += index_articles(ids[start : start + BATCH])
        if progress:
            progress(done, len(ids))
    return done
