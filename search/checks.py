"""System checks for what the search engines need of the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


def binding_errors(databases: Mapping[str, Mapping[str, Any]]) -> list[CheckMessage]:
    """PostgreSQL search sends a statement with its SET LOCALs as one message
    (search/backends/postgres.py, `_local`): that needs psycopg's client-side
    binding, Django's default. Server-side binding refuses several statements
    in one message, so every search would fail."""
    errors: list[CheckMessage] = []
    for alias, database in databases.items():
        if not database.get("ENGINE", "").endswith("postgresql"):
            continue
        if database.get("OPTIONS", {}).get("server_side_binding"):
            errors.append(
                Error(
                    f"DATABASES[{alias!r}] sets OPTIONS['server_side_binding']: "
                    "search on PostgreSQL needs client-side binding.",
                    hint="Remove server_side_binding from the database OPTIONS.",
                    id="search.E001",
                )
            )
    return errors


@register()
def client_side_binding(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Reads the settings only (no connection): `manage.py check` and every
    start of the site run it."""
    return binding_errors(settings.DATABASES)
