"""A page-cache miss assembles stored fragments (lib/fragments.py,
reader/cards.py): what changed is rendered again, nothing else, and nothing
outdated is ever shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.tests.factories import ArticleFactory, CategoryFactory, TagFactory
from comments.models import Comment
from comments.services import set_status
from comments.tests.factories import CommentFactory
from lib import fragments

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request builds its page


def _article_reads(client, url: str) -> tuple[str, int]:
    """The page, and how many statements read whole article rows for its
    cards (not counting Top 5 and Popular, read from their rankings)."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    rows = [
        q["sql"]
        for q in queries.captured_queries
        if '."headline"' in q["sql"] and "audience_" not in q["sql"]
    ]
    return html, len(rows)


def test_the_home_page_renders_only_the_card_that_changed(client):
    stories = [
        ArticleFactory(category=CategoryFactory(slug=f"s{i}"), headline=f"Story {i}")
        for i in range(12)
    ]
    html, reads = _article_reads(client, "/")
    assert "Story 11" in html and reads == 1  # every card, one query
    html, reads = _article_reads(client, "/")
    assert "Story 11" in html and reads == 0  # every card stored

    stories[3].headline = "Story three, corrected"
    stories[3].save()
    html, reads = _article_reads(client, "/")
    assert "Story three, corrected" in html and "Story 3<" not in html
    assert reads == 1


def test_a_renamed_author_or_section_shows_on_every_stored_card(client, category):
    article = ArticleFactory(category=category, headline="Frigate trials begin")
    assert "Amina Rauf" not in client.get("/").content.decode()
    author = article.author
    author.display_name = "Amina Rauf"
    author.save()
    category.name = "Fleet and Shipyards"
    category.save()
    for url in ("/", category.get_absolute_url(), author.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Amina Rauf" in html
        assert "Fleet and Shipyards" in html


def test_an_approved_comment_shows_in_the_counts_and_the_list(client, category):
    article = ArticleFactory(category=category)
    held = CommentFactory(
        article=article, status=Comment.Status.PENDING, body="A held remark"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    listing = client.get(category.get_absolute_url()).content.decode()
    assert "A held remark" not in page and "1 comment" not in listing

    set_status(held, Comment.Status.APPROVED)
    page = client.get(article.get_absolute_url()).content.decode()
    listing = client.get(category.get_absolute_url()).content.decode()
    assert "A held remark" in page and "1 comment" in page
    assert "1 comment" in listing


def test_an_edited_article_page_shows_the_edit(client, published_article):
    url = published_article.get_absolute_url()
    client.get(url)
    published_article.body = "<p>The second version of the text.</p>"
    published_article.save()
    assert "The second version of the text." in client.get(url).content.decode()


def test_comment_pages_past_the_last_share_the_last_ones_fragment(
    client, published_article, monkeypatch
):
    CommentFactory.create_batch(3, article=published_article)
    url = published_article.get_absolute_url()
    client.get(url + "?cpage=1")
    stored: list[str] = []
    store = fragments.set_many
    monkeypatch.setattr(
        fragments, "set_many", lambda made: stored.extend(made) or store(made)
    )
    for page in (2, 50, 999_999):
        assert client.get(f"{url}?cpage={page}").status_code == 200
    assert stored == []  # each asked for the stored page 1


def test_with_fragments_off_every_page_is_rendered_whole(client, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    ArticleFactory(headline="Story in full")
    for _ in range(2):
        html, reads = _article_reads(client, "/")
        assert "Story in full" in html and reads == 1


def test_a_new_release_never_reads_fragments_of_the_old_one(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    (tmp_path / "templates").mkdir()
    card = tmp_path / "templates" / "card.html"
    card.write_text("<p>{{ a }}</p>")
    fragments.release.cache_clear()  # a process of this release
    try:
        before = fragments.key("card", 1)
        assert fragments.key("card", 1) == before
        card.write_text("<p class=new>{{ a }}</p>")
        fragments.release.cache_clear()  # a new process of the new release
        assert fragments.key("card", 1) != before
    finally:
        fragments.release.cache_clear()  # the project's digest for what follows


def test_a_process_keeps_a_bounded_number_of_bytes(monkeypatch):
    monkeypatch.setattr(fragments, "MEMO_BYTES", 10_000)
    fragments.set_many({f"frag:test:{i}": "x" * 1_000 for i in range(50)})
    kept = [k for k in (f"frag:test:{i}" for i in range(50)) if k in fragments._memo]
    assert 1 <= len(kept) <= 10
    assert "frag:test:49" in kept  # the newest stay
    # The shared store still has the ones the process let go.
    assert fragments.get_many(["frag:test:0"])["frag:test:0"] == "x" * 1_000


def test_a_stored_list_follows_what_joins_and_leaves_it(client, category):
    """Archives keep their ids and count under their page's tag versions:
    an article tagged, untagged, unpublished or moved shows at once."""
    tag = TagFactory(slug="mine-warfare", name="Mine warfare")
    url = tag.get_absolute_url()
    for i in range(6):
        ArticleFactory(category=category, tags=[tag], headline=f"Minehunter {i}")
    first = client.get(url)
    assert first.context["page_obj"].paginator.count == 6
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    walked = [q for q in again.captured_queries if "articles_article_tags" in q["sql"]]
    assert walked == []  # the list and its count came from the store

    fresh = ArticleFactory(category=category, headline="Sweeping the strait")
    fresh.tags.add(tag)
    html = client.get(url).content.decode()
    assert "Sweeping the strait" in html
    assert client.get(url).context["page_obj"].paginator.count == 7

    fresh.tags.remove(tag)
    assert "Sweeping the strait" not in client.get(url).content.decode()
    gone = Article.objects.get(headline="Minehunter 5")
    gone.status = Article.Status.DRAFT
    gone.save()
    listing = client.get(url)
    assert "Minehunter 5" not in listing.content.decode()
    assert listing.context["page_obj"].paginator.count == 5
    section = client.get(category.get_absolute_url())
    assert "Minehunter 5" not in section.content.decode()


def test_a_cards_key_is_the_same_however_its_row_was_read():
    """The home page reads its lists with one raw statement, archives with
    the ORM: the same article must find the same stored card either way,
    also at a whole second (SQLite then stores no fraction)."""
    from reader import blocks
    from reader.cards import stamp, teasers

    stories = [ArticleFactory(headline=f"Story {i}") for i in range(3)]
    whole = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    Article.objects.filter(pk=stories[0].pk).update(updated_at=whole)
    home = blocks.home_page()
    raw = {t.pk: stamp(t.updated_at) for t in [home.lead, *home.latest] if t}
    orm = {
        t.pk: stamp(t.updated_at)
        for t in teasers(Article.objects.filter(pk__in=[s.pk for s in stories]))
    }
    assert raw == orm and len(raw) == 3
