"""Rendered fragments of pages (teaser cards, an article's text, a page of
comments), kept by the versions of what they show.

A fragment's key names every version its HTML depends on: an article's
`updated_at` and comment count, the page-cache tags' versions (lib/pagecache:
bumped by the same rules that outdate pages), and the release (a digest of the
code and templates). So an entry is never stale, only unused: nothing is
deleted when content changes, the next page asks for a new key and renders
that one fragment. A page-cache miss then costs the queries that find what
the page lists, and the fragments that changed.

Each process keeps the fragments it used last (MEMO_BYTES) in front of the
shared store, the cache alias "fragments" (files embedded, Redis in
production). FRAGMENT_CACHE_SECONDS = 0 turns all of it off (benchmarks of a
cold page).
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe

#: Bytes of fragments a process keeps (about 4,000 cards or 300 articles).
MEMO_BYTES = 8 * 1024 * 1024

_memo: OrderedDict[str, SafeString] = OrderedDict()
_memo_size = 0
_lock = threading.Lock()

#: What the release digest reads: code and templates under the project.
_SOURCES = ("*.py", "*.html", "*.txt", "*.xml")
_SKIPPED = {".venv", "var", "build", "node_modules", ".git", "tests", "static"}


def _walk(root: Path) -> Iterable[Path]:
    for entry in sorted(root.iterdir()):
        if entry.name in _SKIPPED or entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif any(entry.match(pattern) for pattern in _SOURCES):
            yield entry


@functools.cache
def release() -> str:
    """A digest of the project's code and templates, read once per process
    (30 ms): a new release never reads a fragment an older one rendered
    (every web node of one release computes the same digest)."""
    digest = hashlib.blake2b(digest_size=8)
    root = Path(settings.BASE_DIR)
    for path in _walk(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def enabled() -> bool:
    return settings.FRAGMENT_CACHE_SECONDS > 0


def key(kind: str, *parts: object) -> str:
    """The key of a fragment of `kind` for these versions."""
    text = "\x1f".join(str(part) for part in (release(), *parts))
    digest = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    return f"frag:{kind}:{digest}"


def _remember(found: dict[str, SafeString]) -> None:
    global _memo_size
    with _lock:
        for name, html in found.items():
            if name not in _memo:
                _memo_size += len(html)
            _memo[name] = html
            _memo.move_to_end(name)
        while _memo_size > MEMO_BYTES and _memo:
            _, dropped = _memo.popitem(last=False)
            _memo_size -= len(dropped)


def forget() -> None:
    """Empty this process's copies (tests)."""
    global _memo_size
    with _lock:
        _memo.clear()
        _memo_size = 0


def get_many(keys: Sequence[str]) -> dict[str, SafeString]:
    """The stored fragments among `keys`: this process's first, then one round
    trip to the shared store for the rest."""
    if not enabled():
        return {}
    found: dict[str, SafeString] = {}
    missing = []
    for name in keys:
        html = _memo.get(name)
        if html is None:
            missing.append(name)
        else:
            found[name] = html
    if missing:
        shared = {
            name: mark_safe(html)  # only this module writes the store
            for name, html in caches["fragments"].get_many(missing).items()
        }
        _remember(shared)
        found |= shared
    return found


def set_many(rendered: Mapping[str, str]) -> None:
    if not enabled() or not rendered:
        return
    kept = {name: mark_safe(html) for name, html in rendered.items()}
    _remember(kept)
    caches["fragments"].set_many(
        {name: str(html) for name, html in kept.items()},
        settings.FRAGMENT_CACHE_SECONDS,
    )


def fragment(name: str, render: Callable[[], str]) -> SafeString:
    """The fragment stored under `name`, rendered (and stored) if missing.
    `render` returns HTML that is safe as it is."""
    found = get_many([name]).get(name)
    if found is None:
        found = mark_safe(render())
        set_many({name: found})
    return found
