from __future__ import annotations

import datetime as dt
import time
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from comments import services
from comments.forms import sign_timestamp
from comments.models import Comment

pytestmark = pytest.mark.django_db
POST = "/comments/post/"


@pytest.fixture(autouse=True)
def _setup(site_settings, discussion):
    return discussion


def test_a_valid_comment_is_saved_and_the_poster_sees_it_awaiting_moderation(
    client, comment_data, published_article
):
    response = client.post(POST, comment_data())
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING  # first comment is held
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(published_article.get_absolute_url() + "?unapproved=")
    page = client.get(location).content.decode()
    assert "Your comment is awaiting moderation." in page
    assert "does not match the map" in page
    anonymous = Client().get(published_article.get_absolute_url()).content.decode()
    assert "does not match the map" not in anonymous


def test_a_forged_moderation_hash_shows_nothing(
    client, comment_data, published_article
):
    client.post(POST, comment_data())
    comment = Comment.objects.get()
    url = f"{published_article.get_absolute_url()}?unapproved={comment.pk}"
    page = client.get(url + "&moderation-hash=0000").content.decode()
    assert "does not match the map" not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "", "Please enter your comment!"),
        ("body", "   \n  ", "Please enter your comment!"),
        ("name", "", "Please enter your name here"),
        ("email", "", "You have entered an incorrect email address!"),
        ("email", "not-an-address", "You have entered an incorrect email address!"),
        ("email", "a@b.test\r\nBcc: victim@example.test", "incorrect email address"),
        ("url", "javascript:alert(1)", "Please enter a valid website address."),
        ("body", "x" * 5001, "Your comment is too long"),
        ("name", "n" * 101, "at most 100 characters"),
    ],
)
def test_bad_fields_get_a_clear_message_and_keep_the_text(
    client, comment_data, field, value, message
):
    data = comment_data(**{field: value})
    response = client.post(POST, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Nothing is lost" in html
    if field != "body":
        assert "does not match the map" in html  # the comment text is kept
    assert Comment.objects.count() == 0


def test_the_honeypot_turns_bots_away(client, comment_data):
    response = client.post(POST, comment_data(website_hp="http://spam.test"))
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_a_comment_sent_too_fast_is_refused_with_its_text_kept(
    client, comment_data, discussion, published_article
):
    discussion.min_seconds_to_submit = 5
    discussion.save()
    data = comment_data(ts=sign_timestamp(published_article.pk, time.time() - 1))
    response = client.post(POST, data)
    assert response.status_code == 400
    assert "That was quick!" in response.content.decode()
    assert "does not match the map" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("ts", ["", "garbage", "1:123:forged", "9" * 300])
def test_a_missing_or_forged_timestamp_is_refused(client, comment_data, ts):
    response = client.post(POST, comment_data(ts=ts))
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_a_timestamp_for_another_article_is_refused(client, comment_data):
    response = client.post(POST, comment_data(ts=sign_timestamp(999999, 0)))
    assert response.status_code == 400
    assert "The form has expired" in response.content.decode()


def test_a_duplicate_comment_is_refused(client, comment_data):
    assert client.post(POST, comment_data()).status_code == 302
    again = "The timeline in the THIRD paragraph  does not match the map."
    response = client.post(POST, comment_data(body=again))
    assert response.status_code == 409
    assert "you’ve already said that" in response.content.decode()
    assert Comment.objects.count() == 1


def test_flooding_from_one_address_is_slowed_down(client, comment_data, discussion):
    discussion.flood_seconds = 15
    discussion.save()
    assert client.post(POST, comment_data()).status_code == 302
    response = client.post(POST, comment_data(body="A second, different point."))
    assert response.status_code == 429
    assert "too quickly" in response.content.decode()
    assert "A second, different point." in response.content.decode()
    assert Comment.objects.count() == 1


def test_an_address_is_limited_per_hour(client, comment_data, discussion):
    discussion.max_per_hour = 3
    discussion.save()
    codes = [
        client.post(POST, comment_data(body=f"Point number {i}")).status_code
        for i in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert Comment.objects.count() == 3


def test_comments_close_per_article(client, comment_data, published_article):
    published_article.comments_open = False
    published_article.save()
    response = client.post(POST, comment_data())
    assert response.status_code == 400
    assert "Comments are closed here." in response.content.decode()
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert "Comments are closed for this article." in page
    assert 'id="respond"' not in page


def test_comments_close_automatically_after_the_configured_days(
    client, comment_data, published_article, discussion
):
    published_article.published_at = timezone.now() - dt.timedelta(days=61)
    published_article.save()
    assert client.post(POST, comment_data()).status_code == 400
    discussion.close_after_days = 0  # never
    discussion.save()
    assert client.post(POST, comment_data()).status_code == 302


def test_unknown_or_unpublished_articles_take_no_comments(client, comment_data):
    from articles.models import Article

    response = client.post(POST, comment_data(article=123456))
    assert response.status_code == 400
    draft = Article.objects.get()
    draft.status = Article.Status.DRAFT
    draft.save()
    assert client.post(POST, comment_data()).status_code == 400
    assert Comment.objects.count() == 0


def test_a_huge_body_is_refused_without_a_trace(client, comment_data):
    response = client.post(POST, comment_data(body="A" * 4_000_000))
    assert response.status_code in (400, 413)
    assert "Traceback" not in response.content.decode()
    assert Comment.objects.count() == 0


def test_garbage_posts_get_a_clear_answer(client):
    for data in ({}, {"article": "x" * 50}, {"article": "-1", "parent": "abc"}):
        response = client.post(POST, data)
        assert response.status_code == 400
    assert client.get(POST).status_code == 405
    assert Comment.objects.count() == 0


def test_a_post_without_a_csrf_token_offers_to_send_it_again(comment_data):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(POST, comment_data())
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please send the form again" in html
    assert "does not match the map" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert Comment.objects.count() == 0


def test_a_reply_to_a_missing_or_foreign_comment_is_refused(
    client, comment_data, published_article
):
    from comments.tests.factories import CommentFactory

    other = CommentFactory()  # on another article
    for parent in (other.pk, 999999):
        response = client.post(POST, comment_data(parent=parent))
        assert response.status_code == 400
        assert "no longer available" in response.content.decode()
    assert Comment.objects.count() == 1


def test_null_bytes_and_control_characters_are_dropped_and_the_feed_stays_valid(
    client, comment_data, published_article
):
    response = client.post(
        POST, comment_data(body="Fine\x00 text\x07 here\x1b[0m", name="Ana\x00 Silva")
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == "Fine text here[0m"
    assert comment.author_name == "Ana Silva"
    services.set_status(comment, Comment.Status.APPROVED)
    feed = client.get(published_article.get_absolute_url() + "feed/")
    assert feed.status_code == 200
    ElementTree.fromstring(feed.content)  # well-formed XML: it would raise
    assert b"Fine text here" in feed.content
