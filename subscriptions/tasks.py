from __future__ import annotations

import contextlib
import datetime as dt

from django.core.mail import mailers
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from core.models import SiteSettings
from lib.mail import absolute, make_message
from subscriptions.models import Delivery, Subscriber


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


BATCH = 200
MAX_ATTEMPTS = 3


@task
def fan_out(article_id: int) -> int:
    """Queue one delivery per confirmed subscriber (streamed in batches, so
    memory stays flat), then one sending task per batch. Safe to run twice."""
    queued = 0
    ids = Subscriber.objects.confirmed().order_by("pk").values_list("pk", flat=True)
    batch: list[int] = []
    for subscriber_id in ids.iterator(chunk_size=2000):
        batch.append(subscriber_id)
        if len(batch) == BATCH:
            queued += _queue(article_id, batch)
            batch = []
    if batch:
        queued += _queue(article_id, batch)
    return queued


def _queue(article_id: int, subscriber_ids: list[int]) -> int:
    Delivery.objects.bulk_create(
        [Delivery(article_id=article_id, subscriber_id=s) for s in subscriber_ids],
        ignore_conflicts=True,
    )
    send_batch.enqueue(article_id, subscriber_ids)
    return len(subscriber_ids)


@task
def send_batch(article_id: int, subscriber_ids: list[int]) -> int:
    """Send the queued deliveries of these subscribers. Each one is claimed with
    a conditional UPDATE first, so two workers (or a retry) never send twice."""
    article = (
        Article.objects.published()
        .select_related("author")
        .filter(pk=article_id)
        .first()
    )
    if article is None:  # unpublished since: send nothing
        return 0
    sent = 0
    pending = (
        Delivery.objects.queued()
        .filter(article_id=article_id, subscriber_id__in=subscriber_ids)
        .select_related("subscriber")
    )
    shared = post_context(article)
    connection = mailers.default  # one SMTP session for the whole batch
    with contextlib.suppress(OSError):
        connection.open()  # if it fails, each send retries and records why
    try:
        for delivery in pending:
            sent += _deliver(delivery, article, shared, connection)
    finally:
        with contextlib.suppress(OSError):
            connection.close()
    _retry_later(article_id, subscriber_ids)
    return sent


def _deliver(delivery: Delivery, article, shared: dict, connection) -> int:
    """Claim, send and record one delivery; 1 if it was sent."""
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.QUEUED
    ).update(status=Delivery.Status.SENDING, attempts=delivery.attempts + 1)
    if not claimed or delivery.subscriber.status != Subscriber.Status.CONFIRMED:
        return 0
    try:
        connection.send_messages(
            [new_post_message(article, delivery.subscriber, shared)]
        )
    except OSError as error:  # SMTP refused or unreachable: retry later
        status = (
            Delivery.Status.FAILED
            if delivery.attempts + 1 >= MAX_ATTEMPTS
            else Delivery.Status.QUEUED
        )
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status, error=str(error)[:300]
        )
        with contextlib.suppress(OSError):
            connection.close()  # the next message starts a fresh session
        return 0
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    return 1


def _retry_later(article_id: int, subscriber_ids: list[int]) -> None:
    """Deliveries put back in the queue after an error get another go later."""
    left = list(
        Delivery.objects.queued()
        .filter(article_id=article_id, subscriber_id__in=subscriber_ids)
        .values_list("subscriber_id", flat=True)
    )
    if left and send_batch.get_backend().supports_defer:
        later = timezone.now() + dt.timedelta(minutes=5)
        send_batch.using(run_after=later).enqueue(article_id, left)


def post_context(article) -> dict:
    """What every email about one post shares (built once per batch)."""
    site = SiteSettings.load()
    with timezone.override(site.tzinfo):
        url = absolute(article.get_absolute_url())
    image = absolute(article.featured_image.url) if article.featured_image else ""
    return {"site": site, "article": article, "article_url": url, "image_url": image}


def new_post_message(article, subscriber: Subscriber, shared: dict | None = None):
    """The new-post email, with one-click unsubscribe (RFC 8058)."""
    shared = shared if shared is not None else post_context(article)
    stop = absolute(
        reverse("subscriptions:unsubscribe", args=[subscriber.unsubscribe_token()])
    )
    one_click = absolute(
        reverse("subscriptions:one_click", args=[subscriber.unsubscribe_token()])
    )
    context = shared | {"unsubscribe_url": stop}
    headers = {
        "List-Unsubscribe": f"<{one_click}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return make_message("new_post", [subscriber.email], context, headers=headers)
