from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from lib.html import comment_html, text_to_html
from lib.singleton import SingletonModel


def _keywords(text: str) -> list[str]:
    return [line.strip().lower() for line in text.splitlines() if line.strip()]


class DiscussionSettings(SingletonModel):
    """WordPress's Settings → Discussion, for the whole site. There is one row."""

    cache_key = "comments:discussion-settings:v1"

    close_after_days = models.PositiveIntegerField(
        _("close comments after (days)"),
        default=60,
        help_text=_("Comments close this many days after publication; 0 never"),
    )
    thread_depth = models.PositiveSmallIntegerField(
        _("maximum reply depth"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 means no replies; e.g. 5"),
    )
    per_page = models.PositiveSmallIntegerField(
        _("threads per page"),
        default=50,
        validators=[MinValueValidator(5), MaxValueValidator(500)],
        help_text=_("Top-level comments on each page of a discussion, e.g. 50"),
    )
    newest_first = models.BooleanField(_("newest threads first"), default=False)
    hold_first_comment = models.BooleanField(
        _("hold a commenter's first comment"),
        default=True,
        help_text=_("Until a comment by the same email address has been approved"),
    )
    max_links = models.PositiveSmallIntegerField(
        _("hold comments with more links than"), default=2
    )
    moderation_keys = models.TextField(
        _("moderation words"),
        blank=True,
        help_text=_("One per line; a comment containing one is held, e.g. casino"),
    )
    blocklist_keys = models.TextField(
        _("blocklist words"),
        blank=True,
        help_text=_("One per line; a comment containing one goes to spam"),
    )
    min_seconds_to_submit = models.PositiveSmallIntegerField(
        _("minimum seconds to write a comment"), default=3
    )
    flood_seconds = models.PositiveSmallIntegerField(
        _("seconds between two comments from one address"), default=15
    )
    max_per_hour = models.PositiveSmallIntegerField(
        _("comments per hour from one address"), default=20
    )
    moderator_emails = models.TextField(
        _("moderator emails"),
        blank=True,
        help_text=_("One per line; empty means every active superuser with an email"),
    )
    notify_moderators = models.BooleanField(
        _("email moderators when a comment is held"), default=True
    )
    notify_authors = models.BooleanField(
        _("email the article's authors about new comments"), default=True
    )

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")

    def __str__(self) -> str:
        return str(_("Discussion settings"))

    @property
    def moderation_words(self) -> list[str]:
        return _keywords(self.moderation_keys)

    @property
    def blocklist_words(self) -> list[str]:
        return _keywords(self.blocklist_keys)


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.PENDING)

    def on(self, article) -> CommentQuerySet:
        return self.filter(article=article)

    def by_email(self, email: str) -> CommentQuerySet:
        return self.filter(author_email__iexact=email.strip())

    def threads(self) -> CommentQuerySet:
        """Top-level comments only."""
        return self.filter(parent__isnull=True)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    thread = models.ForeignKey(
        "self",
        verbose_name=_("thread"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text=_("The top-level comment this one belongs under"),
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=1, editable=False)
    author_name = models.CharField(_("name"), max_length=100)
    author_email = models.EmailField(_("email"), max_length=254, blank=True)
    author_url = models.URLField(_("website"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Format(models.TextChoices):
        TEXT = "text", _("plain text")
        HTML = "html", _("HTML (imported from WordPress)")

    body = models.TextField(
        _("comment"),
        help_text=_(
            "Plain text; links are made. Comments imported from WordPress keep "
            "their simple markup (links, emphasis, quotes); anything else is removed."
        ),
    )
    body_format = models.CharField(
        _("format"), max_length=4, choices=Format.choices, default=Format.TEXT
    )
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    notify_replies = models.BooleanField(_("email me replies"), default=False)
    content_hash = models.CharField(max_length=64, editable=False, db_index=False)

    objects = CommentQuerySet.as_manager()

    # Set by the comments feed (comments.feeds) on its items: the comment's
    # address on the article's page.
    feed_link: str

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            # approved().on(article).threads(): one page of a discussion.
            models.Index(
                fields=["article", "status", "parent", "created_at"],
                name="comment_thread_page_idx",
            ),
            # The replies under one page of threads.
            models.Index(fields=["thread", "status"], name="comment_replies_idx"),
            # by_email(): first-comment rule, privacy export and erase.
            models.Index(fields=["author_email", "status"], name="comment_email_idx"),
            # Duplicate check: the same text on the same article.
            models.Index(fields=["article", "content_hash"], name="comment_dup_idx"),
            # The moderation queue, newest first.
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.content_hash = self.hash_for(self.body)
        if self.body_format == self.Format.HTML:
            self.body_html = comment_html(self.body)
        else:
            self.body_html = text_to_html(self.body)
        parent = self.parent if self.parent_id else None
        if parent is not None:
            self.thread_id = parent.thread_id or parent.pk
            self.depth = parent.depth + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @staticmethod
    def hash_for(body: str) -> str:
        normal = " ".join(body.lower().split())
        return hashlib.sha256(normal.encode()).hexdigest()

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    def moderation_hash(self) -> str:
        """Shown only to the poster, in the address they are sent back to."""
        value = f"{self.pk}:{self.author_email}:{self.created_at.isoformat()}"
        return salted_hmac(
            "comments.unapproved", value, algorithm="sha256"
        ).hexdigest()[:24]

    def check_moderation_hash(self, value: str) -> bool:
        return constant_time_compare(self.moderation_hash(), value or "")
