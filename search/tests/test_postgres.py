"""PostgreSQL only: the vector on the article's row, its migration, and the
search plans chosen from the planner's statistics."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, CategoryFactory
from search import backends, services
from search.backends import SearchQuery, postgres

pytestmark = pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs PostgreSQL (the make test-postgres tier)",
)


def _vector(article_id: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM articles_article WHERE id = %s",
            [article_id],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_writing_a_document_puts_its_vector_on_the_article():
    article = ArticleFactory(headline="Corvette trials", body="<p>Sea state six.</p>")
    services.index_articles([article.pk])
    assert "'corvett':1A" in _vector(article.pk)
    article.headline = "Frigate trials"
    article.save()
    services.index_articles([article.pk])
    assert "'frigat':1A" in _vector(article.pk) and "corvett" not in _vector(article.pk)


@pytest.mark.django_db
def test_reindexing_unchanged_text_leaves_the_article_row_alone():
    """No new row version (a table twice its size after a rebuild) when the
    document gives the vector the article already has."""
    article = ArticleFactory(headline="Corvette trials", body="<p>Sea state.</p>")
    services.index_articles([article.pk])

    def version() -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ctid::text, xmin::text FROM articles_article WHERE id = %s",
                [article.pk],
            )
            return cursor.fetchone()

    before = version()
    services.index_articles([article.pk])
    assert version() == before
    Article.objects.filter(pk=article.pk).update(headline="Corvette sea trials")
    written = version()
    services.index_articles([article.pk])
    assert version() != written
    assert "'sea':2A" in _vector(article.pk)
    found = postgres.PostgresBackend().search(SearchQuery(text="corvette sea"))
    assert [hit.article_id for hit in found.hits] == [article.pk]


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_existing_vectors_to_the_articles():
    executor = MigrationExecutor(connection)
    executor.migrate([("search", "0002_postgres_vector_storage")])
    try:
        article = ArticleFactory(headline="Icebreaker order", body="<p>Polar.</p>")
        services.index_articles([article.pk])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT vector::text FROM search_searchdocument WHERE article_id = %s",
                [article.pk],
            )
            assert "'icebreak':1A" in cursor.fetchone()[0]  # where it was
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert "'icebreak':1A" in _vector(article.pk)
    found = postgres.PostgresBackend().search(SearchQuery(text="icebreaker"))
    assert [hit.article_id for hit in found.hits] == [article.pk]


@pytest.mark.parametrize(
    "sparse_rows, margin, recent",
    [(0, 1.25, False), (0, 1.25, True), (10**9, 1.25, False), (10**9, 0.3, False)],
    ids=["windows", "windows-recent-counts", "gin-newest", "gin-newest-window-short"],
)
@pytest.mark.django_db
def test_the_planner_statistics_change_the_plan_not_the_results(
    monkeypatch, sparse_rows, margin, recent
):
    """Windows sized from ANALYZE's word counts (or those of the newest
    articles), walks for common words, the GIN index for rare ones, common
    words left out of it, or the GIN index for the newest ids (and, when a
    narrow estimate found too few there, again for the older ones): the same
    results, in the same order, as without statistics."""
    monkeypatch.setattr(postgres, "CANDIDATES", 6)
    monkeypatch.setattr(backends, "CANDIDATES", 6)
    monkeypatch.setattr(postgres, "FIRST_WINDOW", 5)
    monkeypatch.setattr(postgres, "SPARSE_ROWS", sparse_rows)
    monkeypatch.setattr(postgres, "MARGIN", margin)
    monkeypatch.setattr(postgres, "MIN_WINDOW", 1)
    monkeypatch.setattr(postgres, "RECENT_ARTICLES", 20)
    land = CategoryFactory(slug="land", name="Land")
    sea = CategoryFactory(slug="sea", name="Sea")
    now = timezone.now()
    for i in range(80):
        words = ["convoy"] + (["radar"] if i % 7 == 0 else [])
        words += ["bridge"] if i % 3 == 0 else []
        ArticleFactory(
            headline=f"Report {i}",
            body=f"<p>The {' '.join(words)} story number {i}.</p>",
            published_at=now - dt.timedelta(hours=i),
            category=land if i % 2 else sea,
            status=Article.Status.DRAFT if i == 14 else Article.Status.PUBLISHED,
        )
    services.index_articles(Article.objects.values_list("pk", flat=True))
    queries = [
        SearchQuery(text=text, order=order, category_ids=cats, date_from=since,
                    offset=offset, limit=limit)
        for text in ("convoy", "radar", "convoy radar", "bridge radar", "rada")
        for order in ("relevance", "newest")
        for cats in (None, [land.pk])
        for since in (None, (now - dt.timedelta(hours=30)).date())
        for offset, limit in ((0, 10), (2, 3))
    ]  # fmt: skip

    def run() -> list:
        return [
            [(h.article_id, round(h.rank, 6)) for h in postgres.PostgresBackend()
             .search(query).hits] + [postgres.PostgresBackend().search(query).total]
            for query in queries
        ]  # fmt: skip

    none = {"at": 1e12, "shares": {}, "words": [], "rare": None, "sections": {}}
    monkeypatch.setattr(postgres, "_stats", {**none, "recent": {}, "recent_words": []})
    without = run()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    monkeypatch.setattr(postgres, "_stats", {"at": -1e12})
    if recent:
        # The 20 live articles with the highest ids: "radar" in i = 63, 70, 77.
        assert postgres.refresh_recent_shares() > 0
    with_stats = run()
    assert postgres._stats["shares"]["convoy"] == 1.0  # every article has it
    assert postgres._stats["sections"] == {land.pk: 0.5, sea.pk: 0.5}
    if recent:
        assert postgres._stats["recent"]["radar"] == pytest.approx(3 / 20)
    assert with_stats == without
    assert any(hits[:-1] for hits in without)


@pytest.mark.django_db
def test_a_prefix_finds_the_same_through_the_vocabulary_as_through_the_index(
    monkeypatch,
):
    """The last word's prefix is looked up as the words the vocabulary lists
    for it; a word new to the archive is listed as its article is written."""
    bodies = ["The submarine dived.", "Submariners trained.", "A submersible."]
    for i, body in enumerate([*bodies, "Nothing related."]):
        services.index_articles([ArticleFactory(headline=f"Item {i}", body=body).pk])
    queries = [SearchQuery(text=t) for t in ("subm", "submari", "submer", "item subm")]

    def run() -> list:
        return [
            [(h.article_id, round(h.rank, 6)) for h in
             postgres.PostgresBackend().search(query).hits]
            for query in queries
        ]  # fmt: skip

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT lexeme FROM search_vocabulary")
        assert {"submarin", "submers"} <= {r[0] for r in cursor}
    expanded = run()
    monkeypatch.setattr(postgres, "EXPANSION", 0)  # always the index's prefix
    assert run() == expanded
    assert [len(hits) for hits in expanded] == [3, 2, 1, 3]
    assert postgres.PostgresBackend().search(SearchQuery(text="submz")).hits == []


@pytest.mark.django_db
def test_the_clock_counts_the_words_of_the_newest_articles(settings):
    """A word of the moment is counted in the newest articles, where searches
    look first, rather than across the archive."""
    from search.tasks import refresh_search_statistics

    assert settings.PERIODIC_TASKS["search.tasks.refresh_search_statistics"] == 600
    for i in range(30):
        headline = "Ceasefire holds" if i >= 20 else f"Harbour report {i}"
        ArticleFactory(headline=headline, body="<p>Talks went on.</p>")
    services.index_articles(Article.objects.values_list("pk", flat=True))
    postgres.RECENT_ARTICLES, before = 10, postgres.RECENT_ARTICLES
    try:
        assert refresh_search_statistics.call() > 0
    finally:
        postgres.RECENT_ARTICLES = before
    postgres._statistics(connection.cursor())
    assert postgres._stats["recent"]["ceasefir"] == 1.0
    assert "harbour" not in postgres._stats["recent"]
    site_wide = {("ceasefir", False): 0.33, ("harbour", False): 0.6}
    shares = postgres.recent_shares(site_wide)
    assert shares == {("ceasefir", False): 1.0, ("harbour", False): 0.002}


@pytest.mark.django_db(transaction=True)
def test_a_search_leaves_the_connection_as_it_found_it(monkeypatch):
    """A search plans its statements with index scans off or no parallel
    workers, settings sent with each statement and gone after it (there is no
    transaction around a search): the next query on the same connection, a
    page's list of articles, is planned as usual."""
    for i in range(12):
        services.index_articles(
            [ArticleFactory(headline=f"Convoy {i}", body="<p>Radar.</p>").pk]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    monkeypatch.setattr(postgres, "_stats", {"at": -1e12})  # read them again
    monkeypatch.setattr(postgres, "SPARSE_ROWS", 0)
    monkeypatch.setattr(postgres, "WALK_SHARE", 2.0)  # GIN windows: index scans off
    local = postgres._local
    sent = []
    monkeypatch.setattr(
        postgres, "_local", lambda *args: sent.append(args[1]) or local(*args)
    )

    def current() -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_indexscan'), "
                "current_setting('max_parallel_workers_per_gather')"
            )
            return cursor.fetchone()

    before = current()
    found = postgres.PostgresBackend().search(SearchQuery(text="convoy radar"))
    assert {"enable_indexscan": "off"} in sent
    assert len(found.hits) == 10 and found.total == 12
    assert current() == before == ("on", before[1]) and before[1] != "0"
