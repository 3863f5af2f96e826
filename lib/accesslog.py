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
