from __future__ import annotations

import hashlib
import io

import factory
from django.core.files.base import ContentFile
from PIL import Image as Pillow

from media.models import Image


def image_bytes(
    width: int = 64,
    height: int = 48,
    colour: tuple[int, ...] = (40, 90, 160),
    fmt: str = "PNG",
    **options,
) -> bytes:
    mode = "RGBA" if len(colour) == 4 else "RGB"
    out = io.BytesIO()
    Pillow.new(mode, (width, height), colour).save(out, fmt, **options)
    return out.getvalue()


class ImageFactory(factory.django.DjangoModelFactory[Image]):
    """A library image with a real (small) PNG file, no renditions yet."""

    class Meta:
        model = Image

    class Params:
        content = factory.LazyAttribute(
            lambda o: image_bytes(o.width, o.height, (o.seq_colour, 90, 160))
        )
        seq_colour = factory.Sequence(lambda n: n % 256)

    width = 64
    height = 48
    title = factory.Sequence(lambda n: f"Picture {n}")
    alt = factory.Sequence(lambda n: f"A test picture number {n}")
    caption = ""
    credit = ""
    digest = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    size = factory.LazyAttribute(lambda o: len(o.content))
    file = factory.LazyAttribute(
        lambda o: ContentFile(o.content, name=f"{o.title.replace(' ', '-')}.png")
    )
