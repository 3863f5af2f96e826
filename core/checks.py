"""Checks of the production settings that Django's own do not make."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_ssl_redirect_behind_proxy(**kwargs: Any) -> list[CheckMessage]:
    """The site serves plain http only (uvicorn): https is a proxy's. Without
    its X-Forwarded-Proto trusted, every request would look like http and be
    redirected to https, again and again."""
    if settings.SECURE_SSL_REDIRECT and not settings.SECURE_PROXY_SSL_HEADER:
        return [
            Warning(
                "SECURE_SSL_REDIRECT is on but the TLS proxy's X-Forwarded-Proto "
                "is not trusted: every request would be redirected in a loop.",
                hint="Set BEHIND_TLS_PROXY=true (the proxy must set the header).",
                id="core.W001",
            )
        ]
    return []
