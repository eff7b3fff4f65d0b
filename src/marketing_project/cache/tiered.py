"""Memory tier in front of Redis, kept coherent across replicas."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from marketing_project.cache.base import BaseCache
from marketing_project.cache.invalidation import InvalidationListener
from marketing_project.cache.keys import check_namespace, namespace_of
from marketing_project.cache.memory import MemoryCache
from marketing_project.cache.protocol import MISSING
from marketing_project.cache.redis import RedisCache
from marketing_project.cache.stats import CacheStats
from marketing_project.cache.throttle import ThrottledLog

_SAMPLE_MASK = 31


class _PendingRead:
    """A Redis read in flight; keys invalidated meanwhile are recorded so its reply does not refill memory."""

    __slots__ = ("everything", "keys", "stale")

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = frozenset(keys)
        self.stale: set[str] = set()
        self.everything = False

    def fresh(self, key: str) -> bool:
        return not self.everything and key not in self.stale


class TieredCache(BaseCache):
    """Reads the memory tier, then Redis (copying hits into memory); writes both.

    Cross-replica coherence: every write, delete, invalidation and clear is announced on a Redis pub/sub channel in
    the same round trip as the Redis operation; each replica's listener drops its memory copies on receipt
    (typically within a millisecond). A Redis read only fills the memory tier if no announcement for its key arrived
    while it was in flight, so a late reply cannot re-insert a value invalidated meanwhile (the price: a read that
    overlaps a write of its key is not kept, and the next read asks Redis again). Announcements missed while the
    subscription was down are covered by clearing the memory tier on every (re)subscription. Whatever happens, a
    memory copy lives at most ``memory.default_ttl`` (the "local TTL", e.g. 30 s) and never past the entry's
    Redis expiry: that bounds staleness when Redis is unreachable and replicas cannot hear each other.
    Namespace invalidation is in addition enforced by Redis itself through the namespace generation (RedisCache).

    ``redis`` must have ``publish_invalidations=True``. Call ``await ready()`` at start-up to wait for the
    subscription; before that, and while it is down, replicas may serve their memory copy up to the local TTL.
    """

    def __init__(
        self,
        memory: MemoryCache,
        redis: RedisCache,
        *,
        ttl_jitter: float = 0.0,
        retry_delay: float = 1.0,
        name: str = "tiered",
    ) -> None:
        if not redis.publish_invalidations:
            raise ValueError("TieredCache needs a RedisCache built with publish_invalidations=True")
        super().__init__(ttl=redis.default_ttl, ttl_jitter=ttl_jitter)
        self.name = name
        self.memory = memory
        self.redis = redis
        self.local_ttl = memory.default_ttl
        self._reads: set[_PendingRead] = set()
        self._ticks = 0
        self.listener = InvalidationListener(
            redis.client,
            redis.channel,
            redis.sender_id,
            self._on_remote,
            self._resync,
            counters=self.counters,
            log=ThrottledLog(),
            retry_delay=retry_delay,
        )

    async def ready(self, within: float = 2.0) -> bool:
        """Start listening for other replicas' invalidations; whether the subscription is live within ``within`` s."""
        return await self.listener.wait_subscribed(within)

    # -- coherence --------------------------------------------------------------------------------------------------

    def _on_remote(self, kind: str, payload: Any) -> None:
        if kind == "k":
            for key in payload:
                self._forget_key(key)
        elif kind == "n":
            self._forget_namespace(payload)
        else:
            self._resync()

    def _forget_key(self, key: str) -> None:
        self._flights.mark_stale(key)
        for read in self._reads:
            if key in read.keys:
                read.stale.add(key)
        self.memory.delete_sync(key)

    def _forget_namespace(self, namespace: str) -> None:
        self._flights.mark_namespace_stale(namespace)
        for read in self._reads:
            read.stale.update(key for key in read.keys if namespace_of(key) == namespace)
        self.memory.invalidate_sync(namespace)

    def _resync(self) -> None:
        self._flights.mark_all_stale()
        for read in self._reads:
            read.everything = True
        self.memory.clear_sync()

    def _fill_memory(self, key: str, value: Any, remaining: float) -> None:
        ttl = min(remaining, self.local_ttl)
        if ttl > 0:
            self.memory.set_sync(key, value, ttl)

    # -- reads ------------------------------------------------------------------------------------------------------

    async def get(self, key: str, default: Any = None) -> Any:
        self._ticks += 1
        if self._ticks & _SAMPLE_MASK:
            return await self._get(key, default)
        start = time.perf_counter()
        value = await self._get(key, default)
        self.counters.get_latency.observe(time.perf_counter() - start)
        return value

    async def _get(self, key: str, default: Any) -> Any:
        value = self.memory.get_sync(key, MISSING)
        if value is not MISSING:
            self.counters.hits += 1
            return value
        value, _ = await self._fetch(key)
        if value is MISSING:
            self.counters.misses += 1
            return default
        self.counters.hits += 1
        return value

    async def _fetch(self, key: str) -> tuple[Any, bytes | None]:
        self.listener.start()
        read = _PendingRead((key,))
        self._reads.add(read)
        try:
            value, generation, remaining = await self.redis.fetch(key)
        finally:
            self._reads.discard(read)
        if value is not MISSING and read.fresh(key):
            self._fill_memory(key, value, remaining)
        return value, generation

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        remote: list[str] = []
        for key in keys:
            value = self.memory.get_sync(key, MISSING)
            if value is MISSING:
                remote.append(key)
            else:
                found[key] = value
        if remote:
            self.listener.start()
            read = _PendingRead(remote)
            self._reads.add(read)
            try:
                fetched = await self.redis.fetch_many(remote)
            finally:
                self._reads.discard(read)
            for key, (value, remaining) in fetched.items():
                found[key] = value
                if read.fresh(key):
                    self._fill_memory(key, value, remaining)
        self.counters.hits += len(found)
        self.counters.misses += len(set(remote) - found.keys())
        return found

    async def _lookup(self, key: str) -> tuple[Any, object]:
        value = self.memory.get_sync(key, MISSING)
        if value is not MISSING:
            self.counters.hits += 1
            return value, None
        value, generation = await self._fetch(key)
        if value is MISSING:
            self.counters.misses += 1
        else:
            self.counters.hits += 1
        return value, generation

    def _peek(self, key: str) -> Any:
        return self.memory._peek(key)

    # -- writes -----------------------------------------------------------------------------------------------------

    async def _store(self, key: str, value: Any, ttl: float, token: object) -> None:
        # Only called for a flight nobody invalidated (BaseCache): memory may take the value.
        self.memory.set_sync(key, value, min(ttl, self.local_ttl))
        self.counters.sets += 1
        await self.redis.write(key, value, ttl, token if isinstance(token, bytes) else None)

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        resolved = self._resolve_ttl(ttl)
        self.listener.start()
        self._forget_key(key)
        self.memory.set_sync(key, value, min(resolved, self.local_ttl))
        self.counters.sets += 1
        await self.redis.set(key, value, resolved)

    async def set_many(self, items: Mapping[str, Any], ttl: float | None = None) -> None:
        resolved = self._resolve_ttl(ttl)
        self.listener.start()
        for key, value in items.items():
            self._forget_key(key)
            self.memory.set_sync(key, value, min(resolved, self.local_ttl))
        self.counters.sets += len(items)
        await self.redis.set_many(items, resolved)

    async def delete(self, key: str) -> None:
        await self.delete_many((key,))

    async def delete_many(self, keys: Iterable[str]) -> None:
        doomed = list(keys)
        self.listener.start()
        for key in doomed:
            self._forget_key(key)
        self.counters.deletes += len(doomed)
        await self.redis.delete_many(doomed)

    async def invalidate(self, namespace: str) -> None:
        check_namespace(namespace)
        self.listener.start()
        self._forget_namespace(namespace)
        self.counters.invalidations += 1
        await self.redis.invalidate(namespace)

    async def clear(self) -> None:
        self.listener.start()
        self._resync()
        await self.redis.clear()

    # -- lifecycle --------------------------------------------------------------------------------------------------

    def stats(self) -> CacheStats:
        memory = self.memory.stats()
        return self.counters.snapshot(
            self.name,
            size=memory.size,
            size_bytes=memory.size_bytes,
            tiers=(memory, self.redis.stats()),
        )

    async def close(self) -> None:
        await self.listener.close()
        await self.redis.close()
