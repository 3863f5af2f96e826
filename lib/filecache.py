"""Django's file cache, counting its files now and then instead of on every write.

The embedded mode keeps cached pages and small lookups in a folder of files
shared by the web workers. Django's FileBasedCache lists the whole folder on
every `set()` to see whether it must make room: 17 ms at 20,000 entries, paid by
every page-cache miss and every counter. Here the count is taken at most once
every CULL_CHECK_SECONDS per process, and the room made then as Django does (a
random third of the entries). Between two counts the folder may hold a few more
entries than MAX_ENTRIES: the writes of those seconds.

`_cull` is Django's private method, which `set()` calls before each write.
core/tests/test_filecache.py pins that: if Django renamed it, this override
would be skipped and the folder would be trimmed on every write, which the
test sees.

A write the disk has no room for is dropped (and the key's older entry
deleted, so nothing outdated is read back), as if evicted at once: a cache is
never where data is kept, and a full disk must not turn a page into an error
(docs/operations.md, "When parts fail"). It is logged once a minute at most.
"""

from __future__ import annotations

import errno
import logging
import os
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache as DjangoFileCache

log = logging.getLogger(__name__)

CULL_CHECK_SECONDS = 5.0

_lock = threading.Lock()
_checked_at: dict[str, float] = {}  # cache folder -> when it was last counted
#: A disk (or quota, or file size limit) with no room left.
FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
FULL_LOG_SECONDS = 60.0
_full_logged_at: dict[str, float] = {}  # cache folder -> when it was last said


class FileBasedCache(DjangoFileCache):
    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self.folder = os.path.abspath(dir)

    # django-stubs leave the private method out (hence the ignore).
    def _cull(self) -> None:
        now = time.monotonic()
        with _lock:
            if (
                now - _checked_at.get(self.folder, -CULL_CHECK_SECONDS)
                < CULL_CHECK_SECONDS
            ):
                return
            _checked_at[self.folder] = now
        super()._cull()  # type: ignore[misc]

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except OSError as error:
            if error.errno not in FULL:
                raise
            # The old entry must not outlive the value that replaced it.
            self.delete(key, version)
            now = time.monotonic()
            with _lock:
                last = _full_logged_at.get(self.folder, -FULL_LOG_SECONDS)
                if now - last < FULL_LOG_SECONDS:
                    return
                _full_logged_at[self.folder] = now
            log.warning("cache %s: disk full, entries not kept: %s", self.folder, error)
