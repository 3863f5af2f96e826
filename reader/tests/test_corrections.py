"""Corrections and update notes as readers see them: under the story, on the
corrections page, in the feeds and in the structured data, at once, whether
the page cache keeps the pages or not."""

from __future__ import annotations

import datetime as dt
import json
import re

import feedparser  # type: ignore[import-untyped]
import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from articles.models import Article, Correction
from articles.tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_settings")]

WRONG_COUNT = "An earlier version said six frigates; the order is for four."
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(2)> & more'


@pytest.fixture(params=["page cache on", "page cache off"])
def cache_mode(request, settings):
    if request.param == "page cache off":
        settings.PAGE_CACHE_SECONDS = 0
        settings.ARTICLE_CACHE_SECONDS = 0
    return request.param


@pytest.fixture
def story(category, author):
    return ArticleFactory(
        category=category,
        author=author,
        headline="Navy signs for four frigates",
        slug="navy-signs-for-four-frigates",
        published_at=timezone.now() - dt.timedelta(days=1),
    )


def json_ld(html: str, kind: str) -> dict:
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return next(d for d in map(json.loads, blocks) if d["@type"] == kind)


def feed_item(reader: Client, url: str, story: Article):
    parsed = feedparser.parse(reader.get(url).content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    [item] = [e for e in parsed.entries if e.title == story.headline]
    return item


def read_all(reader: Client, story: Article) -> tuple[str, str, dict, dict]:
    """The story's page, the corrections page, and the story in its
    section's RSS feed (the same as in the site's) and in the Atom feed."""
    page = reader.get(story.get_absolute_url())
    log = reader.get("/corrections/")
    assert page.status_code == log.status_code == 200
    section = feed_item(reader, f"/category/{story.category.slug}/feed/", story)
    assert section.description == feed_item(reader, "/feed/", story).description
    atom_item = feed_item(reader, "/feed/atom/", story)
    return page.content.decode(), log.content.decode(), section, atom_item


def test_a_correction_shows_at_once_on_the_page_the_log_and_the_feeds(
    cache_mode, story
):
    reader = Client()
    page, log, rss_item, _ = read_all(reader, story)  # now in every cache
    assert WRONG_COUNT not in page and WRONG_COUNT not in log
    if cache_mode == "page cache on":
        assert reader.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
        assert reader.get("/corrections/")["X-Page-Cache"] == "hit"

    note = Correction.objects.create(article=story, text=WRONG_COUNT)

    page, log, rss_item, feed_item = read_all(reader, story)
    assert WRONG_COUNT in page
    assert 'aria-labelledby="corrections-title"' in page
    stamp = timezone.localtime(note.published_at)
    assert f'<time datetime="{stamp.isoformat()}">' in page
    assert f'Updated <time datetime="{stamp.isoformat()}">' in page
    assert WRONG_COUNT in log and story.headline in log
    assert f'href="{story.get_absolute_url()}"' in log
    for item in (rss_item, feed_item):
        assert WRONG_COUNT in item.description
    assert dt.datetime(*feed_item.updated_parsed[:6], tzinfo=dt.UTC) == (
        note.published_at.replace(microsecond=0)
    )


def test_a_deleted_note_leaves_the_page_the_log_and_the_feeds_at_once(
    cache_mode, story
):
    note = Correction.objects.create(article=story, text=WRONG_COUNT)
    reader = Client()
    page, log, rss_item, _ = read_all(reader, story)
    assert WRONG_COUNT in page and WRONG_COUNT in log
    assert WRONG_COUNT in rss_item.description

    note.delete()

    page, log, rss_item, _ = read_all(reader, story)
    assert WRONG_COUNT not in page and WRONG_COUNT not in log
    assert WRONG_COUNT not in rss_item.description


def test_a_note_added_in_the_admin_shows_to_readers_at_once(story, django_user_model):
    editor = django_user_model.objects.create_user(
        "desk", "desk@example.test", "a-long-test-password", is_staff=True
    )
    editor.user_permissions.set(
        Permission.objects.filter(
            codename__in=[
                "change_article", "view_article", "publish_article",
                "edit_others_article", "add_correction", "change_correction",
            ]
        )
    )  # fmt: skip
    reader = Client()
    read_all(reader, story)
    desk = Client()
    desk.force_login(editor)
    local = timezone.localtime(story.published_at)
    now = timezone.localtime()
    response = desk.post(
        f"/admin/articles/article/{story.pk}/change/",
        {
            "headline": story.headline,
            "slug": story.slug,
            "standfirst": story.standfirst,
            "body": story.body,
            "status": story.status,
            "published_at_0": f"{local:%Y-%m-%d}",
            "published_at_1": f"{local:%H:%M:%S}",
            "category": story.category_id,
            "author": story.author_id,
            "minor_edit": "on",  # the note alone makes the update
            "corrections-TOTAL_FORMS": "1",
            "corrections-INITIAL_FORMS": "0",
            "corrections-0-kind": "update",
            "corrections-0-text": "The contract was signed on Friday.",
            "corrections-0-published_at_0": f"{now:%Y-%m-%d}",
            "corrections-0-published_at_1": f"{now:%H:%M:%S}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page, log, rss_item, _ = read_all(reader, story)
    for text in (page, log, rss_item.description):
        assert "The contract was signed on Friday." in text
    assert "Updated <time" in page


def test_the_structured_data_lists_the_corrections_and_the_modified_date(story):
    first = Correction.objects.create(
        article=story,
        text=WRONG_COUNT,
        published_at=timezone.now() - dt.timedelta(hours=5),
    )
    update = Correction.objects.create(
        article=story, kind=Correction.Kind.UPDATE, text="The deal was signed."
    )
    html = Client().get(story.get_absolute_url()).content.decode()
    data = json_ld(html, "NewsArticle")
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": WRONG_COUNT,
            "datePublished": timezone.localtime(first.published_at)
            .replace(microsecond=0)
            .isoformat(),
        }
    ]  # an update note is not a correction, but it did modify the story
    modified = dt.datetime.fromisoformat(data["dateModified"])
    assert modified == update.published_at.replace(microsecond=0)
    assert modified > dt.datetime.fromisoformat(data["datePublished"])


def test_a_story_without_notes_has_no_correction_block(story):
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "corrections-title" not in html
    assert "correction" not in json_ld(html, "NewsArticle")
    assert "Updated <time" not in html


def test_hostile_text_in_a_note_is_shown_as_text_everywhere(story):
    Correction.objects.create(article=story, text=HOSTILE)
    reader = Client()
    page, log, rss_item, _ = read_all(reader, story)
    for html in (page, log):
        assert '<script>alert("x")' not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert json_ld(page, "NewsArticle")["correction"][0]["text"] == HOSTILE
    raw_feed = reader.get("/feed/").content.decode()
    assert "<script>" not in raw_feed and "<img src=x" not in raw_feed


def test_the_corrections_page_is_newest_first_and_paginated(category, author):
    now = timezone.now()
    stories = [
        ArticleFactory(category=category, author=author, headline=f"Story {n}")
        for n in range(3)
    ]
    for n in range(23):
        Correction.objects.create(
            article=stories[n % 3],
            text=f"Note number {n}.",
            published_at=now - dt.timedelta(hours=23 - n),
        )
    hidden = ArticleFactory(
        category=category, status=Article.Status.UNPUBLISHED, headline="Pulled"
    )
    Correction.objects.create(article=hidden, text="Note on a pulled story.")
    reader = Client()
    first = reader.get("/corrections/").content.decode()
    numbers = [int(n) for n in re.findall(r"Note number (\d+)\.", first)]
    assert numbers == list(range(22, 2, -1))  # 20 a page, the newest first
    assert "Note on a pulled story." not in first
    assert 'href="/corrections/page/2/"' in first
    second = reader.get("/corrections/page/2/").content.decode()
    assert re.findall(r"Note number (\d+)\.", second) == ["2", "1", "0"]
    assert reader.get("/corrections/page/3/").status_code == 404
    assert reader.get("/corrections/page/1/").status_code == 301


def test_the_corrections_page_follows_a_story_s_new_headline(cache_mode, story):
    Correction.objects.create(article=story, text=WRONG_COUNT)
    reader = Client()
    assert story.headline in reader.get("/corrections/").content.decode()
    story.headline = "Navy signs for four frigates, not six"
    story.save()
    log = reader.get("/corrections/").content.decode()
    assert "Navy signs for four frigates, not six" in log


def test_the_corrections_page_has_a_bounded_number_of_queries(
    category, author, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(25):
        story = ArticleFactory(category=category, author=author)
        Correction.objects.create(article=story, text=f"Note {n}.")
    Client().get("/corrections/")  # the site's settings are cached from here
    with django_assert_max_num_queries(4):
        assert Client().get("/corrections/").status_code == 200
