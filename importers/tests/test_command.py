from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from importers.tests.conftest import UPLOADS, fixture_path


def test_import_wxr_prints_progress_and_the_report(db, site_settings):
    out = io.StringIO()
    call_command(
        "import_wxr", str(fixture_path("classic-1.1.xml")),
        "--media-dir", str(UPLOADS), stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "100%" in text
    assert "posts: publish: 4" in text
    assert "Media files not found (1)" in text
    assert Article.objects.count() == 8


def test_dry_run_changes_nothing(db, site_settings):
    out = io.StringIO()
    call_command(
        "import_wxr", str(fixture_path("classic-1.1.xml")), "--dry-run", stdout=out
    )
    assert "DRY RUN" in out.getvalue()
    assert Article.objects.count() == 0


def test_a_broken_file_gives_a_clear_error_and_nothing(db, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(fixture_path("classic-1.1.xml").read_bytes()[:3000])
    with pytest.raises(CommandError) as caught:
        call_command("import_wxr", str(broken), stdout=io.StringIO())
    message = str(caught.value)
    assert "broken.xml: line" in message and "Nothing was imported" in message
    assert Article.objects.count() == 0


def test_missing_file_and_folder_are_named(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_wxr", str(tmp_path / "nope.xml"))
    with pytest.raises(CommandError, match="No such folder"):
        call_command(
            "import_wxr", str(fixture_path("classic-1.1.xml")),
            "--media-dir", str(tmp_path / "nope"),
        )  # fmt: skip
