from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from lib.rediscache import RedisCache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (the make test-postgres tier)"
)


def test_one_shared_client_serves_many_threads_with_their_own_values():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-shared-client"})
    assert settings.CACHES["default"]["BACKEND"] == "lib.rediscache.RedisCache"

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
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete_many([f"k{n}" for n in range(8)] + ["k-count"])
    assert cache.get("k0") is None
