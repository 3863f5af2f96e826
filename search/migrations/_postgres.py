"""For the search migrations that only PostgreSQL needs (the leading underscore
keeps Django's migration loader away from this module)."""

from importlib import import_module


def on_postgres(statements: list[str]):
    """A RunPython function running these statements on PostgreSQL only."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


def earlier(migration: str, name: str) -> str:
    """SQL defined by an earlier search migration (to put back on reversal),
    read from that migration rather than copied."""
    return getattr(import_module(f"search.migrations.{migration}"), name)
