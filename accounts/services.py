"""Login throttling, sessions, the audit log and two-factor devices."""

from __future__ import annotations

import datetime as dt
import hashlib
from contextvars import ContextVar
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry, LoginThrottle, UserSession
from lib.ratelimit import client_ip

Action = AuditEntry.Action

#: The request being answered in this thread (set by the accounts middleware),
#: so that model signals can name who did what, and from where.
current_request: ContextVar[HttpRequest | None] = ContextVar(
    "accounts_request", default=None
)


# -- The audit log --------------------------------------------------------------


def _actor(request: HttpRequest | None) -> Any:
    user = getattr(request, "user", None) if request is not None else None
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    return user


def audit(
    action: str,
    *,
    obj: models.Model | None = None,
    details: dict[str, Any] | None = None,
    actor: Any = None,
    actor_name: str = "",
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Write one entry; who and where come from the current request unless
    given (a management command or a task has none)."""
    request = request or current_request.get()
    actor = actor or _actor(request)
    name = actor_name or (actor.get_username() if actor is not None else "")
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_name=name[:150],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk)[:64] if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        details=details or {},
        address=address_of(request) if request is not None else "",
    )


def address_of(request: HttpRequest) -> str:
    return client_ip(request)[:64]


# -- Login throttling -------------------------------------------------------------


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def normalise_username(username: object) -> str:
    return str(username or "").strip().lower()[:150]


def _keys(username: str, address: str) -> list[tuple[str, str, int]]:
    """(scope, key, failure limit) of each counter a sign-in counts against."""
    return [
        (
            LoginThrottle.Scope.PAIR,
            _digest(username, address),
            settings.LOGIN_FAILURE_LIMIT,
        ),
        (
            LoginThrottle.Scope.ADDRESS,
            _digest(address),
            settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        ),
    ]


def cool_off(lockouts: int) -> dt.timedelta:
    """The lockout after `lockouts` in a row: the base, doubled each time, capped."""
    seconds = settings.LOGIN_COOLOFF_SECONDS * 2 ** min(max(lockouts - 1, 0), 20)
    return dt.timedelta(seconds=min(seconds, settings.LOGIN_COOLOFF_MAX_SECONDS))


def locked_until(username: object, address: str) -> dt.datetime | None:
    """When sign-ins of `username` from `address` are allowed again, if locked."""
    name = normalise_username(username)
    keys = [(scope, key) for scope, key, _limit in _keys(name, address)]
    query = models.Q()
    for scope, key in keys:
        query |= models.Q(scope=scope, key=key)
    until: dt.datetime | None = (
        LoginThrottle.objects.filter(query, locked_until__gt=timezone.now())
        .aggregate(until=models.Max("locked_until"))
        .get("until")
    )
    return until


def record_failure(username: object, address: str) -> dt.datetime | None:
    """Count a failed sign-in; return the end of the lockout it started, if any."""
    name = normalise_username(username)
    now = timezone.now()
    window = dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    forget = dt.timedelta(seconds=settings.LOGIN_COOLOFF_MAX_SECONDS)
    started: dt.datetime | None = None
    with transaction.atomic():
        for scope, key, limit in _keys(name, address):
            row, _created = LoginThrottle.objects.select_for_update().get_or_create(
                scope=scope,
                key=key,
                defaults={
                    "username": name if scope == LoginThrottle.Scope.PAIR else "",
                    "address": address,
                },
            )
            last = row.last_failure_at
            if last is None or now - last > window:
                row.failures = 0
            if last is None or now - last > forget:
                row.lockouts = 0  # a day without failures: start over
            row.failures += 1
            row.last_failure_at = now
            if row.failures >= limit:
                row.lockouts += 1
                row.failures = 0
                row.locked_until = now + cool_off(row.lockouts)
                started = max(started or row.locked_until, row.locked_until)
            row.save()
    if started is not None:
        audit(
            Action.LOCKOUT,
            actor_name=name,
            details={"until": started.isoformat(), "address": address},
        )
    return started


def record_success(username: object, address: str) -> None:
    """A full sign-in: the pair starts over (the address's counter stays, so
    an attacker's own account cannot wipe it)."""
    name = normalise_username(username)
    LoginThrottle.objects.filter(
        scope=LoginThrottle.Scope.PAIR, key=_digest(name, address)
    ).delete()


def unlock(*, username: str = "", address: str = "") -> int:
    """Lift lockouts of an account (any address), an address, or both."""
    rows = LoginThrottle.objects.all()
    if username:
        rows = rows.filter(username=normalise_username(username))
    if address:
        rows = rows.filter(address=address)
    count, _ = rows.delete()
    return count


# -- Sessions -----------------------------------------------------------------------

#: Session keys: when the account signed in, and the key the session had
#: when it was last recorded (a change means the key was cycled).
LOGIN_AT = "accounts_login_at"
TRACKED_KEY = "accounts_key"
#: Whether the account had two-factor when it signed in: a session without
#: a verified device is then refused (a sign-in that skipped the code). Only
#: enrolment adds a device later, and it verifies its session and ends others.
HAD_TWO_FACTOR = "accounts_2fa"


def track_session(request: HttpRequest, user: AbstractBaseUser) -> None:
    """Record the request's session as one of the account's."""
    session = request.session
    key = session.session_key
    if not key:
        session.save()
        key = session.session_key
    assert key is not None
    old = session.get(TRACKED_KEY)
    if old == key:
        return
    updated = 0
    if old:
        updated = UserSession.objects.filter(session_key=old, user_id=user.pk).update(
            session_key=key
        )
    if not updated:
        UserSession.objects.update_or_create(
            session_key=key,
            defaults={
                "user_id": user.pk,
                "address": address_of(request),
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            },
        )
    session[TRACKED_KEY] = key


def end_sessions(user: AbstractBaseUser, *, keep: str | None = None) -> int:
    """End every session of `user` but `keep`, in whatever store holds them."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = UserSession.objects.filter(user_id=user.pk)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)


# -- Two-factor devices ---------------------------------------------------------------

RECOVERY_CODES = 10


def has_two_factor(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def pending_totp_device(user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator being added: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    return device


def new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the account's recovery codes; each works once."""
    device, _created = StaticDevice.objects.get_or_create(
        user_id=user.pk, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk).count()


def remove_two_factor(user: AbstractBaseUser) -> int:
    """Delete every device of the account (its app and its recovery codes)."""
    removed = TOTPDevice.objects.filter(user_id=user.pk).delete()[0]
    return removed + StaticDevice.objects.filter(user_id=user.pk).delete()[0]


def clean_token(token: str) -> str:
    """A code as people type it: spaces and dashes out, lower case."""
    return "".join(token.split()).replace("-", "").lower()


def verify_token(
    user: AbstractBaseUser, token: str
) -> tuple[TOTPDevice | StaticDevice | None, dt.datetime | None]:
    """The device that accepts `token` (6 digits: the app; else a recovery
    code, used up), or None; and, when nothing accepted it because
    django-otp's per-device throttle (1, 2, 4... seconds after each wrong
    code, whatever the address) held it back, when to try again. Only one
    kind is tried, so a recovery code never counts as a wrong app code."""
    kind: type[TOTPDevice] | type[StaticDevice] = (
        TOTPDevice if token.isdigit() else StaticDevice
    )
    wait: dt.datetime | None = None
    with transaction.atomic():
        devices = kind.objects.select_for_update().filter(
            user_id=user.pk, confirmed=True
        )
        for device in devices:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                wait = (info or {}).get("locked_until")
            elif device.verify_token(token):
                return device, None
    return None, wait
