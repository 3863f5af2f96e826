"""Large exports are read in a second process (WXR_PARALLEL_MIN_MB): the same
site comes out, its errors read the same, and a failure there or an
interruption here keeps nothing."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.core.files import File
from django.core.management import call_command

from articles.models import Article, Author, Category, Tag
from comments.models import Comment
from importers import services, wpcontent, wxr
from importers.models import ImportedItem, OldLink, WordPressSite
from importers.tests import reader_helpers
from importers.tests.conftest import UPLOADS, fixture_path, run_import
from importers.wxr import WXRError


@pytest.fixture
def processes(monkeypatch, settings):
    """Every export goes through a reading process; the processes started."""
    settings.WXR_PARALLEL_MIN_MB = 0
    started: list[subprocess.Popen] = []
    real = subprocess.Popen

    def spy(*args, **kwargs):
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(wxr.subprocess, "Popen", spy)
    return started


def _site() -> list[tuple]:
    """What an import made, by WordPress IDs (database ids left out)."""
    posts = []
    items = ImportedItem.objects.filter(kind="post").select_related("article")
    for item in items.order_by("wp_id"):
        a, extra = item.article, dict(item.extra)
        assert a is not None
        more = Category.objects.filter(pk__in=extra.pop("more_categories"))
        extra["more_categories"] = sorted(more.values_list("slug", flat=True))
        wp_comment = {pk: int(cid) for cid, pk in extra.pop("comments").items()}
        comments = sorted(
            (wp_comment[c.pk], wp_comment.get(c.parent_id), c.depth, c.status,
             c.author_name, c.body_html, c.created_at, c.ip_address)
            for c in Comment.objects.filter(article=a)
        )  # fmt: skip
        posts.append(
            (
                item.wp_id,
                a.headline,
                a.slug,
                a.standfirst,
                a.body,
                a.status,
                a.published_at,
                a.sticky,
                a.comments_open,
                a.author.slug,
                a.category.slug,
                sorted(a.tags.values_list("slug", flat=True)),
                a.comment_count,
                a.featured_image.file.name if a.featured_image else "",
                item.permalink,
                extra,
                comments,
            )
        )
    links = sorted(
        (link.path, link.item.kind, link.item.wp_id)
        for link in OldLink.objects.select_related("item")
    )
    return posts + links


def _forget_everything() -> None:
    WordPressSite.objects.all().delete()
    Article.objects.all().delete()
    Category.objects.update(parent=None)
    for model in (Author, Category, Tag, FlatPage):
        model.objects.all().delete()
    get_user_model().objects.filter(is_staff=False).delete()


@pytest.mark.django_db
def test_a_second_process_imports_the_same_site_as_one(site_settings, processes):
    for name in ("classic-1.1.xml", "blocks-1.2.xml", "real-wordpress-6.1.xml"):
        report = run_import(name, media_dir=UPLOADS)
        there = (_site(), report.counts, report.skipped, report.missing_media)
        _forget_everything()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(services.settings, "WXR_PARALLEL_MIN_MB", -1)
            started = len(processes)
            report = run_import(name, media_dir=UPLOADS)
            assert len(processes) == started  # this time in one process
        here = (_site(), report.counts, report.skipped, report.missing_media)
        assert there == here
        _forget_everything()
    assert len(processes) == 3
    assert all(p.returncode == 0 for p in processes)


@pytest.mark.django_db
def test_small_exports_stay_in_one_process(site_settings, settings, processes):
    settings.WXR_PARALLEL_MIN_MB = 8
    run_import("classic-1.1.xml")
    run_import(fixture_path("classic-1.1.xml").read_bytes())  # not a file
    assert processes == []
    assert Article.objects.count() == 8


def _refused(path, **options) -> WXRError:
    with pytest.raises(WXRError) as caught:
        run_import(path, **options)
    assert Article.objects.count() == 0
    assert ImportedItem.objects.count() == 0
    assert WordPressSite.objects.count() == 0
    return caught.value


@pytest.mark.django_db(transaction=True)
def test_its_errors_read_as_in_one_process_and_keep_nothing(
    site_settings, settings, processes, monkeypatch, tmp_path
):
    monkeypatch.setattr(services, "BATCH", 1)  # posts are written before the end
    data = fixture_path("classic-1.1.xml").read_bytes()
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(data[: data.index(b"<title>Members only")])
    mismatched = tmp_path / "mismatched.xml"
    mismatched.write_bytes(data.replace(b">pier-lighting<", b">pier-<b>lighting<"))
    for path in (truncated, mismatched):
        there = _refused(path, media_dir=UPLOADS)
        assert not list((settings.MEDIA_ROOT / "wordpress").rglob("*.png"))
        settings.WXR_PARALLEL_MIN_MB = -1
        here = _refused(path, media_dir=UPLOADS)
        settings.WXR_PARALLEL_MIN_MB = 0
        assert (there.reason, there.line, there.column) == (
            here.reason,
            here.line,
            here.column,
        )
    assert "ends too early" in str(there) or "mismatched tag" in str(there)
    assert len(processes) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "prepare, message",
    [
        (reader_helpers.fail_at_third_item, "a bug in the reading process"),
        (reader_helpers.die_at_third_item, r"stopped unexpectedly \(exit code -9\)"),
    ],
)
def test_a_reading_process_failing_mid_import_keeps_nothing(
    site_settings, settings, processes, monkeypatch, prepare, message
):
    monkeypatch.setattr(services, "BATCH", 1)  # posts are written before the end
    monkeypatch.setattr(wpcontent, "prepare", prepare)
    with pytest.raises(wxr.ReaderFailed, match=message):
        run_import("classic-1.1.xml", media_dir=UPLOADS)
    assert Article.objects.count() == 0 and Comment.objects.count() == 0
    assert ImportedItem.objects.count() == 0 and WordPressSite.objects.count() == 0
    assert not list((settings.MEDIA_ROOT / "wordpress").rglob("*.png"))
    assert processes[0].poll() is not None


@pytest.mark.django_db(transaction=True)
def test_ctrl_c_during_an_import_stops_the_reader_and_keeps_nothing(
    site_settings, processes, monkeypatch
):
    monkeypatch.setattr(services, "BATCH", 1)
    written = []
    flush = services.Importer.flush

    def interrupted(self):
        flush(self)
        written.append(Article.objects.count())
        if len(written) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(services.Importer, "flush", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_import("classic-1.1.xml", media_dir=UPLOADS)
    assert written[-1] == 2  # two posts were written before the interruption
    assert Article.objects.count() == 0 and ImportedItem.objects.count() == 0
    assert processes[0].poll() is not None  # the reader was stopped


@pytest.mark.django_db
def test_dry_run_in_a_second_process_keeps_nothing(site_settings, processes):
    out = io.StringIO()
    call_command(
        "import_wxr", str(fixture_path("classic-1.1.xml")), "--dry-run", stdout=out
    )
    assert "DRY RUN" in out.getvalue() and "posts: publish: 4" in out.getvalue()
    assert "100%" in out.getvalue()  # progress came from the reading process
    assert Article.objects.count() == 0 and len(processes) == 1


@pytest.mark.django_db
def test_importing_again_recounts_comments_added_here(harbour):
    ferry = ImportedItem.objects.get(kind="post", wp_id="101").article
    assert ferry.comment_count == 2
    Comment.objects.create(
        article=ferry, author_name="Reader", body="Local", status="approved"
    )
    run_import("classic-1.1.xml", media_dir=UPLOADS)
    ferry.refresh_from_db()
    assert ferry.comment_count == 3


def test_only_regular_files_can_be_read_elsewhere(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(b"<rss/>")
    with path.open("rb") as stream:
        assert wxr.regular_file(stream) == (str(path), 6)
    assert wxr.regular_file(io.BytesIO(b"<rss/>")) is None
    # An upload opened through storage names itself by its storage name.
    with path.open("rb") as real, File(real, name="imports/export.xml") as upload:
        assert wxr.regular_file(upload) == (str(path), 6)
    with pytest.raises(ValueError, match="regular file"):
        next(wxr.read_prepared(io.BytesIO(b"<rss/>"), prepare=str, process=True))


@pytest.mark.django_db
def test_sqlites_page_cache_is_larger_only_during_an_import(site_settings):
    """On SQLite the page cache is larger while an import writes, and restored
    after; on any other database the import sends no such (PRAGMA) statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        with CaptureQueriesContext(connection) as queries:
            run_import("classic-1.1.xml")
        assert queries.captured_queries  # the import ran through this connection
        assert not [q for q in queries.captured_queries if "PRAGMA" in q["sql"]]
        return

    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    seen = []
    flush = services.Importer.flush

    def watched(self):
        seen.append(cache_size())
        flush(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services.Importer, "flush", watched)
        run_import("classic-1.1.xml")
    assert seen and set(seen) == {-services.SQLITE_CACHE_KIB}
    assert cache_size() == before
