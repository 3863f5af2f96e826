from __future__ import annotations

import datetime as dt

from django.core import signing
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.singleton import SingletonModel

CONFIRM_SALT = "subscriptions.confirm"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"
PREFERENCES_SALT = "subscriptions.preferences"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7  # a confirmation link works for a week


DEFAULT_BLOCKED_DOMAINS = """\
# One domain per line; its subdomains are blocked too. Lines starting with # are
# notes. These throwaway-mail services are a common source of bot sign-ups.
mailinator.com
guerrillamail.com
sharklasers.com
10minutemail.com
yopmail.com
trashmail.com
tempmail.dev
"""


class MailingSettings(SingletonModel):
    """Settings → Newsletter: digest times and the sign-up blocklist."""

    cache_key = "subscriptions:mailing-settings:v1"

    digest_hour = models.PositiveSmallIntegerField(
        _("digest hour"),
        default=7,
        validators=[MaxValueValidator(23)],
        help_text=_("Digests go out at this hour, site time, e.g. 7 for 07:00"),
    )
    weekly_digest_day = models.PositiveSmallIntegerField(
        _("weekly digest day"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
        default=0,
    )
    blocked_domains = models.TextField(
        _("blocked email domains"),
        blank=True,
        default=DEFAULT_BLOCKED_DOMAINS,
        help_text=_("One per line, e.g. mailinator.com; subdomains are blocked too"),
    )

    class Meta:
        verbose_name = _("newsletter settings")
        verbose_name_plural = _("newsletter settings")

    def __str__(self) -> str:
        return str(_("Newsletter settings"))

    def blocked(self) -> set[str]:
        lines = (
            line.split("#", 1)[0].strip().lower()
            for line in self.blocked_domains.splitlines()
        )
        return {line.lstrip("@.") for line in lines if line}

    def is_blocked(self, email: str) -> bool:
        domain = email.rsplit("@", 1)[-1].lower().rstrip(".")
        parts = domain.split(".")
        suffixes = {".".join(parts[i:]) for i in range(len(parts))}
        return bool(suffixes & self.blocked())

    def next_digest_at(self, frequency: str, now: dt.datetime, tz) -> dt.datetime:
        """The latest scheduled time of a digest edition at or before `now`."""
        local = now.astimezone(tz)
        at = dt.datetime.combine(local.date(), dt.time(self.digest_hour), tzinfo=tz)
        if at > local:
            at -= dt.timedelta(days=1)
        if frequency == Subscriber.Frequency.WEEKLY:
            at -= dt.timedelta(days=(at.weekday() - self.weekly_digest_day) % 7)
        return at


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriberQuerySet:
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def wanting(self, frequency: str) -> SubscriberQuerySet:
        return self.confirmed().filter(frequency=frequency)

    def following(self, category_ids: list[int]) -> SubscriberQuerySet:
        """Those who want every section, or one of these among their choices."""
        chosen = Subscriber.categories.through.objects.filter(
            subscriber_id=models.OuterRef("pk")
        )
        return self.filter(
            ~models.Exists(chosen)
            | models.Exists(chosen.filter(category_id__in=category_ids))
        )


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("Every new post, as it is published")
        DAILY = "daily", _("A daily digest")
        WEEKLY = "weekly", _("A weekly digest")

    class Source(models.TextChoices):
        SIGNUP = "signup", _("Signed up on the site")
        IMPORT = "import", _("Imported")

    email = models.EmailField(_("email"), max_length=254, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    frequency = models.CharField(
        _("how often"),
        max_length=8,
        choices=Frequency.choices,
        default=Frequency.INSTANT,
    )
    categories = models.ManyToManyField(
        "articles.Category",
        blank=True,
        related_name="+",
        verbose_name=_("sections"),
        help_text=_("Only posts in these sections; none chosen means every section"),
    )
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.SIGNUP
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [
            # confirmed(): the mailing list, and the admin's status filter.
            models.Index(fields=["status", "created_at"], name="subscriber_status_idx"),
            # wanting(frequency): who gets new posts at once, or each digest.
            models.Index(
                fields=["status", "frequency"], name="subscriber_frequency_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def confirm_token(self) -> str:
        return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(self.pk))

    def unsubscribe_token(self) -> str:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(self.pk))

    def preferences_token(self) -> str:
        return signing.Signer(salt=PREFERENCES_SALT).sign(str(self.pk))

    def confirm(self) -> None:
        if self.status != self.Status.CONFIRMED:
            self.status = self.Status.CONFIRMED
            self.confirmed_at = timezone.now()
            self.unsubscribed_at = None
            self.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])

    def unsubscribe(self) -> None:
        if self.status != self.Status.UNSUBSCRIBED:
            self.status = self.Status.UNSUBSCRIBED
            self.unsubscribed_at = timezone.now()
            self.save(update_fields=["status", "unsubscribed_at"])

    def bounce(self) -> None:
        """The mail server refused the address for good: stop mailing it."""
        Subscriber.objects.filter(pk=self.pk).update(status=self.Status.BOUNCED)
        self.status = self.Status.BOUNCED


class SendStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped (nothing to send)")


class SendQuerySet(models.QuerySet):
    def queued(self) -> SendQuerySet:
        return self.filter(status=SendStatus.QUEUED)


class SendRecord(models.Model):
    """One email to one subscriber, with what happened to it."""

    Status = SendStatus

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    changed_at = models.DateTimeField(_("last change"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)

    objects = SendQuerySet.as_manager()

    class Meta:
        abstract = True


class Delivery(SendRecord):
    """One new-post email to one subscriber. The unique pair makes a fan-out
    safe to repeat: a subscriber is never queued twice for the same post."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="deliveries"
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "subscriber"], name="one_delivery_per_post"
            )
        ]
        indexes = [
            # queued() for one post: what a sending task picks up next.
            models.Index(fields=["article", "status"], name="delivery_queue_idx"),
            # resume_sending(): emails left queued or mid-send for a while.
            models.Index(fields=["status", "changed_at"], name="delivery_stale_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.subscriber_id}: {self.status}"


class Digest(models.Model):
    """One edition of the daily or weekly digest: the posts published in
    [period_start, period_end). One row per frequency and edition date, so a
    second run of the scheduler finds the edition and queues nobody twice."""

    frequency = models.CharField(
        _("digest"), max_length=8, choices=Subscriber.Frequency.choices
    )
    edition = models.DateField(_("edition"))
    period_start = models.DateTimeField(_("posts from"))
    period_end = models.DateTimeField(_("posts until"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-edition", "frequency"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["frequency", "edition"], name="one_digest_per_edition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} {self.edition:%Y-%m-%d}"


class DigestDelivery(SendRecord):
    """One digest email to one subscriber."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="sends")

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "subscriber"], name="one_send_per_digest"
            )
        ]
        indexes = [
            # queued() for one edition: what a digest sending task picks up next.
            models.Index(fields=["digest", "status"], name="digest_queue_idx"),
            # resume_sending(): emails left queued or mid-send for a while.
            models.Index(fields=["status", "changed_at"], name="digest_stale_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.digest} → {self.subscriber_id}: {self.status}"
