"""The embedded mode's file cache makes room now and then, not on every write."""

from __future__ import annotations

from lib import filecache
from lib.filecache import FileBasedCache


def _files(cache: FileBasedCache) -> int:
    # Django's private helper, which django-stubs leave out.
    return len(cache._list_cache_files())  # type: ignore[attr-defined]


def test_the_folder_is_counted_at_most_once_per_interval_and_then_trimmed(
    tmp_path, monkeypatch
):
    cache = FileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 30}})
    monkeypatch.setattr(filecache, "CULL_CHECK_SECONDS", 3600)
    for i in range(60):
        cache.set(f"page-{i}", "<html>…</html>", 300)
    # Counted on the first write only: the writes since went in as they came.
    assert _files(cache) == 60
    assert cache.get("page-59") == "<html>…</html>"
    monkeypatch.setattr(filecache, "_checked_at", {})  # the interval has passed
    cache.set("page-60", "<html>…</html>", 300)
    assert _files(cache) == 60 - 60 // 3 + 1  # a third made room, as Django does
    assert cache.get("page-60") == "<html>…</html>"


def test_two_folders_are_counted_on_their_own(tmp_path, monkeypatch):
    monkeypatch.setattr(filecache, "CULL_CHECK_SECONDS", 3600)
    one = FileBasedCache(str(tmp_path / "one"), {"OPTIONS": {"MAX_ENTRIES": 2}})
    two = FileBasedCache(str(tmp_path / "two"), {"OPTIONS": {"MAX_ENTRIES": 2}})
    for i in range(3):
        one.set(f"k{i}", i)
    two.set("k", 1)  # its own first count: nothing to trim there
    assert (_files(one), _files(two)) == (3, 1)
