"""For the search migrations that only PostgreSQL needs (the leading underscore
keeps Django's migration loader away from this module)."""


def on_postgres(statements: list[str]):
    """A RunPython function running these statements on PostgreSQL only."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run
