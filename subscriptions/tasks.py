from __future__ import annotations

from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from core.models import SiteSettings
from lib.mail import absolute, make_message
from subscriptions.models import Subscriber


@task
def send_confirmation(subscriber_id: int) -> bool:
    """Email the double opt-in link; at most one every few minutes per address."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status == Subscriber.Status.CONFIRMED:
        return False
    confirm = absolute(
        reverse("subscriptions:confirm", args=[subscriber.confirm_token()])
    )
    context = {"site": SiteSettings.load(), "confirm_url": confirm}
    make_message("subscription_confirm", [subscriber.email], context).send()
    Subscriber.objects.filter(pk=subscriber.pk).update(
        confirmation_sent_at=timezone.now()
    )
    return True
