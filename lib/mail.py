"""One place that builds the site's email messages from templates."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from lib import ratelimit


def make_message(
    name: str,
    to: list[str],
    context: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """Build emails/<name>-subject.txt, -body.txt and -body.html into a message."""
    subject: str = render_to_string(f"emails/{name}-subject.txt", context)
    subject = " ".join(subject.split())  # one line: no header injection
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, to, headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    return message


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def pace() -> None:
    """Wait, if need be, to keep to MAIL_MAX_PER_SECOND across all workers (the
    shared per-window counter of lib.ratelimit: exact with Redis, close with the
    file cache). 0 means no limit."""
    rate = settings.MAIL_MAX_PER_SECOND
    while rate and not ratelimit.allow("mail-send", "all", limit=rate, window=1):
        time.sleep(max(0.0, int(time.time()) + 1 - time.time()))
