"""Media in an S3-compatible store, for real: a moto server on loopback."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from articles.models import Article
from media.models import Image
from media.tests import helpers

BUCKET = "newshub-media"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_server():
    """moto_server (moto[server], from PyPI) on a free port, with a bucket."""
    boto3 = pytest.importorskip("boto3")
    port = _free_port()
    server = Path(sys.executable).parent / "moto_server"
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start")
        client = boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
        )  # fmt: skip
        client.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_server):
    """The site's default storage as MEDIA_STORAGE=s3 configures it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "querystring_auth": False,
                "file_overwrite": False,
                "default_acl": "public-read",  # readers fetch the files
            },
        },
    }
    return s3_server


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.mark.django_db
def test_an_upload_and_its_renditions_are_served_from_the_s3_store(
    s3_storage, admin_client, published_article, site_settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/media/image/add/",
            {
                "file": helpers.upload(helpers.jpeg_with_gps(1000, 700), "pier.jpg"),
                "alt": "The pier in the rain",
            },
        )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.file.url.startswith(f"{s3_storage}/{BUCKET}/images/")
    Article.objects.filter(pk=published_article.pk).update(featured_image=image)
    html = admin_client.get(published_article.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="article__figure">.*?</figure>', html, re.S)
    assert figure is not None
    avif = re.search(r'<source type="image/avif" srcset="([^"]+)"', figure[0])
    jpeg = re.search(r'<img src="[^"]+" srcset="([^"]+)"', figure[0])
    assert avif is not None and jpeg is not None
    avif_urls = [part.split()[0] for part in avif[1].split(", ")]
    jpeg_urls = [part.split()[0] for part in jpeg[1].split(", ")]
    assert len(avif_urls) == len(jpeg_urls) == 3  # 320, 640, 960 (1000 wide)
    for url in avif_urls:
        assert url.startswith(f"{s3_storage}/{BUCKET}/renditions/")
        body = fetch(url)
        assert body[4:12] == b"ftypavif"
    for url in jpeg_urls:
        assert fetch(url)[:3] == b"\xff\xd8\xff"
    original = fetch(image.file.url)
    assert b"GPS" not in original and original[:3] == b"\xff\xd8\xff"
