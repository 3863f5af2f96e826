"""Django's PostgreSQL backend, with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django asks a kept connection whether it still works
before a request's first query, by running `SELECT 1` on it: one round trip to
the server per request, about 2% of the web process's time on a page made from
stored fragments, and as much again for PostgreSQL (py-spy --gil and /proc,
the benchmark of docs/benchmarks.md).

A connection at rest has nothing to read. When the server ends it (a restart,
a fast shutdown, pg_terminate_backend, a crash), the server's last message or
the end of the stream makes the socket readable. So the check first looks,
without waiting, whether the socket has something to read: nothing means the
connection is as it was left, and it is used; something means it is asked
with Django's own check (`SELECT 1`), and closed if that fails. A connection
that dies in the instant between this look and the query fails as it did
between Django's `SELECT 1` and the query.

Subclassing a built-in backend is documented ("Subclassing the built-in
database backends"); `close_if_health_check_failed` and `is_usable` are the
backend's own methods, not documented: core/tests/test_failures.py and
lib/tests/test_postgresql.py pin them (a restart of PostgreSQL under a running
site; a connection ended by the server).
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    # django-stubs does not know the health check's attributes.
    health_check_enabled: bool
    health_check_done: bool

    def close_if_health_check_failed(self) -> None:
        connection = self.connection
        if (
            connection is None
            or not self.health_check_enabled
            or self.health_check_done
            or self.pool
            or connection.closed
            or connection.broken
            or _has_news(connection)
        ):
            super().close_if_health_check_failed()
            return
        self.health_check_done = True


def _has_news(connection: psycopg.Connection[Any]) -> bool:
    """Whether the server sent anything on a connection nobody is using."""
    try:
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True
    return bool(readable)
