"""The media library's work: checking an upload, storing it once, making and
reading its renditions. Every way in (the admin, the editor's chooser, the
WordPress importer) goes through `check_upload` and `add_image`."""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image as Pillow
from PIL import ImageOps, UnidentifiedImageError

from media import tasks
from media.models import Image
from media.renditions import (
    FORMATS,
    MODERN,
    SHAPES,
    crop_box,
)

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "AVIF": "avif"}
_GPS_IFD = 0x8825
_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Checked:
    """An upload that passed the checks: its bytes as they will be stored."""

    content: bytes
    digest: str
    format: str
    width: int
    height: int


def _limit_bytes() -> int:
    return int(settings.MEDIA_MAX_UPLOAD_MB) * 1024 * 1024


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image")


def check_upload(upload: IO[bytes], *, size: int | None = None) -> Checked:
    """Check an uploaded file and return what to store, or raise a
    ValidationError that says what is wrong with it.

    The size first (Django has kept a large upload on disk, not in memory),
    then what Pillow reads from the header (the format, from the bytes, and
    the pixel count, before anything is decoded), then the whole decode (a
    truncated or damaged file). The stored copy loses its GPS data and has
    its EXIF orientation applied."""
    limit = _limit_bytes()
    if size is None:
        size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _refuse(
            _("The file is larger than %(mb)s MB.")
            % {"mb": settings.MEDIA_MAX_UPLOAD_MB}
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _refuse(
            _("The file is larger than %(mb)s MB.")
            % {"mb": settings.MEDIA_MAX_UPLOAD_MB}
        )
    if not content:
        raise _refuse(_("The file is empty."))
    picture = _open(content)
    return _cleaned(content, picture)


def _open(content: bytes) -> Pillow.Image:
    head = content[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        raise _refuse(
            _(
                "SVG images are not accepted (they can carry scripts): upload a "
                "PNG, JPEG, GIF, WebP or AVIF."
            )  # fmt: skip
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Pillow.DecompressionBombWarning)
        try:
            picture = Pillow.open(io.BytesIO(content), formats=FORMATS)
        except (UnidentifiedImageError, Pillow.DecompressionBombError,
                Pillow.DecompressionBombWarning, OSError, ValueError,
                SyntaxError) as exc:  # fmt: skip
            if isinstance(
                exc, Pillow.DecompressionBombError | Pillow.DecompressionBombWarning
            ):
                raise _too_many_pixels() from exc
            raise _refuse(
                _(
                    "This is not an image the site can use: upload a JPEG, PNG, "
                    "GIF, WebP or AVIF file."
                )  # fmt: skip
            ) from exc
    width, height = picture.size
    if width * height > settings.MEDIA_MAX_PIXELS or not width or not height:
        raise _too_many_pixels()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Pillow.DecompressionBombWarning)
        try:
            picture.load()
        except (Pillow.DecompressionBombError, Pillow.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise _refuse(
                _("The image is damaged or incomplete (%(error)s).")
                % {"error": str(exc)[:80]}
            ) from exc
    return picture


def _too_many_pixels() -> ValidationError:
    megapixels = settings.MEDIA_MAX_PIXELS / 1_000_000
    return _refuse(
        _("The image has too many pixels (more than %(mp)s million).")
        % {"mp": f"{megapixels:g}"}
    )


def _cleaned(content: bytes, picture: Pillow.Image) -> Checked:
    """The bytes to store: as uploaded, unless the EXIF data says where the
    photo was taken or asks for a rotation; then encoded again without the
    location, upright."""
    fmt = picture.format or ""
    exif = picture.getexif()
    xmp = picture.info.get("xmp") or picture.info.get("XML:com.adobe.xmp") or b""
    xmp_bytes = xmp.encode() if isinstance(xmp, str) else bytes(xmp)
    # The location may be in the XMP packet too; encoded again, it is dropped.
    located = bool(exif.get_ifd(_GPS_IFD)) or _GPS_IFD in exif or b"GPS" in xmp_bytes
    turned = exif.get(_ORIENTATION, 1) not in (1, None)
    digest = hashlib.sha256(content).hexdigest()
    width, height = picture.size
    if (located or turned) and not getattr(picture, "is_animated", False):
        upright = ImageOps.exif_transpose(picture)
        clean = upright.getexif()
        clean.pop(_GPS_IFD, None)
        clean.pop(_ORIENTATION, None)
        out = io.BytesIO()
        options: dict[str, Any] = {"exif": clean.tobytes()}
        if picture.info.get("icc_profile"):
            options["icc_profile"] = picture.info["icc_profile"]
        if fmt == "JPEG":
            options |= {"quality": 95, "subsampling": "keep"}
            if upright is not picture:
                options.pop("subsampling")
        upright.save(out, fmt, **options)
        content = out.getvalue()
        width, height = upright.size
    return Checked(content, digest, fmt, width, height)


def add_image(
    checked: Checked,
    *,
    name: str,
    uploaded_by: Any = None,
    title: str = "",
    alt: str = "",
    caption: str = "",
    credit: str = "",
) -> tuple[Image, bool]:
    """Store a checked upload as a new Image, or return the image that has
    the same file already (and False). Renditions are made after the commit."""
    found = Image.objects.filter(digest=checked.digest).first()
    if found is not None:
        return found, False
    stem = get_valid_filename(name.rsplit("/", 1)[-1].rsplit(".", 1)[0])[:80]
    image = Image(
        width=checked.width,
        height=checked.height,
        size=len(checked.content),
        digest=checked.digest,
        title=title[:200] or stem.replace("_", " "),
        alt=alt[:250],
        caption=caption[:300],
        credit=credit[:150],
        uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
    )
    filename = f"{stem or 'image'}.{EXTENSIONS[checked.format]}"
    image.file.save(filename, ContentFile(checked.content), save=False)
    image.save()
    queue_renditions(image.pk)
    return image, True


def image_from_storage(
    name: str, *, alt: str = "", caption: str = "", credit: str = ""
) -> Image:
    """The library's image for a file already in storage (the importer's
    copies): the one with the same content, or a new row on that file, after
    the same checks as an upload (a ValidationError if it fails them)."""
    with default_storage.open(name) as handle:
        checked = check_upload(handle)
    found = Image.objects.filter(digest=checked.digest).first()
    if found is not None:
        return found
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    image = Image(
        width=checked.width,
        height=checked.height,
        size=len(checked.content),
        digest=checked.digest,
        title=stem.replace("-", " ").replace("_", " ")[:200],
        alt=alt[:250],
        caption=caption[:300],
        credit=credit[:150],
    )
    with default_storage.open(name) as handle:
        if handle.read() == checked.content:
            image.file.name = name  # stored as it is: no second copy
    if not image.file.name:
        image.file.save(
            name.rsplit("/", 1)[-1], ContentFile(checked.content), save=False
        )
    image.save()
    queue_renditions(image.pk)
    return image


def queue_renditions(image_id: int) -> None:
    transaction.on_commit(lambda: tasks.make_renditions.enqueue(image_id))


# ----------------------------------------------------------------- reading
# A body figure as the editor writes it (lib/html.py keeps these attributes):
# <figure class="image" data-image-id="ID"><img ...><figcaption>...</figure>
BODY_FIGURE = re.compile(
    r'(<figure\b[^>]*\bdata-image-id="(\d{1,18})"[^>]*>)(.*?)(</figure>)',
    re.DOTALL | re.IGNORECASE,
)


def body_image_ids(html: str) -> list[int]:
    """The library images an article's body shows, in order."""
    return [int(m[2]) for m in BODY_FIGURE.finditer(html or "")]


@dataclass(frozen=True)
class Picture:
    """What a <picture> prints for one image in one shape."""

    src: str
    width: int
    height: int
    modern_srcset: str  # "" before the renditions exist
    fallback_srcset: str
    modern_type: str


def _sets(image: Image, shape: str) -> list[list[Any]]:
    made = image.renditions or {}
    if made.get("focus") != [image.focal_x, image.focal_y]:
        return []  # made for another focal point: the original until redone
    return list(made.get("shapes", {}).get(shape, []))


def picture(image: Image, shape: str = "full") -> Picture:
    sets = _sets(image, shape)
    if not sets:
        ratio = SHAPES.get(shape, (None, ()))[0]
        box = crop_box(image.width, image.height, ratio, image.focus)
        return Picture(image.file.url, box[2] - box[0], box[3] - box[1], "", "", "")
    url = default_storage.url
    modern = ", ".join(f"{url(s[2])} {s[0]}w" for s in sets)
    fallback = ", ".join(f"{url(s[3])} {s[0]}w" for s in sets)
    middle = next((s for s in sets if s[0] >= 640), sets[-1])
    largest = sets[-1]
    return Picture(url(middle[3]), largest[0], largest[1], modern, fallback, MODERN[1])


def large_fallback(
    image: Image, shape: str = "full", at_least: int = 1200
) -> tuple[str, int, int]:
    """A large JPEG/PNG of the image (for og:image, feeds, JSON-LD): the
    first fallback rendition at least `at_least` wide, or the largest, or the
    original before the renditions exist."""
    sets = _sets(image, shape)
    if not sets:
        return image.file.url, image.width, image.height
    chosen = next((s for s in sets if s[0] >= at_least), sets[-1])
    return default_storage.url(chosen[3]), chosen[0], chosen[1]


def thumbnail_url(image: Image) -> str:
    sets = _sets(image, "full")
    if not sets:
        return image.file.url
    return default_storage.url(sets[0][3])


def chooser_url(image: Image) -> str:
    """A ~1280 px wide fallback for the editor, or the original."""
    return large_fallback(image, "full", at_least=1280)[0]


def iter_missing() -> Iterator[int]:
    """Images whose renditions are not made for their focal point."""
    for pk, made, fx, fy in Image.objects.values_list(
        "pk", "renditions", "focal_x", "focal_y"
    ).iterator():
        made = made or {}
        done = made.get("focus") == [fx, fy] or "animated" in made or "error" in made
        if not done:
            yield pk
