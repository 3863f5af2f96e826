"""Typed helpers that read settings from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


def env_str(name: str, default: str = "") -> str:
    """Return NAME, or the contents of the file named by NAME_FILE, or default."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name, "").strip()
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = env_str(name, "").strip()
    return float(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name, "")
    if not value.strip():
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def persistent_secret(path: Path) -> str:
    """Read a secret kept in PATH, creating it once for the embedded mode."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


SMTP = "django.core.mail.backends.smtp.EmailBackend"
# scheme: (default port, STARTTLS, TLS from the start)
SMTP_SCHEMES = {
    "smtp": (25, False, False),
    "smtp+tls": (587, True, False),
    "submission": (587, True, False),
    "smtps": (465, False, True),
}


def mailer_from_env(outbox: Path) -> dict[str, Any]:
    """The default mailer: EMAIL_URL, else EMAIL_HOST and friends, else an
    outbox folder of .eml files (nothing leaves the machine)."""
    url = env_str("EMAIL_URL").strip()
    if url:
        return mailer_from_url(url)
    host = env_str("EMAIL_HOST").strip()
    if not host:
        return {"BACKEND": "lib.outbox.OutboxBackend", "OPTIONS": {"path": outbox}}
    options = {
        "host": host,
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER") or None,
        "password": env_str("EMAIL_HOST_PASSWORD") or None,
        "use_tls": env_bool("EMAIL_USE_TLS"),
        "use_ssl": env_bool("EMAIL_USE_SSL"),
        "timeout": env_int("EMAIL_TIMEOUT", 30),
    }
    return {"BACKEND": SMTP, "OPTIONS": options}


def mailer_from_url(url: str) -> dict[str, Any]:
    """smtp://user:password@host:25, smtp+tls://...:587 (STARTTLS),
    smtps://...:465 (TLS), file:///path/to/outbox, console:"""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return {"BACKEND": "lib.outbox.OutboxBackend", "OPTIONS": {"path": parts.path}}
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise ValueError(
            f"EMAIL_URL: expected smtp://, smtp+tls://, smtps://, file:// or "
            f"console:, got {parts.scheme or url!r}"
        )
    port, use_tls, use_ssl = SMTP_SCHEMES[parts.scheme]
    query = parse_qs(parts.query)
    options = {
        "host": parts.hostname,
        "port": parts.port or port,
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "use_tls": use_tls,
        "use_ssl": use_ssl,
        "timeout": int(query.get("timeout", ["30"])[0]),
    }
    return {"BACKEND": SMTP, "OPTIONS": options}
