"""Behaviour shared by the real cache tiers: TTL validation, jitter and single-flight ``get_or_set``."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

from marketing_project.cache.protocol import MISSING
from marketing_project.cache.singleflight import Flight, SingleFlight
from marketing_project.cache.stats import CacheCounters, CacheStats

T = TypeVar("T")


def check_ttl(ttl: float, what: str = "ttl") -> float:
    if not ttl > 0:  # also rejects NaN
        raise ValueError(f"cache {what} must be a positive number of seconds, got {ttl!r}")
    return float(ttl)


class BaseCache:
    """Base of MemoryCache, RedisCache and TieredCache.

    ``ttl_jitter`` (0 <= j < 1) shortens the TTL of values stored by ``get_or_set`` by a random fraction up to
    ``j``, so entries computed together do not all expire (and get recomputed) together. It never lengthens a TTL.
    Subclasses implement the primitive operations and may refine ``_lookup``/``_store``, which ``get_or_set`` uses
    so a tier can carry state (e.g. the Redis namespace generation seen at lookup) from the miss to the write.
    """

    name: str

    def __init__(self, *, ttl: float, ttl_jitter: float = 0.0, rng: random.Random | None = None) -> None:
        self.default_ttl = check_ttl(ttl)
        if not 0.0 <= ttl_jitter < 1.0:
            raise ValueError(f"cache ttl_jitter must be in [0, 1), got {ttl_jitter!r}")
        self.ttl_jitter = ttl_jitter
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self.counters = CacheCounters()
        self._flights = SingleFlight()

    def _resolve_ttl(self, ttl: float | None) -> float:
        return self.default_ttl if ttl is None else check_ttl(ttl)

    async def get(self, key: str, default: Any = None) -> Any:
        raise NotImplementedError

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        raise NotImplementedError

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        raise NotImplementedError

    async def set_many(self, items: Mapping[str, Any], ttl: float | None = None) -> None:
        raise NotImplementedError

    async def delete(self, key: str) -> None:
        raise NotImplementedError

    async def delete_many(self, keys: Iterable[str]) -> None:
        raise NotImplementedError

    async def invalidate(self, namespace: str) -> None:
        raise NotImplementedError

    async def clear(self) -> None:
        raise NotImplementedError

    def stats(self) -> CacheStats:
        raise NotImplementedError

    async def close(self) -> None:
        return None

    async def _lookup(self, key: str) -> tuple[Any, object]:
        return await self.get(key, MISSING), None

    def _peek(self, key: str) -> Any:
        """The value if it can be known without I/O and without touching statistics, else MISSING."""
        return MISSING

    async def _store(self, key: str, value: Any, ttl: float, token: object) -> None:
        await self.set(key, value, ttl)

    async def get_or_set(
        self,
        key: str,
        factory: Callable[[], Awaitable[T]],
        ttl: float | None = None,
        *,
        jitter: float | None = None,
    ) -> T:
        """Cached value of ``key`` or, on a miss, ``await factory()`` cached for ``ttl`` (minus jitter).

        Concurrent callers for the same key while it is being computed wait for that one computation. If it raises,
        every waiter gets the exception and nothing is cached. The returned value is whatever the cache holds: from
        Redis that is the JSON round trip of what ``factory`` returned (tuples come back as lists).
        """
        resolved = self._resolve_ttl(ttl)
        fraction = self.ttl_jitter if jitter is None else jitter
        if fraction:
            if not 0.0 <= fraction < 1.0:
                raise ValueError(f"cache jitter must be in [0, 1), got {fraction!r}")
            resolved *= 1.0 - fraction * self._rng.random()
        flight = self._flights.pending.get(key)
        if flight is None:
            value, token = await self._lookup(key)
            if value is not MISSING:
                return cast(T, value)
            # While our lookup awaited the network, another caller may have started computing, or even finished.
            flight = self._flights.pending.get(key)
            if flight is None:
                value = self._peek(key)
                if value is not MISSING:
                    return cast(T, value)

                async def fill(current: Flight) -> T:
                    computed = await factory()
                    if not current.stale:
                        await self._store(key, computed, resolved, token)
                    return computed

                flight = self._flights.start(key, fill)
            else:
                self.counters.coalesced += 1
        else:
            self.counters.coalesced += 1
        return cast(T, await flight.wait())
