"""Renditions, made by the task worker after an upload."""

from __future__ import annotations

import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as Pillow

from media import renditions, services
from media.models import Image
from media.tests import helpers


def add(content: bytes, name: str = "photo.png", **words) -> Image:
    image, _ = services.add_image(
        services.check_upload(io.BytesIO(content)), name=name, **words
    )
    image.refresh_from_db()
    return image


def stored(name: str) -> Pillow.Image:
    with default_storage.open(name) as handle:
        picture = Pillow.open(io.BytesIO(handle.read()))
        picture.load()
        return picture


def test_an_upload_gets_avif_and_jpeg_renditions_in_several_widths(
    django_capture_on_commit_callbacks, db
):
    with django_capture_on_commit_callbacks(execute=True):
        image = add(helpers.jpeg(1700, 1000), name="harbour.jpg")
    image.refresh_from_db()
    made = image.renditions
    assert made["fallback"] == "image/jpeg"
    full = made["shapes"]["full"]
    assert [w for w, *_ in full] == [320, 640, 960, 1280, 1700]  # not 1920
    for width, height, modern, fallback in full:
        assert height == round(width * 1000 / 1700)
        assert stored(modern).format == "AVIF"
        assert stored(modern).size == (width, height)
        assert stored(fallback).format == "JPEG"
    wide = made["shapes"]["wide"]
    assert all(abs(w / h - 16 / 9) < 0.02 for w, h, *_ in wide)
    square = made["shapes"]["square"]
    assert [(w, h) for w, h, *_ in square] == [(96, 96), (192, 192), (384, 384)]


def test_a_small_image_is_never_made_larger(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = add(helpers.png(200, 100))
    image.refresh_from_db()
    widths = {
        shape: [w for w, *_ in sets]
        for shape, sets in image.renditions["shapes"].items()
    }
    assert widths == {"full": [200], "wide": [178], "square": [96]}


def test_an_image_with_transparency_falls_back_to_png(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = add(helpers.png(400, 300, colour=(0, 120, 0, 100)), name="logo.png")
    image.refresh_from_db()
    assert image.renditions["fallback"] == "image/png"
    _w, _h, modern, fallback = image.renditions["shapes"]["full"][0]
    assert stored(fallback).format == "PNG"
    assert stored(fallback).mode == "RGBA"
    assert stored(modern).mode == "RGBA"  # AVIF keeps the alpha too


def test_the_square_crop_keeps_the_focal_point(db):
    image = add(helpers.dot_image(400, 200, at=(0.9, 0.5)))
    # Centred, the 200x200 square would hold x 100..300 only: the dot is lost.
    renditions.make_renditions(image.pk)
    image.refresh_from_db()
    *_, centred = image.renditions["shapes"]["square"][-1][:3]
    picture = stored(centred)
    assert _reddest(picture)[0] < 200  # (it is not there: no red at all)
    image.focal_x, image.focal_y = 0.9, 0.5
    image.save()
    renditions.make_renditions(image.pk)
    image.refresh_from_db()
    width, height, modern, _fallback = image.renditions["shapes"]["square"][-1]
    assert (width, height) == (192, 192)
    red, x, y = _reddest(stored(modern))
    assert red > 200 and x > width * 0.6  # in the frame, on the right side


def _reddest(picture: Pillow.Image) -> tuple[int, int, int]:
    rgb = picture.convert("RGB")
    best = (0, 0, 0)
    for x in range(0, rgb.width, 2):
        for y in range(0, rgb.height, 2):
            r, g, b = rgb.getpixel((x, y))  # type: ignore[misc]
            score = r - (g + b) // 2
            if score > best[0]:
                best = (score, x, y)
    return best


def test_running_it_again_makes_nothing_new(db, monkeypatch):
    image = add(helpers.jpeg(700, 500))
    renditions.make_renditions(image.pk)
    first = Image.objects.get(pk=image.pk).renditions
    saved = []
    monkeypatch.setattr(renditions, "_save", lambda *a: saved.append(a))
    renditions.make_renditions(image.pk)
    assert saved == []
    assert Image.objects.get(pk=image.pk).renditions == first


def test_a_damaged_file_is_logged_and_not_tried_again(db, caplog):
    image = add(helpers.jpeg(300, 200))
    default_storage.delete(image.file.name)
    default_storage.save(image.file.name, ContentFile(b"\xff\xd8 not really"))
    with caplog.at_level(logging.WARNING, logger="media.renditions"):
        assert renditions.make_renditions(image.pk) is False
    assert "No renditions for image" in caplog.text
    image.refresh_from_db()
    assert "error" in image.renditions
    assert image.pk not in set(services.iter_missing())  # not queued again


def test_a_gif_is_accepted_and_rendered(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = add(helpers.gif(300, 200), name="chart.gif")
    image.refresh_from_db()
    assert image.file.name.endswith(".gif")
    assert image.renditions["shapes"]["full"][0][0] == 300
