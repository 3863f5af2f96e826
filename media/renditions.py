"""Renditions: the widths and shapes of an image the pages show, made by the
task worker (media.tasks) and named deterministically, so a second run finds
its files and a new focal point makes new names that no cache holds."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image as Pillow
from PIL import ImageOps

from media.models import Image
from media.signals import image_changed

log = logging.getLogger(__name__)

#: What Pillow may read an upload as (named from its bytes, never its name).
FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "AVIF")
#: The shapes the pages show: a ratio (width / height), or None for the
#: image's own, and the widths made of each (never more than the crop has).
SHAPES: dict[str, tuple[float | None, tuple[int, ...]]] = {
    "full": (None, (320, 640, 960, 1280, 1920)),  # the article's image, bodies
    "wide": (16 / 9, (320, 640, 960, 1280)),  # cards and the lead story
    "square": (1.0, (96, 192, 384)),  # author photos
}
#: The modern format of every rendition set, beside a JPEG (PNG when the
#: image has transparency) for browsers without it. AVIF: a 12 MP photo's
#: set is 36% smaller than in WebP (which saved 1% on JPEG) for 2.2 s of a
#: worker's CPU instead of 0.8 (docs/benchmarks.md, "Image renditions");
#: libaom's speed 8 costs 2% more bytes than its default 6, at 40% the time.
MODERN = ("avif", "image/avif")
ENCODER: dict[str, dict[str, Any]] = {
    "avif": {"quality": 60, "speed": 8},
    "webp": {"quality": 80},
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"optimize": True},
}


def announce_change(image_id: int) -> None:
    """After the commit: the pages that show the image print it anew."""
    transaction.on_commit(lambda: image_changed.send(sender=Image, image_id=image_id))


# ----------------------------------------------------------------- renditions
def crop_box(
    width: int, height: int, ratio: float | None, focus: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of `ratio` in the image, centred on the focal point as
    far as the edges allow (the whole image for None)."""
    if ratio is None or not (width and height) or abs(width / height - ratio) < 0.01:
        return (0, 0, width, height)
    if width / height > ratio:  # too wide: cut the sides
        crop_w, crop_h = round(height * ratio), height
    else:  # too tall: cut the top and bottom
        crop_w, crop_h = width, round(width / ratio)
    left = round(focus[0] * width - crop_w / 2)
    top = round(focus[1] * height - crop_h / 2)
    left = min(max(left, 0), width - crop_w)
    top = min(max(top, 0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def widths_for(crop_width: int, wanted: tuple[int, ...]) -> list[int]:
    """The shape's widths this crop can give without upscaling (at least one:
    the crop's own, when it is narrower than all of them)."""
    widths = [w for w in wanted if w <= crop_width]
    if not widths or (crop_width < wanted[-1] and crop_width > widths[-1] * 1.2):
        widths.append(crop_width)
    return widths


def rendition_name(image: Image, shape: str, width: int, ext: str) -> str:
    """Deterministic: the same image, focal point and width give the same
    name, so a second run finds its files (and a new focal point new ones,
    which no cache holds)."""
    key = image.digest[:16] or f"id{image.pk}"
    fx, fy = round(image.focal_x * 100), round(image.focal_y * 100)
    return f"renditions/{key[:2]}/{key}/{shape}-{fx:03d}-{fy:03d}-{width}.{ext}"


def _has_alpha(picture: Pillow.Image) -> bool:
    if picture.mode in ("RGBA", "LA", "PA"):
        return picture.getextrema()[-1][0] < 255  # type: ignore[index]
    return picture.mode == "P" and "transparency" in picture.info


def render(image: Image) -> dict[str, Any]:
    """Make every rendition of the image that is not stored yet, and return
    what `Image.renditions` keeps: per shape, [width, height, modern, fallback]
    names for each width, and the fallback's type."""
    with image.file.open("rb") as handle:
        source = Pillow.open(io.BytesIO(handle.read()), formats=FORMATS)
        if source.width * source.height > settings.MEDIA_MAX_PIXELS:
            raise ValueError("too many pixels")
        source.load()
    if getattr(source, "is_animated", False):
        return {"animated": True}  # a still would lose the motion: the original
    upright: Pillow.Image = ImageOps.exif_transpose(source)
    alpha = _has_alpha(upright)
    picture = upright.convert("RGBA" if alpha else "RGB")
    fallback = ("png", "image/png") if alpha else ("jpeg", "image/jpeg")
    shapes: dict[str, list[list[Any]]] = {}
    for shape, (ratio, wanted) in SHAPES.items():
        box = crop_box(picture.width, picture.height, ratio, image.focus)
        crop = picture.crop(box)
        sets = []
        for width in widths_for(crop.width, wanted):
            height = max(1, round(crop.height * width / crop.width))
            names = [
                rendition_name(image, shape, width, ext)
                for ext in (MODERN[0], "jpg" if fallback[0] == "jpeg" else "png")
            ]
            if not all(default_storage.exists(n) for n in names):
                small = crop.resize((width, height), Pillow.Resampling.LANCZOS)
                _save(small, names[0], MODERN[0])
                _save(small, names[1], fallback[0])
            sets.append([width, height, *names])
        shapes[shape] = sets
    return {
        "focus": [image.focal_x, image.focal_y],
        "fallback": fallback[1],
        "shapes": shapes,
    }


def _save(picture: Pillow.Image, name: str, fmt: str) -> None:
    if default_storage.exists(name):
        return
    out = io.BytesIO()
    picture.save(out, fmt.upper(), **ENCODER[fmt])
    default_storage.save(name, File(io.BytesIO(out.getvalue()), name=name))


def make_renditions(image_id: int) -> bool:
    """The task's work: make the image's renditions and keep their names.
    A file Pillow cannot read is logged and marked, not tried again."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return False
    try:
        made = render(image)
    except (OSError, ValueError, SyntaxError, EOFError,
            Pillow.DecompressionBombError) as exc:  # fmt: skip
        log.warning("No renditions for image %s (%s): %s", image_id, image.file, exc)
        made = {"error": str(exc)[:200]}
    with transaction.atomic():
        updated = Image.objects.filter(
            pk=image_id, focal_x=image.focal_x, focal_y=image.focal_y
        ).update(renditions=made)
        if updated:
            announce_change(image_id)
    return bool(updated) and "error" not in made
