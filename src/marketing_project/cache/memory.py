"""In-process LRU cache with per-entry TTL, optional byte budget and full statistics."""

from __future__ import annotations

import random
import sys
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import orjson

from marketing_project.cache.base import BaseCache, check_ttl
from marketing_project.cache.keys import check_namespace, namespace_of
from marketing_project.cache.protocol import MISSING
from marketing_project.cache.stats import CacheStats

# Timing every dict lookup would cost more than the lookup; one operation in 32 gives the same mean and p95.
_SAMPLE_MASK = 31
# Amortised sweep: every 16 writes, look at the next 32 keys of a rolling pass over the whole cache.
_SWEEP_EVERY_MASK = 15
_SWEEP_BATCH = 32

# (value, expires_at monotonic seconds, estimated size in bytes or 0 when not tracked)
_Entry = tuple[Any, float, int]


def estimate_size(key: str, value: Any) -> int:
    """Size estimate used for ``max_bytes``: key length plus the value's serialised length.

    bytes/str count their length; JSON-able values the length of their orjson encoding; anything else its shallow
    ``sys.getsizeof``. This is the payload size (what Redis would store), not Python heap usage, which is usually
    several times larger: pick ``max_bytes`` accordingly.
    """
    if isinstance(value, bytes | str):
        size = len(value)
    else:
        try:
            size = len(orjson.dumps(value))
        except TypeError:
            size = sys.getsizeof(value)
    return len(key) + size


