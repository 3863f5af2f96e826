"""A settings table with one row, edited in the admin and read from the cache."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar, Self

from django.core.cache import cache
from django.db import models

#: The rows read inside the current request, by cache key (`request_scope`).
_loaded: ContextVar[dict[str, Any] | None] = ContextVar("singletons", default=None)


@contextmanager
def request_scope(found: dict[str, Any] | None = None) -> Iterator[None]:
    """Inside it, each singleton is read from the cache once (`found` holds
    rows already read, by cache key): a feed asked for the site's settings
    five times, a round trip to Redis each."""
    token = _loaded.set(dict(found or {}))
    try:
        yield
    finally:
        _loaded.reset(token)


class SingletonModel(models.Model):
    # Django gives each concrete subclass its manager; declared for mypy.
    objects: ClassVar[models.Manager[Self]]
    cache_key: str = ""  # set by each subclass, e.g. "core:site-settings:v1"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.cache_key)
        loaded = _loaded.get()
        if loaded is not None:
            loaded[self.cache_key] = self  # this request reads what it wrote

    @classmethod
    def first_values(cls) -> dict[str, Any]:
        """Field values for the row when it is first created."""
        return {}

    @classmethod
    def load(cls) -> Self:
        """The row, from the cache when possible (created on first use)."""
        loaded = _loaded.get()
        obj: Self | None = None if loaded is None else loaded.get(cls.cache_key)
        if obj is None:
            obj = cache.get(cls.cache_key)
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1, defaults=cls.first_values())
            cache.set(cls.cache_key, obj, 300)
        if loaded is not None:
            loaded[cls.cache_key] = obj
        return obj
