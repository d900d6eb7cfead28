"""The site's Redis cache keeps one redis-py client per connection pool (kallpanchis/core/redis_cache.py),
and still stores and reads values on the real server."""

import pytest
from django.core.cache import cache

pytestmark = [pytest.mark.redis]


def test_one_client_serves_every_call():
    backend = cache._cache  # the RedisCacheClient behind the site's cache
    first = backend.get_client("a")
    cache.set("kallpanchis-test:one-client", {"n": 1}, 30)
    assert cache.get("kallpanchis-test:one-client") == {"n": 1}
    assert cache.get_many(["kallpanchis-test:one-client", "kallpanchis-test:absent"]) == {
        "kallpanchis-test:one-client": {"n": 1}
    }
    assert backend.get_client("b", write=True) is first
    cache.delete("kallpanchis-test:one-client")
    assert cache.get("kallpanchis-test:one-client") is None
