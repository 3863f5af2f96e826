"""Draft -> in review -> scheduled or published -> unpublished."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.signals import article_published
from articles.tasks import publish_due_articles
from newsroom.models import Role
from newsroom.tests.test_roles import ARTICLES, form_data

pytestmark = pytest.mark.django_db


def test_a_story_whose_time_passed_while_no_worker_ran_goes_live_at_the_next_run(
    story_of, make_account
):
    writer = make_account(Role.AUTHOR)
    due = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    article = story_of(writer, Article.Status.SCHEDULED, published_at=due)
    announced: list[int] = []

    def receiver(article_id, **kwargs):
        announced.append(article_id)

    article_published.connect(receiver, dispatch_uid="test-worker-down")
    try:
        # The worker was down for three hours: nothing ran at `due`.
        with time_machine.travel(due + dt.timedelta(hours=3), tick=False):
            assert not Article.objects.published().filter(pk=article.pk).exists()
            assert publish_due_articles.call() == [article.pk]
            assert publish_due_articles.call() == []  # the next run: nothing
            live = Article.objects.published().get(pk=article.pk)
    finally:
        article_published.disconnect(dispatch_uid="test-worker-down")
    assert live.published_at == due  # its own time, not the late run's
    assert announced == [article.pk]


def test_an_unpublished_story_leaves_the_site_and_its_cached_page(
    client, story_of, make_account, site_settings
):
    writer = make_account(Role.AUTHOR)
    article = story_of(
        writer,
        Article.Status.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(hours=2),
        headline="Harbour deal signed",
    )
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # now from the page cache
    assert "Harbour deal signed" in client.get("/").content.decode()
    client.force_login(writer)
    client.post(ARTICLES, {"action": "unpublish", "_selected_action": [article.pk]})
    client.logout()
    assert client.get(url).status_code == 404
    assert "Harbour deal signed" not in client.get("/").content.decode()
    assert "Harbour deal signed" not in client.get("/feed/").content.decode()


def test_a_scheduled_story_needs_its_time(client, story_of, make_account):
    editor = make_account(Role.EDITOR)
    article = story_of(editor, Article.Status.PENDING)
    client.force_login(editor)
    response = client.post(
        f"{ARTICLES}{article.pk}/change/", form_data(article, status="scheduled")
    )
    assert response.status_code == 200
    assert "Give the date and time to publish it at." in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.PENDING


def test_a_contributor_sends_a_story_for_review_but_cannot_publish_it(
    client, story_of, make_account
):
    writer = make_account(Role.CONTRIBUTOR)
    article = story_of(writer)
    client.force_login(writer)
    page = client.get(f"{ARTICLES}{article.pk}/change/").content.decode()
    assert 'value="pending"' in page and 'value="published"' not in page
    refused = client.post(
        f"{ARTICLES}{article.pk}/change/", form_data(article, status="published")
    )
    assert "Select a valid choice" in refused.content.decode()
    client.post(
        ARTICLES, {"action": "make_published", "_selected_action": [article.pk]}
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    client.post(f"{ARTICLES}{article.pk}/change/", form_data(article, status="pending"))
    assert Article.objects.get(pk=article.pk).status == Article.Status.PENDING


def test_a_contributor_cannot_change_their_story_once_it_is_published(
    client, story_of, make_account
):
    writer = make_account(Role.CONTRIBUTOR)
    article = story_of(
        writer, Article.Status.PUBLISHED, published_at=timezone.now(), headline="Old"
    )
    client.force_login(writer)
    response = client.post(
        f"{ARTICLES}{article.pk}/change/",
        form_data(article, headline="Changed", status="draft"),
    )
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).headline == "Old"


def test_writers_see_only_their_own_stories_in_the_list(
    client, story_of, make_account, colleague
):
    writer = make_account(Role.CONTRIBUTOR)
    story_of(writer, headline="Mine about radars")
    story_of(colleague, headline="Theirs about tanks")
    client.force_login(writer)
    html = client.get(ARTICLES).content.decode()
    assert "Mine about radars" in html and "Theirs about tanks" not in html


def test_a_new_story_by_a_writer_carries_their_own_byline(
    client, story_of, make_account, colleague
):
    writer = make_account(Role.AUTHOR)
    template = story_of(colleague)
    client.force_login(writer)
    client.post(
        ARTICLES + "add/",
        form_data(template, slug="under-my-name", author=colleague.author_profile.pk),
    )
    assert Article.objects.get(slug="under-my-name").author == writer.author_profile
