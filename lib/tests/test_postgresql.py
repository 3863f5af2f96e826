"""lib/postgresql: a kept connection is checked before a request uses it
without a round trip, and a connection the server ended is replaced before
the request's first query fails on it."""

from __future__ import annotations

import os
import select

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs PostgreSQL (the make test-postgres tier)",
)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _next_request() -> None:
    """What Django does at the start of a request on a kept connection
    (close_if_unusable_or_obsolete, which may also close it for its age or
    an earlier test's error: here the connection must be the kept one): the
    health check is to be done again before the first query."""
    connection.health_check_done = False  # type: ignore[attr-defined]  # not in the stubs


def _terminate(pid: int) -> None:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_the_backend_is_in_use():
    assert connection.settings_dict["ENGINE"] == "lib.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_kept_connection_serves_the_next_request_without_a_check_statement(
    transactional_db, monkeypatch
):
    pid = _backend_pid()
    _next_request()
    statements = []
    raw = type(connection.connection)
    original = raw.cursor

    def counted(self, *args, **kwargs):
        statements.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(raw, "cursor", counted)
    assert _backend_pid() == pid
    # One cursor: the request's own query; no `SELECT 1` before it.
    assert len(statements) == 1


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(
    transactional_db,
):
    pid = _backend_pid()
    _terminate(pid)
    # The server ends the backend a moment after pg_terminate_backend returns.
    select.select([connection.connection.fileno()], [], [], 5)
    _next_request()
    # Without a check, this query would fail ("terminating connection due to
    # administrator command") and the reader would get an error page.
    new_pid = _backend_pid()
    assert new_pid != pid
