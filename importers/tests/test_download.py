"""import_wxr --download-media: the old site's files fetched over HTTP.

A local http.server on 127.0.0.1 plays the old site; loopback is private, so
the tests that fetch from it allow 127.0.0.0/8 as an operator would."""

from __future__ import annotations

import io
import ipaddress
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from importers import download, services
from importers.models import ImportedItem
from importers.tests.conftest import run_import
from importers.tests.wxr_builder import export, item

UPLOADS = "/wp-content/uploads/2024/05/"


def _png(size: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 9), (10, 90, 200)).save(out, "JPEG")
    return out.getvalue()


class OldSite(BaseHTTPRequestHandler):
    requests: Counter = Counter()
    files: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        OldSite.requests[self.path] += 1
        name = self.path.rsplit("/", 1)[-1]
        if name == "slow.jpg":
            time.sleep(5)
        if name == "moved.jpg":
            self.send_response(302)
            self.send_header("Location", "http://10.255.255.1/secret.jpg")
            self.end_headers()
            return
        if name not in self.files:
            self.send_error(404)
            return
        kind, body = self.files[name]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the importer gave up on this file (size or time limit)

    def finish(self) -> None:
        try:
            super().finish()
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def old_site():
    OldSite.requests = Counter()
    OldSite.files = {
        "photo.jpg": ("image/jpeg", _jpeg()),
        "inline.png": ("image/png", _png()),
        "big.png": ("image/png", _png(600)),
        "fake.jpg": ("text/plain", b"not a picture at all"),
        "liar.jpg": ("image/jpeg", _png()),  # a PNG named and served as JPEG
        "report.pdf": ("application/pdf", b"%PDF-1.4 minimal"),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def attachment(wp_id: int, site: str, name: str) -> str:
    return item(
        wp_id, name, post_type="attachment", status="inherit",
        meta={"_wp_attached_file": f"2024/05/{name}"},
        extra=f"<wp:attachment_url>{site}{UPLOADS}{name}</wp:attachment_url>",
    )  # fmt: skip


def site_export(site: str) -> bytes:
    names = ["photo.jpg", "big.png", "fake.jpg", "liar.jpg", "slow.jpg",
             "moved.jpg", "report.pdf", "gone.jpg"]  # fmt: skip
    return export(
        *[attachment(300 + n, site, name) for n, name in enumerate(names)],
        item(
            1, "Pictured",
            content=f'<img src="{site}{UPLOADS}inline.png" alt="Inline">',
            meta={"_thumbnail_id": "300"},
        ),
        site=site,
    )  # fmt: skip


def run(tmp_path: Path, data: bytes, *options: str) -> str:
    path = tmp_path / "site.xml"
    path.write_bytes(data)
    out = io.StringIO()
    call_command(
        "import_wxr", str(path), "--download-media",
        "--media-dir", str(tmp_path / "uploads"), "--download-timeout", "1.5",
        "--download-max-mb", "0.001", *options, stdout=out,
    )  # fmt: skip
    return out.getvalue()


ALLOW = ("--allow-private-addresses", "127.0.0.0/8")


def test_media_are_downloaded_checked_and_failures_listed(
    db, site_settings, old_site, tmp_path
):
    text = run(tmp_path, site_export(old_site), *ALLOW)
    story = ImportedItem.objects.get(kind="post", wp_id="1").article
    assert isinstance(story, Article)
    image = story.featured_image
    assert image is not None and image.file.name.endswith("2024/05/photo.jpg")
    assert (image.width, image.height) == (12, 9)
    assert "/media/wordpress/" in story.body and "inline.png" in story.body
    assert (tmp_path / "uploads/2024/05/report.pdf").is_file()
    assert "media downloaded: 3" in text
    assert "media [" in text  # the progress bar
    failures = text.split("Downloads that failed (6):", 1)[1]
    assert f"{UPLOADS}big.png: larger than 1,048 bytes" in failures
    assert f"{UPLOADS}fake.jpg: not an image: the server says text/plain" in failures
    assert f"{UPLOADS}liar.jpg: a PNG image, not the .jpg its name says" in failures
    assert f"{UPLOADS}slow.jpg: timed out" in failures
    assert f"{UPLOADS}moved.jpg: 10.255.255.1 is a private" in failures
    assert f"{UPLOADS}gone.jpg: HTTP 404" in failures
    assert not list((tmp_path / "uploads").rglob("*.part"))
    assert not (tmp_path / "uploads/2024/05/fake.jpg").exists()


def test_a_second_run_fetches_only_what_is_missing(
    db, site_settings, old_site, tmp_path
):
    data = site_export(old_site)
    run(tmp_path, data, *ALLOW)
    text = run(tmp_path, data, *ALLOW)
    assert OldSite.requests[f"{UPLOADS}photo.jpg"] == 1
    assert OldSite.requests[f"{UPLOADS}inline.png"] == 1
    assert OldSite.requests[f"{UPLOADS}gone.jpg"] == 2  # failures are tried again
    assert "media already downloaded: 3" in text


def test_private_addresses_are_refused_without_the_allowance(
    db, site_settings, old_site, tmp_path
):
    text = run(tmp_path, site_export(old_site))
    assert "127.0.0.1 is a private, loopback, link-local or reserved address" in text
    assert sum(OldSite.requests.values()) == 0  # nothing reached the server
    assert Article.objects.count() == 1  # the import itself went on


def test_a_name_that_resolves_to_loopback_is_refused():
    # The address a name resolves to is what is checked and then connected to.
    with pytest.raises(download.Refused, match="127.0.0.1"):
        download.resolve("localhost", 80, download.Limits())


@pytest.mark.parametrize(
    "address",
    ["10.0.0.5", "169.254.169.254", "::1", "::ffff:127.0.0.1", "0.0.0.0", "fc00::1"],
)
def test_private_link_local_and_reserved_addresses_are_refused(address):
    with pytest.raises(download.Refused):
        download.check_address(address, download.Limits())


def test_an_allowed_network_allows_only_itself():
    limits = download.Limits(allow_private=[ipaddress.ip_network("10.1.0.0/16")])
    assert str(download.check_address("10.1.2.3", limits)) == "10.1.2.3"
    with pytest.raises(download.Refused):
        download.check_address("10.2.0.1", limits)
    assert str(download.check_address("93.184.215.14", download.Limits()))


def test_wordpress_com_file_addresses_are_found_and_rewritten(
    db, site_settings, tmp_path
):
    host = "https://borderdesk.files.wordpress.com"
    data = export(
        item(
            1, "From WordPress.com",
            content=f'<img src="{host}/2023/02/map.png?w=640" alt="Map">'
            '<img src="https://elsewhere.example/x/wp-content/uploads/a.png">',
        ),
        item(
            9, "map", post_type="attachment", status="inherit",
            extra=f"<wp:attachment_url>{host}/2023/02/map.png</wp:attachment_url>",
        ),
        ns="https://wordpress.org/export/1.2/", site="https://borderdesk.blog",
    )  # fmt: skip
    wanted, folder = services.media_to_download(io.BytesIO(data))
    assert wanted == {"2023/02/map.png": f"{host}/2023/02/map.png"}
    assert folder == "borderdesk-blog"
    (tmp_path / "2023/02").mkdir(parents=True)
    (tmp_path / "2023/02/map.png").write_bytes(_png())
    run_import(data, media_dir=tmp_path)
    body = ImportedItem.objects.get(kind="post", wp_id="1").article.body
    assert "/media/wordpress/borderdesk-blog/2023/02/map.png" in body
    assert "files.wordpress.com" not in body
    assert "elsewhere.example" in body  # another site's file is left alone
