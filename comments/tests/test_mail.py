"""Notification mail, received by a real SMTP server on loopback."""

from __future__ import annotations

import re

import pytest

from articles.tests.factories import AuthorFactory
from comments.models import Comment
from comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db(transaction=True)
POST = "/comments/post/"


@pytest.fixture(autouse=True)
def _setup(site_settings, discussion):
    discussion.moderator_emails = "desk@example.test\n"
    discussion.save()
    return discussion


def test_moderators_are_emailed_about_a_held_comment(client, comment_data, smtp_server):
    client.post(POST, comment_data())
    assert len(smtp_server.messages) == 1
    to, message = smtp_server.messages[0]
    assert to == ["desk@example.test"]
    assert "Please moderate" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "does not match the map" in text
    assert "/admin/comments/comment/" in text
    assert message.get_body(("html",)) is not None


def test_the_article_author_hears_of_a_public_comment(
    client, comment_data, smtp_server, published_article, django_user_model, discussion
):
    discussion.hold_first_comment = False
    discussion.save()
    user = django_user_model.objects.create_user("amina", "amina@example.test", "x")
    published_article.author.user = user
    published_article.author.save()
    client.post(POST, comment_data())
    assert [to for to, _ in smtp_server.messages] == [["amina@example.test"]]
    assert "New comment by Jonas Weber" in smtp_server.messages[0][1]["Subject"]


def test_a_commenter_who_asked_is_told_of_replies_and_can_stop_it(
    client, comment_data, smtp_server, published_article, discussion
):
    discussion.hold_first_comment = False
    discussion.save()
    question = CommentFactory(
        article=published_article,
        author_email="asker@example.test",
        notify_replies=True,
        body="Which yard?",
    )
    client.post(POST, comment_data(parent=question.pk, body="The northern one."))
    replies = [m for to, m in smtp_server.messages if to == ["asker@example.test"]]
    assert len(replies) == 1
    message = replies[0]
    assert "replied to your comment" in message["Subject"]
    stop = re.search(r"(http\S+/comments/stop-replies/\S+/)", message.get_body(
        ("plain",)).get_content()).group(1)  # fmt: skip
    assert message["List-Unsubscribe"] == f"<{stop}>"
    path = stop.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)  # what a mail scanner does: changes nothing
    assert (
        page.status_code == 200 and "Stop reply notifications?" in page.content.decode()
    )
    assert Comment.objects.get(pk=question.pk).notify_replies
    done = client.post("/" + path + "confirm/")
    assert "You will get no more emails" in done.content.decode()
    assert not Comment.objects.get(pk=question.pk).notify_replies
    tampered = client.get("/" + path.replace(":", "x", 1))
    assert tampered.status_code == 400


def test_a_commenter_is_not_emailed_about_their_own_reply(
    client, comment_data, smtp_server, published_article, discussion
):
    discussion.hold_first_comment = False
    discussion.save()
    own = CommentFactory(
        article=published_article,
        author_email="jonas@example.test",
        notify_replies=True,
    )
    client.post(POST, comment_data(parent=own.pk, body="Adding to my own point."))
    assert not [m for to, m in smtp_server.messages if to == ["jonas@example.test"]]


def test_author_without_an_account_gets_no_mail(
    client, comment_data, smtp_server, published_article, discussion
):
    discussion.hold_first_comment = False
    discussion.save()
    published_article.author = AuthorFactory(user=None)
    published_article.save()
    client.post(POST, comment_data())
    assert smtp_server.messages == []


def test_a_notification_the_mail_server_did_not_take_goes_out_later_once(
    client, comment_data, mail_server_down, published_article, discussion,
    django_user_model,
):  # fmt: skip
    """The SMTP server is down when a reply is published: the author's and the
    asker's emails each wait and go out once it is back, neither twice."""
    inbox = mail_server_down.inbox
    discussion.hold_first_comment = False
    discussion.save()
    user = django_user_model.objects.create_user("amina", "amina@example.test", "x")
    published_article.author.user = user
    published_article.author.save()
    question = CommentFactory(
        article=published_article, author_email="asker@example.test",
        notify_replies=True, body="Which yard?",
    )  # fmt: skip
    assert client.post(POST, comment_data(parent=question.pk)).status_code == 302

    mail_server_down.work()  # refused: each email queued again on its own
    assert inbox.messages == []

    mail_server_down.back()  # the server is back, one mailbox not yet
    inbox.busy.add("asker@example.test")
    mail_server_down.work(wait=1.2)  # MAIL_RETRY_SECONDS
    assert [to for to, _ in inbox.messages] == [["amina@example.test"]]

    inbox.busy.clear()
    mail_server_down.work(wait=3.2)  # the third try waits three times as long
    mail_server_down.work()  # nothing left to send twice
    received = sorted(to[0] for to, _ in inbox.messages)
    assert received == ["amina@example.test", "asker@example.test"]
