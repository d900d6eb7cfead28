"""Django's Redis cache with one client per connection pool, not one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call, and each one copies
redis-py's table of some 170 response callbacks: about 0.1 ms a call, half a millisecond on a list page that
reads its version, its count, its rows and its block. A client only holds its pool and that table, and
redis-py's clients may be shared between threads, so each pool keeps one.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # pool index -> its client

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client

    def set_many_for(self, by_seconds: dict[int, dict]) -> None:
        """`set_many` for values of several timeouts ({seconds: {key: value}}) in one round trip: what a
        page computed after a write (caching.store)."""
        client = self._cache.get_client(None, write=True)
        pipeline = client.pipeline()
        for seconds, values in by_seconds.items():
            timeout = self.get_backend_timeout(seconds)
            for key, value in values.items():
                pipeline.set(
                    self.make_and_validate_key(key), self._cache._serializer.dumps(value), ex=timeout
                )
        pipeline.execute()

    def clear(self) -> bool:
        """The whole cache emptied, and with it the values this process keeps beside it (caching's `_seen`:
        their keys name their content, so other processes' copies stay right)."""
        from kallpanchis.core import caching

        caching.forget_seen()
        return super().clear()