class MemoryCache(BaseCache):
    """LRU + TTL cache for one process (one event loop; not thread-safe).

    * ``max_size`` entries at most (default 1000); writing past it evicts the least recently used entry.
      ``get`` hits and ``set`` (including updates) make an entry the most recently used.
    * ``ttl`` default 300 s per entry, measured with ``clock`` (``time.monotonic``; inject one in tests).
    * ``max_bytes`` optional budget over :func:`estimate_size`; a single value larger than it is not stored.
    * Expired entries are never returned. They are reclaimed when read, when they reach the LRU end, by a rolling
      sweep (32 keys every 16 writes: a full pass over n entries every n/2 writes) and fully by ``purge_expired()``
      and ``stats()``. No background thread or task.
    * Values are stored by reference: do not mutate what you put in or get out.
    * ``get_sync``/``set_sync`` are the same operations without the coroutine, for synchronous callers.
    * Latency is sampled: one operation in 32 is timed into ``counters.get_latency``/``set_latency``.
    """

    def __init__(
        self,
        *,
        max_size: int = 1000,
        ttl: float = 300.0,
        max_bytes: int | None = None,
        ttl_jitter: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sizeof: Callable[[str, Any], int] = estimate_size,
        rng: random.Random | None = None,
        name: str = "memory",
    ) -> None:
        super().__init__(ttl=ttl, ttl_jitter=ttl_jitter, rng=rng)
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
            raise ValueError(f"memory cache max_size must be an integer >= 1, got {max_size!r}")
        if max_bytes is not None and (isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1):
            raise ValueError(f"memory cache max_bytes must be None or an integer >= 1, got {max_bytes!r}")
        self.name = name
        self.max_size = max_size
        self.max_bytes = max_bytes
        self._clock = clock
        self._sizeof = sizeof
        self._data: OrderedDict[str, _Entry] = OrderedDict()
        self._bytes = 0
        self._ticks = 0
        self._writes = 0
        self._sweep_keys: Iterator[str] | None = None

    def __len__(self) -> int:
        """Entries held, including expired ones not reclaimed yet (``stats().size`` excludes them)."""
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        entry = self._data.get(key) if isinstance(key, str) else None
        return entry is not None and entry[1] > self._clock()

    # -- synchronous core -------------------------------------------------------------------------------------------

    def get_sync(self, key: str, default: Any = None) -> Any:
        self._ticks += 1
        if self._ticks & _SAMPLE_MASK:
            return self._get(key, default)
        start = time.perf_counter()
        value = self._get(key, default)
        self.counters.get_latency.observe(time.perf_counter() - start)
        return value

    def _get(self, key: str, default: Any) -> Any:
        entry = self._data.get(key)
        if entry is None:
            self.counters.misses += 1
            return default
        if entry[1] <= self._clock():
            del self._data[key]
            self._bytes -= entry[2]
            counters = self.counters
            counters.expirations += 1
            counters.misses += 1
            return default
        self._data.move_to_end(key)
        self.counters.hits += 1
        return entry[0]

    def _peek(self, key: str) -> Any:
        entry = self._data.get(key)
        return entry[0] if entry is not None and entry[1] > self._clock() else MISSING

    def set_sync(self, key: str, value: Any, ttl: float | None = None) -> None:
        self._ticks += 1
        if self._ticks & _SAMPLE_MASK:
            self._set(key, value, ttl)
            return
        start = time.perf_counter()
        self._set(key, value, ttl)
        self.counters.set_latency.observe(time.perf_counter() - start)

    def _set(self, key: str, value: Any, ttl: float | None) -> None:
        if ttl is None:
            ttl = self.default_ttl
        elif not ttl > 0:
            check_ttl(ttl)
        data = self._data
        old = data.pop(key, None)
        size = 0
        if self.max_bytes is not None:
            if old is not None:
                self._bytes -= old[2]
            size = self._sizeof(key, value)
            if size > self.max_bytes:
                self.counters.evictions += 1
                return
            self._bytes += size
        data[key] = (value, self._clock() + ttl, size)
        self.counters.sets += 1
        if len(data) > self.max_size or (self.max_bytes is not None and self._bytes > self.max_bytes):
            self._shrink()
        self._writes += 1
        if not self._writes & _SWEEP_EVERY_MASK:
            self._sweep()

    def _shrink(self) -> None:
        data = self._data
        counters = self.counters
        now = self._clock()
        limit = self.max_bytes
        while data and (len(data) > self.max_size or (limit is not None and self._bytes > limit)):
            _, entry = data.popitem(last=False)
            self._bytes -= entry[2]
            if entry[1] <= now:
                counters.expirations += 1
            else:
                counters.evictions += 1

    def _sweep(self) -> None:
        keys = self._sweep_keys
        if keys is None:
            keys = self._sweep_keys = iter(list(self._data))
        data = self._data
        now = self._clock()
        for _ in range(_SWEEP_BATCH):
            key = next(keys, None)
            if key is None:
                self._sweep_keys = None
                return
            entry = data.get(key)
            if entry is not None and entry[1] <= now:
                del data[key]
                self._bytes -= entry[2]
                self.counters.expirations += 1

    def purge_expired(self) -> int:
        """Reclaim every expired entry now (O(n)); returns how many."""
        now = self._clock()
        expired = [key for key, entry in self._data.items() if entry[1] <= now]
        for key in expired:
            self._bytes -= self._data.pop(key)[2]
        self.counters.expirations += len(expired)
        return len(expired)

    def delete_sync(self, key: str) -> bool:
        entry = self._data.pop(key, None)
        if entry is None:
            return False
        self._bytes -= entry[2]
        self.counters.deletes += 1
        return True

    def invalidate_sync(self, namespace: str) -> int:
        """Drop every key of ``namespace``: O(n) over the entries, acceptable as invalidations follow writes."""
        doomed = [key for key in self._data if namespace_of(key) == namespace]
        for key in doomed:
            self._bytes -= self._data.pop(key)[2]
        self.counters.deletes += len(doomed)
        return len(doomed)

    def clear_sync(self) -> None:
        self.counters.deletes += len(self._data)
        self._data.clear()
        self._bytes = 0
        self._sweep_keys = None

    def remaining_ttl(self, key: str) -> float | None:
        """Seconds until ``key`` expires, or ``None`` when absent or expired (does not touch recency)."""
        entry = self._data.get(key)
        if entry is None:
            return None
        remaining = entry[1] - self._clock()
        return remaining if remaining > 0 else None

    # -- Cache protocol -----------------------------------------------------------------------------------------------

    async def get(self, key: str, default: Any = None) -> Any:
        return self.get_sync(key, default)

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key in keys:
            value = self._get(key, MISSING)
            if value is not MISSING:
                found[key] = value
        return found

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        if self._flights.pending:
            self._flights.mark_stale(key)
        self.set_sync(key, value, ttl)

    async def set_many(self, items: Mapping[str, Any], ttl: float | None = None) -> None:
        for key, value in items.items():
            await self.set(key, value, ttl)

    async def delete(self, key: str) -> None:
        self._flights.mark_stale(key)
        self.delete_sync(key)

    async def delete_many(self, keys: Iterable[str]) -> None:
        for key in keys:
            await self.delete(key)

    async def invalidate(self, namespace: str) -> None:
        check_namespace(namespace)
        self._flights.mark_namespace_stale(namespace)
        self.invalidate_sync(namespace)
        self.counters.invalidations += 1

    async def clear(self) -> None:
        self._flights.mark_all_stale()
        self.clear_sync()

    def stats(self) -> CacheStats:
        self.purge_expired()
        return self.counters.snapshot(
            self.name,
            size=len(self._data),
            size_bytes=self._bytes if self.max_bytes is not None else None,
        )
