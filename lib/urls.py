"""reverse() for the links every page prints, remembered.

A list or search page prints dozens of article, section, tag and author links,
and Django's reverse() costs 50-60 µs each (it matches the candidate against
the route's pattern and quotes it). While a process runs, the URLconf does not
change, so the same name and arguments give the same URL: it is built once and
kept in a bounded LRU. The script prefix and a request's own URLconf are part
of the key; overriding ROOT_URLCONF (tests) empties it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

#: The pieces of WordPress's date-and-name permalinks (/2026/11/26/slug/ and
#: /…/page/2/), shared by the reader pages and the comment feeds, so that a
#: migrated site keeps its links.
PAGE = r"(?:page/(?P<page>[1-9]\d{0,5})/)?"
YEAR = r"(?P<year>\d{4})"
MONTH = r"(?P<month>0[1-9]|1[0-2])"
DAY = r"(?P<day>0[1-9]|[12]\d|3[01])"
SLUG = r"(?P<slug>[-\w]+)"

#: About 300 bytes an entry: a few MB a process.
SIZE = 20_000


def cached_reverse(viewname: str, **kwargs: str | int) -> str:
    """reverse(viewname, kwargs=kwargs), from the cache when it was built before."""
    return _reverse(
        viewname, tuple(sorted(kwargs.items())), get_script_prefix(), get_urlconf()
    )


@lru_cache(maxsize=SIZE)
def _reverse(
    viewname: str,
    items: tuple[tuple[str, str | int], ...],
    prefix: str,
    urlconf: str | None,
) -> str:
    # reverse() reads the script prefix itself; it is in the key so that a
    # change of it (a sub-path deployment, tests) is not answered from the cache.
    return reverse(viewname, urlconf=urlconf, kwargs=dict(items))


@receiver(setting_changed)
def _forget(*, setting: str, **_: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
