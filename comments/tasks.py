from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, DiscussionSettings
from core.models import SiteSettings
from lib.mail import absolute, make_message

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "comments.reply-unsubscribe"


def reply_unsubscribe_token(comment: Comment) -> str:
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign(str(comment.pk))


def _moderators(discussion: DiscussionSettings) -> list[str]:
    listed = [line.strip() for line in discussion.moderator_emails.splitlines()]
    if any(listed):
        return [e for e in listed if e]
    users = get_user_model().objects.filter(is_superuser=True, is_active=True)
    return [e for e in users.values_list("email", flat=True) if e]


#: Tries of one notification in all, when the SMTP server is down, refuses for
#: now (4xx) or does not answer within EMAIL_TIMEOUT.
MAX_ATTEMPTS = 3


@task
def notify_about_comment(
    comment_id: int, event: str, only: int | None = None, attempt: int = 1
) -> int:
    """Email moderators about a held comment, or the article's authors and the
    replied-to commenter about a public one. Returns the number of messages
    sent. A message the SMTP server did not take is tried again later on its
    own (`only`: its place in the list), MAIL_RETRY_SECONDS then three times
    that, so the others are not sent twice."""
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
    sent = 0
    for index, message in enumerate(messages):
        if only is not None and index != only:
            continue
        try:
            message.send()
        except OSError:  # smtplib's errors and timeouts, a full outbox disk
            if (
                attempt >= MAX_ATTEMPTS
                or not notify_about_comment.get_backend().supports_defer
            ):
                log.exception(
                    "comment %s: %s email not sent (try %s)", comment_id, event, attempt
                )
                continue
            later = timezone.now() + dt.timedelta(
                seconds=settings.MAIL_RETRY_SECONDS * 3 ** (attempt - 1)
            )
            notify_about_comment.using(run_after=later).enqueue(
                comment_id, event, index, attempt + 1
            )
            continue
        sent += 1
    return sent


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
