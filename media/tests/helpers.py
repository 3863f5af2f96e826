"""Files for the media tests: real images, and the hostile ones."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags
from PIL import Image as Pillow


def jpeg(width: int = 60, height: int = 40, colour=(200, 30, 30), **options) -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", (width, height), colour).save(out, "JPEG", **options)
    return out.getvalue()


def png(width: int = 60, height: int = 40, colour=(30, 90, 160)) -> bytes:
    mode = "RGBA" if len(colour) == 4 else "RGB"
    out = io.BytesIO()
    Pillow.new(mode, (width, height), colour).save(out, "PNG")
    return out.getvalue()


def gif(width: int = 60, height: int = 40) -> bytes:
    out = io.BytesIO()
    Pillow.new("P", (width, height), 3).save(out, "GIF")
    return out.getvalue()


def jpeg_with_gps(width: int = 60, height: int = 40, orientation: int = 1) -> bytes:
    """A photo that says where it was taken (and which way up it is)."""
    exif = Pillow.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 40.0),
    }
    return jpeg(width, height, exif=exif)


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares a huge picture (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><script>alert(document.cookie)</script>'
    b'<rect width="10" height="10"/></svg>'
)


def upload(content: bytes, name: str = "photo.jpg", kind: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, kind)


def dot_image(width: int = 400, height: int = 200, at=(0.9, 0.5)) -> bytes:
    """White, with a red dot at the given place (x, y in 0..1)."""
    picture = Pillow.new("RGB", (width, height), (255, 255, 255))
    cx, cy = round(at[0] * width), round(at[1] * height)
    for x in range(cx - 6, cx + 7):
        for y in range(cy - 6, cy + 7):
            if 0 <= x < width and 0 <= y < height:
                picture.putpixel((x, y), (255, 0, 0))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()
