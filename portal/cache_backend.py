"""The cache backend: Django's RedisCache, except that Redis being unreachable is a cache miss, never an error.

Redis holds only what can be rebuilt (rendered pages, counts, rate-limit counters: DESIGN.md section 7), so an
outage of it must cost speed, not service. Every operation that cannot reach Redis logs a warning (at most once a
minute per process, so an outage does not flood the log) and answers as an empty cache would; for the next
RETRY_AFTER seconds the backend does not even try, so a Redis that hangs instead of refusing costs one short
timeout per process, not one per cache call.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
LOG_INTERVAL_SECONDS = 60.0

# Per process and per Redis address, shared by the per-thread backend instances Django creates.
_state_lock = threading.Lock()
_down_until: dict[str, float] = {}
_last_logged: dict[str, float] = {}


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client makes a new redis.Redis object for every cache call; building one fills a table
    of some 170 reply parsers, which cost more than the call itself on a cached page (two calls: the generation,
    then the page; issue 19). A redis.Redis object is safe to share between threads and keeps no state of its own
    besides its connection pool, so one per pool is kept and reused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._location = server if isinstance(server, str) else ",".join(server)
        self._retry_after = float(params.get("RETRY_AFTER", 2))

    def _skipping(self) -> bool:
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def _failed(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        with _state_lock:
            _down_until[self._location] = now + self._retry_after
            if now - _last_logged.get(self._location, -LOG_INTERVAL_SECONDS) < LOG_INTERVAL_SECONDS:
                return
            _last_logged[self._location] = now
        logger.warning(
            "cache: Redis unreachable (%s on %s: %s); serving without the cache", type(exc).__name__, operation, exc
        )

    def _call(self, operation: str, outage_answer, method, *args, **kwargs):
        if self._skipping():
            return outage_answer
        try:
            return method(*args, **kwargs)
        except UNREACHABLE as exc:
            self._failed(operation, exc)
            return outage_answer

    def ping(self) -> bool:
        """For the health check: raises when Redis does not answer (the other operations never do)."""
        return bool(self._cache.get_client(write=True).ping())

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, unlike set(): the key is absent (a miss), so nobody else holds it. Callers that use add() as a
        # short lock (allauth's rate limits) would otherwise wait for a lock nobody has and then refuse the login.
        return self._call("add", True, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be stored.
        return self._call("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        if self._skipping():
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as exc:
            self._failed("incr", exc)
            # As for a missing key: an unreachable cache holds nothing.
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).") from exc

    def clear(self):
        return self._call("clear", False, super().clear)
