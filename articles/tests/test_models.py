from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from articles.services import schedule_publication
from articles.tasks import publish_due_articles
from articles.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def test_the_body_is_sanitised_on_save():
    article = ArticleFactory(
        body='<p onclick="steal()">Hi<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>'
    )
    article.refresh_from_db()
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "onerror" not in article.body
    assert "javascript:" not in article.body
    assert "<p>Hi</p>" in article.body


def test_the_author_bio_keeps_links_but_loses_scripts():
    author = AuthorFactory(
        bio='<p>See <a href="https://ex.test">me</a></p><script>x</script>'
    )
    author.refresh_from_db()
    assert '<a href="https://ex.test" rel="noopener noreferrer">me</a>' in author.bio
    assert "<script>" not in author.bio


def test_publishing_without_a_date_stamps_now():
    article = ArticleFactory(published_at=None, status=Article.Status.PUBLISHED)
    assert article.published_at is not None
    assert abs(article.published_at - timezone.now()) < dt.timedelta(seconds=5)


def test_published_excludes_drafts_pending_and_future_articles():
    live = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(status=Article.Status.PENDING)
    ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(hours=2),
    )
    assert list(Article.objects.published()) == [live]


def test_a_scheduled_article_appears_once_the_task_publishes_it():
    article = ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() - dt.timedelta(minutes=1),
    )
    later = ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(minutes=5),
    )
    assert list(Article.objects.published()) == []
    assert publish_due_articles.call() == [article.pk]
    assert list(Article.objects.published()) == [article]
    later.refresh_from_db()
    assert later.status == Article.Status.SCHEDULED
    assert publish_due_articles.call() == []  # nothing is published twice


@pytest.mark.django_db(transaction=True)  # the worker closes its connection
def test_the_database_worker_publishes_a_scheduled_article_at_its_time(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    due = ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() - dt.timedelta(seconds=1),
    )
    future = ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(hours=1),
    )
    schedule_publication(due)  # no transaction open: enqueued at once
    schedule_publication(future)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    due.refresh_from_db()
    future.refresh_from_db()
    assert due.status == Article.Status.PUBLISHED
    assert future.status == Article.Status.SCHEDULED  # its task waits for its time


def test_in_category_includes_subcategories():
    parent = CategoryFactory(slug="naval")
    child = CategoryFactory(slug="submarines", parent=parent)
    other = CategoryFactory(slug="cyber")
    a = ArticleFactory(category=parent)
    b = ArticleFactory(category=child)
    ArticleFactory(category=other)
    assert set(Article.objects.in_category(parent)) == {a, b}
    assert set(Article.objects.in_category(child)) == {b}


def test_by_author_includes_co_authored_articles_once():
    amina = AuthorFactory(slug="amina")
    solo = ArticleFactory(author=amina)
    shared = ArticleFactory()
    shared.coauthors.add(amina)
    assert set(Article.objects.by_author(amina)) == {solo, shared}
    assert Article.objects.by_author(amina).count() == 2


def test_the_permalink_is_dated_in_the_site_time_zone(published_article):
    published_article.published_at = dt.datetime(2025, 7, 4, 23, 30, tzinfo=dt.UTC)
    with timezone.override("Asia/Karachi"):  # UTC+5: already July 5th there
        assert published_article.get_absolute_url() == (
            f"/2025/07/05/{published_article.slug}/"
        )
    with timezone.override("UTC"):
        assert published_article.get_absolute_url().startswith("/2025/07/04/")


def test_a_draft_links_to_its_preview():
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert draft.get_absolute_url() == f"/preview/{draft.pk}/"


def test_category_paths_follow_the_parents():
    parent = CategoryFactory(slug="land")
    child = CategoryFactory(slug="armour", parent=parent)
    assert child.get_absolute_url() == "/category/land/armour/"
    assert parent.get_absolute_url() == "/category/land/"


def test_the_role_line_reads_with_the_location():
    author = AuthorFactory(role_line="Special Correspondent", location="Lahore")
    assert author.role_with_location == "Special Correspondent in Lahore"


def test_an_article_shows_as_updated_only_after_a_change_of_substance():
    article = ArticleFactory(published_at=timezone.now() - dt.timedelta(days=2))
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)):
        article.save()  # a save alone (e.g. a minor edit) is no update
    assert not article.was_updated
    assert article.modified_at == article.published_at
    article.note_update()
    article.save()
    article.refresh_from_db()
    assert article.was_updated
    assert article.modified_at == article.substantive_update_at


def test_the_updated_time_never_moves_back():
    article = ArticleFactory(published_at=timezone.now() - dt.timedelta(days=2))
    article.note_update()
    latest = article.substantive_update_at
    article.note_update(timezone.now() - dt.timedelta(days=1))
    assert article.substantive_update_at == latest


