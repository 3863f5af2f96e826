"""The rich-text editor's image chooser: GET to search, POST to upload."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from media.models import Image
from media.tests import helpers
from media.tests.factories import ImageFactory
from newsroom.models import Role

URL = "/media-library/chooser/"


def test_its_address_is_named():
    assert reverse("media:chooser") == URL


def test_readers_and_accounts_without_a_role_get_nothing(client, signed_in):
    assert client.get(URL).status_code == 302  # to the sign-in page
    assert "results" not in client.get(URL).content.decode()
    staff = signed_in(None)
    type(staff.user).objects.filter(pk=staff.user.pk).update(is_staff=True)
    response = staff.get(URL)
    assert response.status_code == 403
    assert (
        staff.post(URL, {"file": helpers.upload(helpers.png(), "a.png")}).status_code
        == 403
    )
    assert not Image.objects.exists()


def test_a_contributor_searches_the_library_newest_first(signed_in):
    now = timezone.now()
    for n, words in enumerate(
        [
            ("Harbour at dawn", "", ""),
            ("Frigate", "A frigate in the harbour", ""),
            ("Tank", "", "Harbour Press"),
            ("Desert", "Dunes", ""),
        ]  # fmt: skip
    ):
        image = ImageFactory(title=words[0], alt=words[1], credit=words[2])
        Image.objects.filter(pk=image.pk).update(
            created_at=now - dt.timedelta(hours=10 - n)
        )
    client = signed_in(Role.CONTRIBUTOR)
    data = client.get(URL, {"q": "harbour"}).json()
    assert [r["title"] for r in data["results"]] == [
        "Tank",
        "Frigate",
        "Harbour at dawn",
    ]
    assert data["has_next"] is False
    first = data["results"][0]
    assert set(first) == {
        "id", "title", "alt", "caption", "credit", "width", "height", "thumbnail", "url"
    }  # fmt: skip
    assert first["url"].startswith("/media/images/")
    assert client.get(URL, {"q": "harbour dunes"}).json()["results"] == []


def test_it_pages_twenty_at_a_time(signed_in):
    ImageFactory.create_batch(23)
    client = signed_in(Role.CONTRIBUTOR)
    first = client.get(URL).json()
    second = client.get(URL, {"page": "2"}).json()
    assert (len(first["results"]), first["has_next"]) == (20, True)
    assert (len(second["results"]), second["has_next"]) == (3, False)
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(set(ids)) == 23
    assert client.get(URL, {"page": "99"}).json() == {"results": [], "has_next": False}
    for odd in ("0", "-3", "two", "9" * 50, ""):
        assert client.get(URL, {"page": odd}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "%",
        "_",
        "\x00' OR 1=1",
        "x" * 10_000,
    ],
)
def test_a_hostile_query_finds_nothing_and_breaks_nothing(signed_in, query):
    ImageFactory(title="Harbour")
    response = signed_in(Role.CONTRIBUTOR).get(URL, {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"] == []


def test_a_contributor_uploads_an_image_with_its_words(signed_in):
    client = signed_in(Role.CONTRIBUTOR)
    response = client.post(
        URL,
        {
            "file": helpers.upload(helpers.jpeg(800, 600), "Quay at dusk.jpg"),
            "alt": "Boats moored at the quay",
            "caption": "<b>The quay</b>",
            "credit": "Staff photo",
        },
    )
    assert response.status_code == 201
    data = response.json()
    image = Image.objects.get(pk=data["id"])
    assert (data["width"], data["height"]) == (800, 600)
    assert data["alt"] == image.alt == "Boats moored at the quay"
    assert image.caption == "<b>The quay</b>"  # stored as text, escaped when shown
    assert image.uploaded_by == client.user
    assert image.renditions == {}  # made by the worker after the commit


def test_the_same_file_again_answers_the_image_already_there(signed_in):
    client = signed_in(Role.CONTRIBUTOR)
    content = helpers.png(50, 50)
    first = client.post(URL, {"file": helpers.upload(content, "a.png")}).json()
    response = client.post(URL, {"file": helpers.upload(content, "copy.png")})
    assert response.status_code == 200
    assert response.json()["id"] == first["id"] and response.json()["reused"] is True
    assert Image.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "kind", "message"),
    [
        (b"plain text", "notes.jpg", "image/jpeg", "not an image"),
        (b"<html><body>hi</body></html>", "page.jpg", "image/jpeg", "not an image"),
        (helpers.SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml", "SVG images"),
        (helpers.png_bomb(), "bomb.png", "image/png", "too many pixels"),
        (helpers.jpeg(300, 300, quality=95)[:1500], "cut.jpg", "image/jpeg", "damaged"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(
    signed_in, content, name, kind, message
):
    response = signed_in(Role.CONTRIBUTOR).post(
        URL, {"file": helpers.upload(content, name, kind), "alt": "x"}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert message in " ".join(errors["file"])
    assert not Image.objects.exists()


def test_a_file_over_the_limit_is_refused(signed_in, settings):
    settings.MEDIA_MAX_UPLOAD_MB = 1
    big = helpers.jpeg(10, 10) + b"\0" * (1024 * 1024)
    response = signed_in(Role.CONTRIBUTOR).post(URL, {"file": helpers.upload(big)})
    assert response.status_code == 400
    assert "larger than 1 MB" in response.json()["errors"]["file"][0]


def test_missing_file_and_overlong_words_are_refused(signed_in):
    client = signed_in(Role.CONTRIBUTOR)
    response = client.post(URL, {"alt": "x"})
    assert response.status_code == 400 and "file" in response.json()["errors"]
    response = client.post(
        URL, {"file": helpers.upload(helpers.png()), "alt": "x" * 251}
    )
    assert response.status_code == 400 and "alt" in response.json()["errors"]
    assert not Image.objects.exists()


def test_an_upload_needs_the_csrf_token(signed_in):
    from django.test import Client

    client = signed_in(Role.CONTRIBUTOR)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(client.user)
    response = strict.post(URL, {"file": helpers.upload(helpers.png())})
    assert response.status_code == 403
    assert not Image.objects.exists()


def test_other_methods_are_refused(signed_in):
    client = signed_in(Role.CONTRIBUTOR)
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405
