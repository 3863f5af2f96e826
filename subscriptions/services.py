"""Sign-up with double opt-in."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Category
from subscriptions.models import MailingSettings, Subscriber
from subscriptions.tasks import send_confirmation, send_confirmations

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


# Moving a list in and out (Jetpack, Mailchimp, Substack, ...) ----------------

EMAIL_HEADERS = {"email", "email address", "e-mail", "e-mail address", "mail",
                 "subscriber", "subscriber email", "user_email"}  # fmt: skip
MAX_IMPORT_ROWS = 500_000
CSV_COLUMNS = ["email", "status", "frequency", "sections", "source", "signed_up",
               "confirmed", "unsubscribed"]  # fmt: skip


class ImportRefused(ValueError):
    """The file cannot be imported at all; the message says where and why."""


@dataclass
class ImportReport:
    added: int = 0
    confirmed: int = 0  # pending addresses whose consent the import carried
    kept: int = 0  # already on the list, left as they were
    to_confirm: int = 0  # confirmation emails queued
    skipped: list[tuple[int, str, str]] = field(default_factory=list)


def import_csv(*, data: bytes, consent: bool) -> ImportReport:
    """Add the addresses in a CSV export to the list, in one transaction.

    With `consent`, new addresses are confirmed at once (they opted in with the
    old provider); without it, each is sent a confirmation email. Addresses
    that unsubscribed or bounced here are never re-subscribed by an import."""
    rows = _read_rows(data)
    report = ImportReport()
    wanted: dict[str, int] = {}
    checker = MailingSettings.load()
    validate = EmailValidator()
    for line, email in rows:
        email = email.strip().lower()
        reason = _refusal(email, validate, checker, wanted)
        if reason:
            report.skipped.append((line, email[:80], reason))
        else:
            wanted[email] = line
    with transaction.atomic():
        existing = _existing(list(wanted))
        new = [e for e in wanted if e not in existing]
        status = Subscriber.Status.CONFIRMED if consent else Subscriber.Status.PENDING
        now = timezone.now()
        Subscriber.objects.bulk_create(
            [Subscriber(email=e, status=status, source=Subscriber.Source.IMPORT,
                        confirmed_at=now if consent else None) for e in new],
            batch_size=1000,
        )  # fmt: skip
        report.added = len(new)
        pending = [e for e, s in existing.items() if s == Subscriber.Status.PENDING]
        if consent and pending:
            for start in range(0, len(pending), 1000):
                Subscriber.objects.filter(
                    email__in=pending[start : start + 1000]
                ).update(status=Subscriber.Status.CONFIRMED, confirmed_at=now)
            report.confirmed = len(pending)
        report.kept = len(existing) - report.confirmed
        if not consent:
            _queue_confirmations(new)
            report.to_confirm = len(new)
    return report


def _read_rows(data: bytes) -> list[tuple[int, str]]:
    """(line number, address) for each row; the address column is found by
    its header, or is the first column of a file without one."""
    if b"\x00" in data[:65536]:
        raise ImportRefused("This is not a CSV file (it contains binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            f"Line {line}: the file is not UTF-8 text. Save it as CSV UTF-8 "
            "and try again."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, str]] = []
    column = None
    try:
        for cells in reader:
            if not cells or not any(c.strip() for c in cells):
                continue
            if column is None:
                column = _email_column(cells, reader.line_num)
                if column >= 0:
                    continue  # that was the header
                column = 0
            if len(rows) >= MAX_IMPORT_ROWS:
                raise ImportRefused(
                    f"Line {reader.line_num}: more than {MAX_IMPORT_ROWS:,} "
                    "addresses; split the file."
                )
            cell = cells[column] if column < len(cells) else ""
            rows.append((reader.line_num, cell))
    except csv.Error as error:
        raise ImportRefused(f"Line {reader.line_num}: {error}.") from None
    if column is None:
        raise ImportRefused("The file is empty.")
    return rows


def _email_column(cells: list[str], line: int) -> int:
    """The header's address column, or -1 if the first row is data already."""
    names = [c.strip().strip('"').lower() for c in cells]
    for index, name in enumerate(names):
        if name in EMAIL_HEADERS:
            return index
    if "@" in cells[0]:
        return -1
    raise ImportRefused(
        f"Line {line}: expected a column named 'email' (or 'Email Address'), "
        f"found {', '.join(repr(n) for n in names[:8])}."
    )


def _refusal(email: str, validate, checker, wanted: dict[str, int]) -> str:
    if not email:
        return "no address"
    if len(email) > 254 or any(c in email for c in "\r\n\t "):
        return "not a valid address"
    try:
        validate(email)
    except ValidationError:
        return "not a valid address"
    if checker.is_blocked(email):
        return "blocked domain"
    if email in wanted:
        return f"repeated (first on line {wanted[email]})"
    return ""


def _existing(emails: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(emails), 1000):
        found.update(
            Subscriber.objects.filter(email__in=emails[start : start + 1000])
            .values_list("email", "status")
        )  # fmt: skip
    return found


def _queue_confirmations(emails: list[str]) -> None:
    """One task per 200 new addresses, queued once the import is saved."""
    for start in range(0, len(emails), 200):
        ids = list(
            Subscriber.objects.filter(email__in=emails[start : start + 200])
            .values_list("pk", flat=True)
        )  # fmt: skip

        def confirm(batch: list[int] = ids) -> None:
            send_confirmations.enqueue(batch)

        transaction.on_commit(confirm)


def export_rows(queryset) -> Iterator[list[str]]:
    """The list as CSV rows (header first), streamed in chunks."""
    yield CSV_COLUMNS
    slugs = dict(Category.objects.values_list("pk", "slug"))
    chosen = Subscriber.categories.through.objects
    for chunk in _chunks(queryset.order_by("pk"), 2000):
        sections: dict[int, list[str]] = {}
        for sid, cid in chosen.filter(
            subscriber_id__in=[s.pk for s in chunk]
        ).values_list("subscriber_id", "category_id"):
            sections.setdefault(sid, []).append(slugs.get(cid, ""))
        for s in chunk:
            yield [_cell(s.email), s.status, s.frequency,
                   " ".join(sorted(sections.get(s.pk, []))), s.source,
                   _when(s.created_at), _when(s.confirmed_at),
                   _when(s.unsubscribed_at)]  # fmt: skip


def _chunks(queryset, size: int) -> Iterator[list[Subscriber]]:
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: defuse them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _when(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""
