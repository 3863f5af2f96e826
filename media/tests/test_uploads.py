"""What the library accepts: real images only, within the limits, without
the place they were taken."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image as Pillow

from media import services
from media.models import Image
from media.tests import helpers


def refusal(content: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        services.check_upload(io.BytesIO(content), **kwargs)
    return " ".join(caught.value.messages)


def test_text_named_like_a_jpeg_is_refused():
    message = refusal(b"Just some notes, saved as notes.jpg\n" * 20)
    assert "not an image" in message


def test_html_sent_as_a_jpeg_is_refused():
    html = b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>"
    assert "not an image" in refusal(html)


def test_an_svg_with_a_script_is_refused_with_a_reason():
    assert "SVG images are not accepted" in refusal(helpers.SVG_WITH_SCRIPT)


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # 100,000 x 100,000 pixels declared in a file of a few hundred bytes.
    bomb = helpers.png_bomb()
    assert len(bomb) < 1000
    assert "too many pixels" in refusal(bomb)


def test_an_image_over_the_pixel_limit_is_refused(settings):
    settings.MEDIA_MAX_PIXELS = 1_000_000
    assert "more than 1 million" in refusal(helpers.png_bomb(1200, 1000))


def test_a_file_over_the_size_limit_is_refused_without_reading_it(settings):
    settings.MEDIA_MAX_UPLOAD_MB = 1

    class Huge(io.BytesIO):
        size = 3 * 1024 * 1024 * 1024  # what Django knows of a 3 GB upload

        def read(self, *args):
            raise AssertionError("read a file known to be too large")

    with pytest.raises(ValidationError, match="larger than 1 MB"):
        services.check_upload(Huge())
    # And one whose size is not known beforehand: read up to the limit only.
    big = b"\xff\xd8\xff" + b"\0" * (1024 * 1024 + 10)
    assert "larger than 1 MB" in refusal(big, size=None)


def test_a_truncated_jpeg_is_refused():
    whole = helpers.jpeg(400, 300, quality=95)
    assert "damaged or incomplete" in refusal(whole[: len(whole) // 2])


def test_an_empty_file_is_refused():
    assert "empty" in refusal(b"")


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (helpers.jpeg(), "JPEG"),
        (helpers.png(), "PNG"),
        (helpers.gif(), "GIF"),
        (helpers.png(colour=(0, 0, 0, 0)), "PNG"),
    ],
)
def test_real_images_are_accepted(content, fmt):
    checked = services.check_upload(io.BytesIO(content))
    assert (checked.format, checked.width, checked.height) == (fmt, 60, 40)


def test_webp_and_avif_are_accepted():
    for fmt in ("WEBP", "AVIF"):
        out = io.BytesIO()
        Pillow.new("RGB", (30, 20), (1, 2, 3)).save(out, fmt)
        assert services.check_upload(io.BytesIO(out.getvalue())).format == fmt


def test_the_stored_copy_has_no_gps_data_and_is_upright(db):
    # Orientation 6: the camera was turned; the picture is stored turned back.
    content = helpers.jpeg_with_gps(60, 40, orientation=6)
    with Pillow.open(io.BytesIO(content)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test file has a place
    checked = services.check_upload(io.BytesIO(content))
    image, created = services.add_image(checked, name="street.jpg")
    assert created
    with image.file.open("rb") as stored, Pillow.open(stored) as picture:
        exif = picture.getexif()
        assert exif.get_ifd(0x8825) == {}
        assert 0x8825 not in exif
        assert exif.get(0x0112) in (None, 1)
        assert exif.get(0x010F) == "TestCam"  # the rest of the EXIF is kept
        assert picture.size == (40, 60)
    assert (image.width, image.height) == (40, 60)


def test_a_location_in_the_xmp_packet_is_dropped_too(db):
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/'
        b'1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com'
        b'/exif/1.0/" exif:GPSLatitude="51,30.2N" exif:GPSLongitude="0,7.6W"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    content = helpers.jpeg(xmp=xmp)
    assert b"GPSLatitude" in content
    image, _ = services.add_image(
        services.check_upload(io.BytesIO(content)), name="xmp.jpg"
    )
    with image.file.open("rb") as stored:
        assert b"GPSLatitude" not in stored.read()


def test_a_file_without_location_is_stored_as_uploaded(db):
    content = helpers.jpeg(quality=90)
    image, _ = services.add_image(
        services.check_upload(io.BytesIO(content)), name="plain.jpg"
    )
    with image.file.open("rb") as stored:
        assert stored.read() == content


def test_the_same_file_uploaded_twice_is_one_image(db):
    content = helpers.png()
    first, created = services.add_image(
        services.check_upload(io.BytesIO(content)), name="a.png", alt="First"
    )
    again, created_again = services.add_image(
        services.check_upload(io.BytesIO(content)), name="b.png", alt="Second"
    )
    assert created and not created_again
    assert again == first and again.alt == "First"
    assert Image.objects.count() == 1
