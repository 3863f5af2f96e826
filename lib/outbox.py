"""A mail backend for the embedded mode: each message becomes one `.eml` file
in a folder (var/outbox), which any mail program or text editor opens."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_sequence = itertools.count()
_lock = threading.Lock()


class OutboxBackend(BaseEmailBackend):
    def __init__(self, *, path: str | Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = Path(path)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            target = self.path / self._name(message.subject)
            # Written aside, then renamed: a full disk leaves no half message
            # (the error reaches the sender, who tries again later).
            partial = target.with_name(f".{target.name}.partial")
            try:
                partial.write_bytes(message.message().as_bytes())
                partial.replace(target)
            except OSError:
                partial.unlink(missing_ok=True)
                raise
        return len(email_messages)

    @staticmethod
    def _name(subject: StrOrPromise) -> str:
        with _lock:
            number = next(_sequence)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        slug = re.sub(r"[^a-z0-9]+", "-", subject.lower()).strip("-")[:60]
        return f"{stamp}-{number:06d}-{slug or 'message'}.eml"
