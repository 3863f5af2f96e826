"""Where an image is used, as the layers above tell it (the admin's "used in").

The media library imports nothing above core; the apps whose rows show
images add a finder here in their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable

#: Each takes an image id and returns (label, admin address) pairs.
FINDERS: list[Callable[[int], list[tuple[str, str]]]] = []


def used_in(image_id: int) -> list[tuple[str, str]]:
    return [found for finder in FINDERS for found in finder(image_id)]
