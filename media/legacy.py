"""Files of the fields the library replaced (Article.featured_image and
Author.photo were image files): made Image rows by articles' migration 0007.
Takes the historical model, so it works at that migration's state."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.storage import default_storage
from PIL import Image as Pillow
from PIL import UnidentifiedImageError


def library_image(
    image_model: Any,
    name: str,
    *,
    width: int | None = None,
    height: int | None = None,
    alt: str = "",
    caption: str = "",
    credit: str = "",
) -> Any:
    """The Image for a stored file: the one with the same content, or a new
    row on the same file (nothing copied). A missing file still gets a row,
    without a digest, so the words are not lost."""
    digest, size = "", 0
    if default_storage.exists(name):
        sha = hashlib.sha256()
        with default_storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
                size += len(chunk)
            if not (width and height):
                handle.seek(0)
                try:
                    with Pillow.open(handle) as picture:
                        width, height = picture.size
                except (UnidentifiedImageError, OSError, ValueError):
                    pass
        digest = sha.hexdigest()
        found = image_model.objects.filter(digest=digest).first()
        if found is not None:
            return found
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return image_model.objects.create(
        file=name,
        width=width or 0,
        height=height or 0,
        size=size,
        digest=digest,
        title=stem.replace("-", " ").replace("_", " ")[:200],
        alt=alt[:250],
        caption=caption[:300],
        credit=credit[:150],
    )
