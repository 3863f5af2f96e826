"""Sending: confirmations, new-post fan-out and digests, all through django.tasks.

Every email to a subscriber has a send record (Delivery or DigestDelivery) with
a unique (post or edition, subscriber) pair, created before anything is sent;
a sending task claims each record with a conditional UPDATE, so retries, a
second worker or a restarted one never send the same email twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import smtplib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category
from core.models import SiteSettings
from lib.mail import absolute, make_message, pace
from media.services import large_fallback
from subscriptions.models import (
    Delivery,
    Digest,
    DigestDelivery,
    MailingSettings,
    SendRecord,
    SendStatus,
    Subscriber,
)

BATCH = 200
MAX_ATTEMPTS = 3
STALE_AFTER = dt.timedelta(minutes=15)  # a claimed or queued email left this long
INTERRUPTED = "Interrupted while sending: it may or may not have gone out."
DIGEST_GRACE = dt.timedelta(hours=6)  # an edition missed by longer is skipped

if TYPE_CHECKING:

    class DigestPost(Article):
        """An article as a digest shows it, with what digest_posts() adds."""

        url: str
        image_url: str
        image_alt: str
        section_ids: set[int]


DIGEST_MAX_POSTS = 30


def retry_after() -> dt.timedelta:
    """How long an email the SMTP server refused or never answered waits
    before its next try (MAIL_RETRY_SECONDS, 5 minutes by default)."""
    return dt.timedelta(seconds=settings.MAIL_RETRY_SECONDS)


@task
def send_confirmation(subscriber_id: int, attempt: int = 1) -> bool:
    """Email the double opt-in link; at most one every few minutes per address.
    An SMTP server that is down, refuses for now (4xx) or does not answer
    within EMAIL_TIMEOUT: tried again later, MAX_ATTEMPTS times in all (the
    sign-up's web request never waits for it)."""
    try:
        return _confirm(subscriber_id, mailers.default)
    except OSError:  # smtplib's errors and timeouts, a full outbox disk
        if (
            attempt >= MAX_ATTEMPTS
            or not send_confirmation.get_backend().supports_defer
        ):
            raise
        later = timezone.now() + retry_after() * 3 ** (attempt - 1)
        send_confirmation.using(run_after=later).enqueue(subscriber_id, attempt + 1)
        return False


@task
def send_confirmations(subscriber_ids: list[int]) -> int:
    """Confirmation emails for a batch (an import that asks people to confirm),
    over one SMTP session."""
    connection = mailers.default
    with contextlib.suppress(OSError):
        connection.open()  # if it fails, the first send raises and says why
    sent = 0
    try:
        for index, pk in enumerate(subscriber_ids):
            try:
                sent += _confirm(pk, connection)
            except OSError:
                # The server is down, refuses for now or does not answer: each
                # one not sent yet is tried again on its own, as a sign-up's.
                if not send_confirmations.get_backend().supports_defer:
                    raise
                later = timezone.now() + retry_after()
                for waiting in subscriber_ids[index:]:
                    send_confirmation.using(run_after=later).enqueue(waiting, 2)
                break
        return sent
    finally:
        with contextlib.suppress(OSError):
            connection.close()


def _confirm(subscriber_id: int, connection) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status == Subscriber.Status.CONFIRMED:
        return False
    confirm = absolute(
        reverse("subscriptions:confirm", args=[subscriber.confirm_token()])
    )
    context = {"site": SiteSettings.load(), "confirm_url": confirm}
    pace()
    try:
        connection.send_messages(
            [make_message("subscription_confirm", [subscriber.email], context)]
        )
    except smtplib.SMTPRecipientsRefused as refused:
        if _permanent(refused):
            subscriber.bounce()
            return False
        raise
    Subscriber.objects.filter(pk=subscriber.pk).update(
        confirmation_sent_at=timezone.now()
    )
    return True


# New posts ------------------------------------------------------------------


@task
def fan_out(article_id: int) -> int:
    """Queue one delivery per subscriber who wants every post (of this
    section), streamed in batches so memory stays flat, then one sending task
    per batch. Safe to run twice."""
    article = Article.objects.published().filter(pk=article_id).first()
    if article is None:
        return 0
    sections = Category.ancestor_ids(article.category_id)
    audience = Subscriber.objects.wanting(Subscriber.Frequency.INSTANT).following(
        sections
    )
    return _queue_all(audience, Delivery, "article_id", article_id, send_batch)


@task
def send_batch(article_id: int, subscriber_ids: list[int]) -> int:
    """Send the queued deliveries of these subscribers."""
    article = (
        Article.objects.published()
        .select_related("author")
        .filter(pk=article_id)
        .first()
    )
    if article is None:  # unpublished since: send nothing
        return 0
    records = Delivery.objects.queued().filter(
        article_id=article_id, subscriber_id__in=subscriber_ids
    )
    shared = post_context(article)
    sent = _send_all(records, lambda d: new_post_message(article, d.subscriber, shared))
    _retry_later(records, send_batch, article_id)
    return sent


def email_image_url(image) -> str:
    """A JPEG rendition about 600 px wide (the emails' width at 2x) of a
    library image, as an absolute address; "" without an image."""
    if image is None:
        return ""
    url = large_fallback(image, "full", at_least=1200)[0]
    return url if url.startswith(("http://", "https://")) else absolute(url)


def post_context(article) -> dict:
    """What every email about one post shares (built once per batch)."""
    site = SiteSettings.load()
    with timezone.override(site.tzinfo):
        url = absolute(article.get_absolute_url())
    image = email_image_url(article.featured_image)
    return {"site": site, "article": article, "article_url": url, "image_url": image}


def new_post_message(article, subscriber: Subscriber, shared: dict | None = None):
    """The new-post email, with one-click unsubscribe (RFC 8058)."""
    shared = shared if shared is not None else post_context(article)
    return _list_message("new_post", subscriber, shared)


# Digests --------------------------------------------------------------------


@task
def send_due_digests() -> list[int]:
    """Create the editions whose time has come and queue them. Run every few
    minutes (`manage.py clock`); an edition exists once, however often it runs."""
    settings = MailingSettings.load()
    tz = SiteSettings.load().tzinfo
    now = timezone.now()
    started = []
    for frequency, days in (("daily", 1), ("weekly", 7)):
        at = settings.next_digest_at(frequency, now, tz)
        if now - at > DIGEST_GRACE:
            continue  # too late for this edition; the next one will go on time
        digest, created = Digest.objects.get_or_create(
            frequency=frequency,
            edition=at.date(),
            defaults={"period_start": at - dt.timedelta(days=days), "period_end": at},
        )
        if created:

            def fan_out(pk: int = digest.pk) -> None:
                fan_out_digest.enqueue(pk)

            transaction.on_commit(fan_out)
            started.append(digest.pk)
    return started


@task
def fan_out_digest(digest_id: int) -> int:
    digest = Digest.objects.get(pk=digest_id)
    audience = Subscriber.objects.wanting(digest.frequency)
    return _queue_all(
        audience, DigestDelivery, "digest_id", digest_id, send_digest_batch
    )


@task
def send_digest_batch(digest_id: int, subscriber_ids: list[int]) -> int:
    digest = Digest.objects.get(pk=digest_id)
    posts = digest_posts(digest)
    records = DigestDelivery.objects.queued().filter(
        digest_id=digest_id, subscriber_id__in=subscriber_ids
    )
    choices = _section_choices(subscriber_ids)
    site = SiteSettings.load()

    def build(record: DigestDelivery):
        wanted = choices.get(record.subscriber_id)
        mine = [p for p in posts if not wanted or p.section_ids & wanted]
        if not mine:
            return None  # nothing new in their sections: skipped, not sent
        context = {"site": site, "site_url": absolute("/"), "digest": digest,
                   "posts": mine[:DIGEST_MAX_POSTS],
                   "more": max(0, len(mine) - DIGEST_MAX_POSTS)}  # fmt: skip
        return _list_message("digest", record.subscriber, context)

    sent = _send_all(records, build)
    _retry_later(records, send_digest_batch, digest_id)
    return sent


def digest_posts(digest: Digest) -> list[DigestPost]:
    """The edition's posts, newest first, each with `url`, `image_url` and the
    ids of its section and the sections above it (`section_ids`)."""
    posts = cast(
        "list[DigestPost]",
        list(
            Article.objects.published()
            .filter(
                published_at__gte=digest.period_start,
                published_at__lt=digest.period_end,
            )
            .for_listing()
            .newest_first()
        ),
    )
    parents = Category.parents()
    tz = SiteSettings.load().tzinfo
    for post in posts:
        with timezone.override(tz):
            post.url = absolute(post.get_absolute_url())
        post.image_url = email_image_url(post.featured_image)
        post.image_alt = post.featured_image.alt if post.featured_image else ""
        post.section_ids = set(Category.ancestor_ids(post.category_id, parents))
    return posts


# Shared machinery -----------------------------------------------------------


def _list_message(name: str, subscriber: Subscriber, context: dict):
    """A list email: preferences link, unsubscribe link and RFC 8058 headers."""
    token = subscriber.unsubscribe_token()
    one_click = absolute(reverse("subscriptions:one_click", args=[token]))
    context = context | {
        "unsubscribe_url": absolute(reverse("subscriptions:unsubscribe", args=[token])),
        "preferences_url": absolute(
            reverse("subscriptions:preferences", args=[subscriber.preferences_token()])
        ),
    }
    headers = {
        "List-Unsubscribe": f"<{one_click}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return make_message(name, [subscriber.email], context, headers=headers)


def _send_all(records, build: Callable) -> int:
    """Claim, build, send and record each record over one SMTP session."""
    sent = 0
    connection = mailers.default
    with contextlib.suppress(OSError):
        connection.open()  # if it fails, each send retries and records why
    try:
        for record in records.select_related("subscriber"):
            sent += _deliver(record, build, connection)
    finally:
        with contextlib.suppress(OSError):
            connection.close()
    return sent


def _deliver(record: SendRecord, build: Callable, connection) -> int:
    """Claim, send and record one email; 1 if it was sent."""
    model = type(record)
    claimed = model.objects.filter(pk=record.pk, status=SendStatus.QUEUED).update(
        status=SendStatus.SENDING,
        attempts=record.attempts + 1,
        changed_at=timezone.now(),
    )
    if not claimed:
        return 0  # another worker has it
    mine = model.objects.filter(pk=record.pk)
    message = (
        build(record)
        if record.subscriber.status == Subscriber.Status.CONFIRMED
        else None
    )
    if message is None:
        mine.update(status=SendStatus.SKIPPED)
        return 0
    pace()
    try:
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as refused:
        if not _permanent(refused):
            return _failed(mine, record, refused, connection)
        record.subscriber.bounce()
        mine.update(status=SendStatus.FAILED, error=_describe(refused))
        return 0
    except OSError as error:  # SMTP refused or unreachable: retry later
        return _failed(mine, record, error, connection)
    mine.update(status=SendStatus.SENT, sent_at=timezone.now())
    return 1


def _failed(mine, record: SendRecord, error: Exception, connection) -> int:
    last = record.attempts + 1 >= MAX_ATTEMPTS
    status = SendStatus.FAILED if last else SendStatus.QUEUED
    mine.update(status=status, error=_describe(error), changed_at=timezone.now())
    with contextlib.suppress(OSError):
        connection.close()  # the next message starts a fresh session
    return 0


def _permanent(refused: smtplib.SMTPRecipientsRefused) -> bool:
    """A 5xx answer for every recipient: the address does not exist."""
    return all(code >= 500 for code, _text in refused.recipients.values())


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, answer = next(iter(error.recipients.values()))
        text = answer.decode(errors="replace") if isinstance(answer, bytes) else answer
        return f"{code} {text}"[:300]
    return str(error)[:300]


def _retry_later(records, sending_task, owner_id: int) -> None:
    """Records put back in the queue after an error get another go later:
    MAIL_RETRY_SECONDS (5 minutes) after the first failure, three times that
    after the second (back-off)."""
    left = list(records.values_list("subscriber_id", "attempts"))
    if left and sending_task.get_backend().supports_defer:
        tries = max(attempts for _s, attempts in left)
        later = timezone.now() + retry_after() * 3 ** max(0, tries - 1)
        ids = [subscriber_id for subscriber_id, _a in left]
        sending_task.using(run_after=later).enqueue(owner_id, ids)


@task
def resume_sending() -> int:
    """The safety net for a worker that died (killed, out of memory, machine
    lost) with a batch in hand: queued emails nobody has touched for a while
    get a sending task again, and an email caught mid-send is marked failed
    with a note, since nobody can know whether the SMTP server took it."""
    stale = timezone.now() - STALE_AFTER
    resumed = 0
    for model, sending_task, owner in (
        (Delivery, send_batch, "article_id"),
        (DigestDelivery, send_digest_batch, "digest_id"),
    ):
        model.objects.filter(status=SendStatus.SENDING, changed_at__lt=stale).update(
            status=SendStatus.FAILED, error=INTERRUPTED
        )
        rows = (
            model.objects.queued()
            .filter(changed_at__lt=stale)
            .order_by(owner, "subscriber_id")
            .values_list(owner, "subscriber_id")
        )
        groups: dict[int, list[int]] = {}
        for owner_id, subscriber_id in rows.iterator(chunk_size=2000):
            groups.setdefault(owner_id, []).append(subscriber_id)
        for owner_id, ids in groups.items():
            model.objects.queued().filter(
                **{owner: owner_id}, subscriber_id__in=ids
            ).update(changed_at=timezone.now())
            for start in range(0, len(ids), BATCH):
                sending_task.enqueue(owner_id, ids[start : start + BATCH])
            resumed += len(ids)
    return resumed


def _queue_all(audience, model, owner: str, owner_id: int, sending_task) -> int:
    """A send record per subscriber in `audience` (streamed in batches so memory
    stays flat, skipping any that exist), then one sending task per batch."""
    queued = 0
    for batch in _batches(audience.order_by("pk").values_list("pk", flat=True)):
        model.objects.bulk_create(
            [model(**{owner: owner_id}, subscriber_id=s) for s in batch],
            ignore_conflicts=True,
        )
        sending_task.enqueue(owner_id, batch)
        queued += len(batch)
    return queued


def _batches(ids) -> Iterable[list[int]]:
    """Ids from a values_list queryset, streamed, in lists of BATCH."""
    batch: list[int] = []
    for pk in ids.iterator(chunk_size=2000):
        batch.append(pk)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _section_choices(subscriber_ids: list[int]) -> dict[int, set[int]]:
    """Each subscriber's chosen sections (absent: every section)."""
    choices: dict[int, set[int]] = {}
    rows = Subscriber.categories.through.objects.filter(
        subscriber_id__in=subscriber_ids
    ).values_list("subscriber_id", "category_id")
    for subscriber_id, category_id in rows:
        choices.setdefault(subscriber_id, set()).add(category_id)
    return choices
