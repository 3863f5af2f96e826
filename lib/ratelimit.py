"""Per-address limits kept in the cache (Redis in production).

With Redis down the cache answers None (IGNORE_EXCEPTIONS, newshub/settings.py):
nothing can be counted, so nothing is refused for its count. Comments still
pass their other checks (form time, honeypot, duplicates, moderation), and
sign-in lockouts are kept in the database (accounts), not here."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The reader's address. Behind N trusted proxies, the Nth address from the
    right of X-Forwarded-For; otherwise the socket's peer."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    peer: str = request.META.get("REMOTE_ADDR", "")
    return peer


def _key(scope: str, who: str, window: int) -> str:
    digest = hashlib.sha256(who.encode()).hexdigest()[:24]
    return f"rl:{scope}:{digest}:{int(time.time() // window)}"


def allow(scope: str, who: str, *, limit: int, window: int) -> bool:
    """Count one event for `who`; False once more than `limit` in the window."""
    if limit <= 0:
        return True
    key = _key(scope, who, window)
    added = cache.add(key, 1, window + 1)
    if added or added is None:  # None: the cache is down (not counted)
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window + 1)
        return True
    return count is None or count <= limit


def first_within(scope: str, who: str, seconds: int) -> bool:
    """True if this is the first event of `who` in the last `seconds`."""
    if seconds <= 0:
        return True
    digest = hashlib.sha256(who.encode()).hexdigest()[:24]
    # None: the cache is down, nothing is counted (see `allow`).
    return cache.add(f"rl:{scope}:{digest}", 1, seconds) is not False
