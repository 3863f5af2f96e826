from __future__ import annotations

from django.tasks import task

from media import renditions


@task
def make_renditions(image_id: int) -> bool:
    """Make an image's renditions (after an upload or a new focal point)."""
    return renditions.make_renditions(image_id)