def test_the_article_page_query_finds_what_published_finds():
    """`published_at_slug` is `published().filter(slug=...)` written out: the
    same story, with the same values, for every status and time."""
    now = timezone.now()
    cases = {
        "live": (Article.Status.PUBLISHED, now - dt.timedelta(minutes=5)),
        "live-just-now": (Article.Status.PUBLISHED, now - dt.timedelta(seconds=1)),
        "published-later": (Article.Status.PUBLISHED, now + dt.timedelta(hours=1)),
        "scheduled": (Article.Status.SCHEDULED, now - dt.timedelta(hours=1)),
        "draft": (Article.Status.DRAFT, now - dt.timedelta(hours=1)),
        "pending": (Article.Status.PENDING, now - dt.timedelta(hours=1)),
    }
    for slug, (status, published_at) in cases.items():
        ArticleFactory(slug=slug, status=status, published_at=published_at)
    found = {}
    for slug in [*cases, "no-such-story"]:
        by_orm = Article.objects.published().filter(slug=slug).first()
        written_out = Article.objects.published_at_slug(slug)
        found[slug] = written_out is not None
        if by_orm is None:
            assert written_out is None, slug
            continue
        assert written_out is not None, slug
        for field in Article._meta.concrete_fields:
            assert getattr(written_out, field.attname) == getattr(
                by_orm, field.attname
            ), (slug, field.name)
        assert written_out.get_absolute_url() == by_orm.get_absolute_url()
    assert [slug for slug, live in found.items() if live] == ["live", "live-just-now"]


def test_rows_by_id_are_what_values_list_gives():
    """`values_by_id` is `filter(pk__in=...).values_list(...)` written out: the
    same rows with the same types (datetimes, not SQLite's text)."""
    articles = [
        ArticleFactory(),
        ArticleFactory(status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(substantive_update_at=timezone.now()),
    ]
    ids = [a.pk for a in articles] + [987654]
    names = (
        "pk",
        "updated_at",
        "published_at",
        "comment_count",
        "substantive_update_at",
    )
    by_orm = set(Article.objects.filter(pk__in=ids).values_list(*names))
    written_out = Article.objects.values_by_id(ids, *names)
    assert set(written_out) == by_orm
    assert len(written_out) == 3
    assert all(isinstance(row[1], dt.datetime) for row in written_out)
    assert Article.objects.values_by_id([], *names) == []


@pytest.mark.parametrize("walk", [True, False], ids=["walk", "join"])
def test_a_tags_archive_lists_and_counts_what_published_lists(walk, monkeypatch):
    """`tag_newest_ids` and `tag_live_count` give what `published().tagged()`
    gives, for a tag on most stories (read by walking the newest stories)
    and a rare one, each way of reading them (the walk through the newest
    stories, the join), with stories of the tag that are not live: drafts,
    pending, scheduled, dated later, and equal dates."""
    from articles import models
    from articles.tests.factories import TagFactory

    chosen = []
    monkeypatch.setattr(
        models, "_walk_reads_less", lambda *args: chosen.append(args) or walk
    )

    common, rare = TagFactory(slug="defence"), TagFactory(slug="arctic")
    now = timezone.now()
    same_moment = now - dt.timedelta(hours=3)
    for n in range(30):
        ArticleFactory(
            tags=[common, rare] if n % 10 == 0 else [common],
            published_at=same_moment if n % 4 == 0 else now - dt.timedelta(hours=n),
        )
    ArticleFactory(tags=[])  # live, without either tag
    not_live = [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.PENDING},
        {
            "status": Article.Status.SCHEDULED,
            "published_at": now + dt.timedelta(days=1),
        },
        {
            "status": Article.Status.PUBLISHED,
            "published_at": now + dt.timedelta(hours=2),
        },
    ]
    for fields in not_live:
        ArticleFactory(tags=[common, rare], **fields)

    for tag in (common, rare):
        expected = list(
            Article.objects.published()
            .tagged(tag)
            .newest_first()
            .values_list("pk", flat=True)
        )
        assert Article.objects.tag_live_count(tag) == len(expected)
        for offset, limit in [(0, 10), (10, 10), (0, 100), (27, 5), (40, 10)]:
            assert (
                Article.objects.tag_newest_ids(tag, offset, limit)
                == (expected[offset : offset + limit])
            ), (tag.slug, offset, limit)
    assert Article.objects.tag_live_count(common) == 30
    assert Article.objects.tag_live_count(rare) == 3
    assert chosen, "the way was chosen for each window"


def test_the_walk_is_taken_where_it_reads_fewer_rows():
    # A tag on a fifth of 100,000 stories, its first page and its kept list.
    assert models_walk(10, 20_000, 100_000) and models_walk(2_000, 20_000, 100_000)
    # A tag on 3 stories, or on none.
    assert not models_walk(10, 3, 100_000) and not models_walk(10, 0, 100_000)
    # Deep in a big tag's archive the join reads fewer.
    assert not models_walk(50_000, 20_000, 100_000)


def models_walk(wanted: int, links: int, stories: int) -> bool:
    from articles.models import _walk_reads_less

    return _walk_reads_less(wanted, links, stories)
