"""A settings table with one row, edited in the admin and read from the cache."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.core.cache import cache
from django.db import models


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

    @classmethod
    def first_values(cls) -> dict[str, Any]:
        """Field values for the row when it is first created."""
        return {}

    @classmethod
    def load(cls) -> Self:
        """The row, from the cache when possible (created on first use)."""
        obj: Self | None = cache.get(cls.cache_key)
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1, defaults=cls.first_values())
            cache.set(cls.cache_key, obj, 300)
        return obj
