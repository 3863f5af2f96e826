"""The production cache (django-redis, REDIS_URL): one client per process,
shared by threads, each seeing its own values."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (the make test-postgres tier)"
)


def test_one_shared_client_serves_many_threads_with_their_own_values():
    from django_redis import get_redis_connection  # type: ignore[import-untyped]

    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"

    def round_trip(n: int) -> list:
        seen = []
        for i in range(50):
            cache.set(f"k{n}", {"thread": n, "i": i}, 30)
            seen.append(cache.get(f"k{n}"))
        return seen

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(round_trip, range(8)))
    for n, seen in enumerate(results):
        assert seen == [{"thread": n, "i": i} for i in range(50)]
    cache.delete("k-count")
    assert cache.add("k-count", 1, 30) and not cache.add("k-count", 5, 30)
    assert cache.incr("k-count") == 2 and cache.get("k-count") == 2
    # Django's own Redis cache built a client per call (0.4 ms of Python).
    assert get_redis_connection("default") is get_redis_connection("default")
    cache.delete_many([f"k{n}" for n in range(8)] + ["k-count"])
    assert cache.get("k0") is None
