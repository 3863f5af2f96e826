"""Sign-up with double opt-in."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from subscriptions.models import Subscriber
from subscriptions.tasks import send_confirmation

RESEND_AFTER = dt.timedelta(minutes=10)


def subscribe(*, email: str) -> Subscriber:
    """Start (or restart) a sign-up. A confirmed address is left as it is; the
    caller shows the same answer whatever happened, so nobody can learn who is
    subscribed."""
    try:
        with transaction.atomic():
            subscriber, _created = Subscriber.objects.get_or_create(email=email)
    except IntegrityError:  # the same address sent twice at once
        subscriber = Subscriber.objects.get(email=email)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    if subscriber.status != Subscriber.Status.PENDING:
        Subscriber.objects.filter(pk=subscriber.pk).update(
            status=Subscriber.Status.PENDING
        )
    recently = subscriber.confirmation_sent_at and (
        timezone.now() - subscriber.confirmation_sent_at < RESEND_AFTER
    )
    if not recently:
        transaction.on_commit(lambda: send_confirmation.enqueue(subscriber.pk))
    return subscriber
