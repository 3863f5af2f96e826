from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core import signing
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, DiscussionSettings
from core.models import SiteSettings
from lib.mail import absolute, make_message

UNSUBSCRIBE_SALT = "comments.reply-unsubscribe"


def reply_unsubscribe_token(comment: Comment) -> str:
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign(str(comment.pk))


def _moderators(discussion: DiscussionSettings) -> list[str]:
    listed = [line.strip() for line in discussion.moderator_emails.splitlines()]
    if any(listed):
        return [e for e in listed if e]
    users = get_user_model().objects.filter(is_superuser=True, is_active=True)
    return [e for e in users.values_list("email", flat=True) if e]


@task
def notify_about_comment(comment_id: int, event: str) -> int:
    """Email moderators about a held comment, or the article's authors and the
    replied-to commenter about a public one. Returns the number of messages."""
    comment = (
        Comment.objects.select_related("article", "article__author", "parent")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    discussion = DiscussionSettings.load()
    with timezone.override(SiteSettings.load().tzinfo):
        messages = _messages_for(comment, event, discussion)
    for message in messages:
        message.send()
    return len(messages)


def _messages_for(comment: Comment, event: str, discussion: DiscussionSettings):
    article = comment.article
    context = {
        "comment": comment,
        "article": article,
        "article_url": absolute(article.get_absolute_url()),
        "moderate_url": absolute(
            reverse("admin:comments_comment_change", args=[comment.pk])
        ),
    }
    messages = []
    if event == Comment.Status.PENDING and discussion.notify_moderators:
        to = _moderators(discussion)
        if to:
            messages.append(make_message("comment_held", to, context))
    if event in (Comment.Status.APPROVED, "approved"):
        if discussion.notify_authors:
            authors = [
                a.user.email
                for a in article.all_authors()
                if a.user_id and a.user is not None
            ]
            authors = [e for e in authors if e and e != comment.author_email]
            if authors:
                messages.append(make_message("comment_new", authors, context))
        parent = comment.parent
        if (
            parent is not None
            and parent.notify_replies
            and parent.author_email
            and parent.author_email.lower() != comment.author_email.lower()
        ):
            token = reply_unsubscribe_token(parent)
            stop_url = absolute(reverse("comments:unsubscribe", args=[token]))
            messages.append(
                make_message(
                    "comment_reply",
                    [parent.author_email],
                    context | {"parent": parent, "unsubscribe_url": stop_url},
                    headers={"List-Unsubscribe": f"<{stop_url}>"},
                )
            )
    return messages
