"""What the media library tells the layers above it (they connect in ready()).

`image_changed` (sender `Image`, `image_id`): sent after the commit that
changed what a page prints for the image: its renditions were made again, or
its alt text, caption, credit or focal point changed. The reader outdates the
cached pages and fragments that show it (reader/signals.py).
"""

from __future__ import annotations

from django.dispatch import Signal

image_changed = Signal()
