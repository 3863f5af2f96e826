from __future__ import annotations

from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONFIRM_SALT = "subscriptions.confirm"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7  # a confirmation link works for a week


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriberQuerySet:
        return self.filter(status=Subscriber.Status.CONFIRMED)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")

    email = models.EmailField(_("email"), max_length=254, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [
            # confirmed(): the mailing list, and the admin's status filter.
            models.Index(fields=["status", "created_at"], name="subscriber_status_idx"),
        ]

    def __str__(self) -> str:
        return self.email

    def confirm_token(self) -> str:
        return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(self.pk))

    def unsubscribe_token(self) -> str:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(self.pk))

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


class DeliveryQuerySet(models.QuerySet):
    def queued(self) -> DeliveryQuerySet:
        return self.filter(status=Delivery.Status.QUEUED)


class Delivery(models.Model):
    """One new-post email to one subscriber. The unique pair makes a fan-out
    safe to repeat: a subscriber is never queued twice for the same post."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)

    objects = DeliveryQuerySet.as_manager()

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
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.subscriber_id}: {self.status}"
