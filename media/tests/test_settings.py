"""MEDIA_STORAGE=s3 from the environment: the storage and the image policy."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
from django.conf import settings
print(json.dumps({"storage": settings.STORAGES["default"],
                  "img": [str(s) for s in settings.SECURE_CSP["img-src"]]}))
"""


def probe(**env) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**os.environ, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_s3_settings_come_from_the_environment_and_its_host_may_show_images():
    found = probe(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="frontline-media",
        AWS_S3_ENDPOINT_URL="https://s3.eu-central-1.example.net",
        AWS_S3_CUSTOM_DOMAIN="media.frontline.example",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    storage = found["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "frontline-media"
    assert options["custom_domain"] == "media.frontline.example"
    assert options["querystring_auth"] is False  # cached pages keep their links
    assert found["img"] == ["'self'", "data:", "https://media.frontline.example"]


def test_local_files_by_default():
    found = probe(MEDIA_STORAGE="local")
    assert found["storage"]["BACKEND"].endswith("FileSystemStorage")
    assert found["img"] == ["'self'", "data:"]
