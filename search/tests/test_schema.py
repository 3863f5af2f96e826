"""Search's SQL lives in search/sql/; the database has what the files say, and
the system check refuses a setting that would break PostgreSQL search."""

from __future__ import annotations

import re

import pytest
from django.core import checks
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from search import schema
from search.checks import binding_errors, client_side_binding


def _applied_checksums() -> dict[str, str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found: dict[str, str] = {}
    (leaf,) = loader.graph.leaf_nodes("search")
    for key in loader.graph.forwards_plan(leaf):
        if key[0] != "search":
            continue
        for operation in loader.get_migration(*key).operations:
            code = getattr(operation, "code", None)
            found.update(getattr(code, "checksums", {}))
    return found


def test_every_schema_file_is_what_the_newest_migration_applied():
    applied = _applied_checksums()
    for vendor in schema.VENDORS:
        assert applied.get(vendor) == schema.checksum(vendor), (
            f"search/sql/{vendor}.sql changed without a migration: existing "
            "databases would never get it. Add a migration with "
            f"RunPython(search.schema.applying({vendor}='{schema.checksum(vendor)}'"
            ", ...))."
        )


def _normalised(sql: str) -> str:
    return " ".join(sql.replace("(", " ( ").replace(")", " ) ").split()).lower()


@pytest.mark.django_db
def test_the_database_holds_the_objects_the_file_defines():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE name LIKE 'search_fts%'"
            )
            stored = dict(cursor.fetchall())
        wanted = [s for s in schema.statements("sqlite") if s.startswith("CREATE")]
        assert len(wanted) == 4
        for statement in wanted:
            name = re.search(r"(search_fts\w*)", statement)[1]
            stored_sql = _normalised(stored[name]).replace("if not exists ", "")
            assert stored_sql == _normalised(statement).replace("if not exists ", "")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT proname, prosrc FROM pg_proc WHERE proname IN "
                "('search_document_vector', 'search_document_to_article', "
                "'search_query_words')"
            )
            bodies = {name: _normalised(src) for name, src in cursor.fetchall()}
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = "
                "'search_searchdocument'::regclass AND NOT tgisinternal"
            )
            triggers = [row[0] for row in cursor.fetchall()]
        assert triggers == ["search_document_to_article"]
        functions = [
            s
            for s in schema.statements("postgresql")
            if "CREATE OR REPLACE FUNCTION" in s
        ]
        assert len(functions) == len(bodies) == 3
        for statement in functions:
            name = statement.split("FUNCTION ", 1)[1].split("(", 1)[0]
            body = statement.split("$$", 2)[1]
            assert bodies[name] == _normalised(body)


def test_server_side_binding_on_postgresql_is_refused_by_a_system_check(settings):
    default = settings.DATABASES["default"]
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "news"}
    bound = {**postgres, "OPTIONS": {"server_side_binding": True}}
    errors = binding_errors({"default": default, "replica": bound})
    assert [e.id for e in errors] == ["search.E001"]
    assert "DATABASES['replica']" in errors[0].msg
    assert binding_errors({"default": default, "replica": postgres}) == []
    # Registered: `manage.py check` runs it on the real settings.
    assert client_side_binding in checks.registry.registry.get_checks()
    assert client_side_binding() == []
