from __future__ import annotations

import pytest
from django.test import Client

from comments.models import Comment
from comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db
POST = "/comments/post/"


@pytest.fixture(autouse=True)
def _setup(site_settings, discussion):
    return discussion


def _post(client, comment_data, **fields) -> Comment:
    response = client.post(POST, comment_data(**fields))
    assert response.status_code == 302, response.content.decode()[:500]
    comment = Comment.objects.order_by("-pk").first()
    assert comment is not None
    return comment


def test_a_first_comment_is_held_and_the_next_one_after_approval_is_not(
    client, comment_data
):
    first = _post(client, comment_data)
    assert first.status == Comment.Status.PENDING
    first.status = Comment.Status.APPROVED
    first.save()
    second = _post(client, comment_data, body="And a follow-up question.")
    assert second.status == Comment.Status.APPROVED


def test_holding_first_comments_can_be_turned_off(client, comment_data, discussion):
    discussion.hold_first_comment = False
    discussion.save()
    assert _post(client, comment_data).status == Comment.Status.APPROVED


def test_too_many_links_hold_a_comment(client, comment_data, discussion):
    discussion.hold_first_comment = False
    discussion.save()
    body = "See http://a.test and https://b.test and www.c.test for more."
    assert _post(client, comment_data, body=body).status == Comment.Status.PENDING
    ok = "Only https://a.test and https://b.test here."
    assert _post(client, comment_data, body=ok).status == Comment.Status.APPROVED


def test_moderation_words_hold_and_blocklist_words_go_to_spam(
    client, comment_data, discussion
):
    discussion.hold_first_comment = False
    discussion.moderation_keys = "casino\n"
    discussion.blocklist_keys = "cheap pills\nspam.example\n"
    discussion.save()
    held = _post(client, comment_data, body="The Casino bet on procurement.")
    assert held.status == Comment.Status.PENDING
    spam = _post(client, comment_data, body="Buy CHEAP PILLS now")
    assert spam.status == Comment.Status.SPAM
    by_site = _post(client, comment_data, body="Hello", url="https://spam.example/x")
    assert by_site.status == Comment.Status.SPAM
    ok = _post(client, comment_data, body="A fair analysis of the frigate deal.")
    assert ok.status == Comment.Status.APPROVED


def test_spam_looks_like_moderation_to_the_poster_and_is_never_public(
    client, comment_data, discussion, published_article
):
    discussion.blocklist_keys = "cheap pills"
    discussion.save()
    response = client.post(POST, comment_data(body="cheap pills here"))
    page = client.get(response["Location"]).content.decode()
    assert "awaiting moderation" in page
    assert (
        "cheap pills here"
        not in Client()
        .get(published_article.get_absolute_url() + "?x=1")
        .content.decode()
    )


def test_approving_shows_the_comment_and_counts_it(
    client, published_article, django_capture_on_commit_callbacks
):
    from comments import services

    comment = CommentFactory(
        article=published_article, status=Comment.Status.PENDING, body="Held view"
    )
    url = published_article.get_absolute_url()
    assert "Held view" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(comment, Comment.Status.APPROVED)
    page = client.get(url).content.decode()
    assert "Held view" in page
    assert "1 comment" in page
    published_article.refresh_from_db()
    assert published_article.comment_count == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(comment, Comment.Status.TRASH)
    assert "Held view" not in client.get(url).content.decode()
    published_article.refresh_from_db()
    assert published_article.comment_count == 0
