"""The site's static files storage: whitenoise's compressed manifest storage,
with each file's address worked out once per process.

`{% static %}` asks the storage for an address on every use; the manifest
storage then looks the name up in its manifest, splits and joins URLs and
quotes them: about a tenth of a millisecond per page made from stored
fragments on the benchmark machine (py-spy --gil, the article page). The
manifest is read when the process starts and does not change while it runs
(a deploy restarts the workers), so the answer for a name does not change
either.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

#: Addresses kept; the names come from the templates, so a few dozen at most.
KEEP = 1000


# whitenoise ships no type information (pyproject.toml: ignore_missing_imports).
class StaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None or settings.DEBUG:
            answer: str = super().url(name, force)
            return answer
        try:
            return self._urls[name]
        except KeyError:
            url: str = super().url(name)
            if len(self._urls) < KEEP:
                self._urls[name] = url
            return url
