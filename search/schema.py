"""Search's own database objects (FTS5 table and triggers on SQLite; the
vector column, trigger, vocabulary and query function on PostgreSQL): their
current definitions are `search/sql/<vendor>.sql`, read from here by the
migrations that apply them.

A migration that applies a file records the file's SHA-256; a test checks
that the newest one matches the file, so an edit without a migration (which
existing databases would never see) fails the suite.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

SQL_DIR = Path(__file__).resolve().parent / "sql"
VENDORS = ("postgresql", "sqlite")


def path(vendor: str) -> Path:
    return SQL_DIR / f"{vendor}.sql"


def checksum(vendor: str) -> str:
    return hashlib.sha256(path(vendor).read_bytes()).hexdigest()


def statements(vendor: str) -> list[str]:
    """The file's statements, one string each (a statement ends with `;` at the
    end of a line, outside a $$ body on PostgreSQL and a trigger on SQLite)."""
    found: list[str] = []
    lines: list[str] = []
    for line in path(vendor).read_text().splitlines():
        if not lines and (not line.strip() or line.lstrip().startswith("--")):
            continue
        lines.append(line)
        text = "\n".join(lines)
        if not line.rstrip().endswith(";"):
            continue
        if vendor == "sqlite":
            complete = sqlite3.complete_statement(text)
        else:
            complete = text.count("$$") % 2 == 0
        if complete:
            found.append(text.rstrip().removesuffix(";"))
            lines = []
    if lines:
        raise ValueError(f"{path(vendor)}: the last statement has no ';'")
    return found


def apply(apps: Any, schema_editor: Any) -> None:
    """RunPython function: run the file of the database's vendor."""
    vendor = schema_editor.connection.vendor
    if vendor in VENDORS:
        for sql in statements(vendor):
            schema_editor.execute(sql, params=None)


def applying(**checksums: str) -> Callable[[Any, Any], None]:
    """The RunPython function of a migration that applies the files as they
    were when it was written (`checksums` by vendor, for the test)."""

    def run(apps: Any, schema_editor: Any) -> None:
        apply(apps, schema_editor)

    run.checksums = checksums  # type: ignore[attr-defined]
    return run
