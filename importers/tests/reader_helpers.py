"""Stand-ins for importers.wpcontent.prepare that fail inside the reading process.

No Django imports here: the reading process imports this module on its own
(see importers.wxr.read_prepared), without settings."""

from __future__ import annotations

import os
import signal

from importers import wpcontent

_seen = [0]


def _third_post(node) -> bool:
    if getattr(node, "tag", "") == "item":
        _seen[0] += 1
    return _seen[0] >= 3


def fail_at_third_item(node):
    if _third_post(node):
        raise RuntimeError("a bug in the reading process")
    return wpcontent.prepare(node)


def die_at_third_item(node):
    if _third_post(node):
        os.kill(os.getpid(), signal.SIGKILL)
    return wpcontent.prepare(node)
