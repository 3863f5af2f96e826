from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from importers.models import ImportRun
from importers.tests.conftest import UPLOADS, fixture_path

URL = "/admin/importers/importrun/add/"


@pytest.fixture
def admin_client(client, django_user_model, site_settings):
    boss = django_user_model.objects.create_superuser(
        "boss", "boss@example.test", "a-long-test-password"
    )
    client.force_login(boss)
    return client


def upload(client, data: bytes, **fields):
    return client.post(
        URL,
        {"file": SimpleUploadedFile("site.xml", data), "media_dir": "", **fields},
    )


def test_an_upload_is_imported_by_the_task_worker_and_reported(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            admin_client,
            fixture_path("classic-1.1.xml").read_bytes(),
            media_dir=str(UPLOADS),
        )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE
    assert Article.objects.count() == 8
    page = admin_client.get(f"/admin/importers/importrun/{run.pk}/change/")
    text = page.content.decode()
    assert "posts: publish: 4" in text and "2018/01/gone.jpg" in text
    listing = admin_client.get("/admin/importers/importrun/").content.decode()
    assert "100%" in listing


def test_a_broken_upload_fails_with_the_reason_and_imports_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    data = fixture_path("classic-1.1.xml").read_bytes()[:4000]
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, data)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert "ends too early" in run.report and "Nothing was imported" in run.report
    assert Article.objects.count() == 0


def test_a_file_that_is_not_xml_is_refused_in_the_form(admin_client):
    response = upload(admin_client, b"\x89PNG\r\n\x1a\n binary")
    assert response.status_code == 200
    assert "This is not an XML file" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_media_folder_that_does_not_exist_is_refused(admin_client):
    response = upload(admin_client, b"<?xml version='1.0'?><rss/>", media_dir="/no/x")
    assert "There is no folder /no/x on the server." in response.content.decode()


def test_staff_who_are_not_superusers_cannot_upload(client, editor):
    client.force_login(editor)
    assert client.get(URL).status_code == 403


def test_the_task_does_not_run_a_claimed_import_twice(admin_client, db):
    from importers.tasks import run_import

    run = ImportRun.objects.create(
        file=SimpleUploadedFile("a.xml", b"<rss/>"), status=ImportRun.Status.DONE
    )
    assert run_import.call(run.pk) == "not queued"
