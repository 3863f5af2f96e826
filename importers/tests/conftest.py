from __future__ import annotations

from pathlib import Path

import pytest

from importers import services

FIXTURES = Path(__file__).parent / "fixtures"
UPLOADS = FIXTURES / "uploads"


def fixture_path(name: str) -> Path:
    return FIXTURES / name


def run_import(source: str | bytes | Path, **options) -> services.Report:
    """Import a fixture name, a Path or raw bytes; returns the report."""
    import io

    if isinstance(source, bytes):
        return services.import_wxr(io.BytesIO(source), **options)
    path = source if isinstance(source, Path) else FIXTURES / source
    with path.open("rb") as stream:
        return services.import_wxr(stream, **options)


@pytest.fixture
def harbour(db, site_settings, django_capture_on_commit_callbacks):
    """The classic WXR 1.1 fixture, imported with its media."""
    with django_capture_on_commit_callbacks(execute=True):
        return run_import("classic-1.1.xml", media_dir=UPLOADS)
