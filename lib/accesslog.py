"""The web server's access log leaves out counted read beacons.

A beacon is sent for every article page view, so it would be most of the log
(about 100 bytes each, 40 GB a day at 5,000 reads per second) while the reads
themselves are counted in the audience statistics. Refused beacons (4xx, 5xx)
are still logged. Used by newshub/uvicorn-logging.json, which ``manage.py
serve`` passes to uvicorn.
"""

from __future__ import annotations

import logging

BEACON_PATH = "/audience/read/"  # audience.asgi.PATH; not imported: the log
# configuration loads this module before Django is set up


class SkipCountedBeacons(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn's access record: (client, method, path?query, version, status)
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            return not (args[2] == BEACON_PATH and args[4] == 204)
        return True


class AccessFormatter(logging.Formatter):
    """uvicorn's access record as one line: time, client, request, status.
    What uvicorn's own formatter writes, without its copy of the record and
    the status phrase it looks up for every request (a fifth of the CPU of a
    page-cache hit went to the access log)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__()
        self._second = -1
        self._stamp = ""

    def format(self, record: logging.LogRecord) -> str:
        args = record.args
        if not (isinstance(args, tuple) and len(args) == 5):
            return super().format(record)
        client, method, path, version, status = args
        second = int(record.created)
        if second != self._second:
            self._second = second
            self._stamp = self.formatTime(record)[:19]
        return f'{self._stamp} {client} "{method} {path} HTTP/{version}" {status}'
