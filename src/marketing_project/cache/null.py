"""The cache used when caching is disabled: stores nothing, every lookup misses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from marketing_project.cache.keys import check_namespace
from marketing_project.cache.stats import CacheCounters, CacheStats

T = TypeVar("T")


class NullCache:
    """``get`` always misses, writes are dropped, ``get_or_set`` simply awaits the factory (no coalescing: with
    caching off, every request does its own work, exactly as without a cache). Counts misses so dashboards work."""

    def __init__(self, name: str = "null") -> None:
        self.name = name
        self.counters = CacheCounters()

    async def get(self, key: str, default: Any = None) -> Any:
        self.counters.misses += 1
        return default

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        self.counters.misses += sum(1 for _ in keys)
        return {}

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        return None

    async def set_many(self, items: Mapping[str, Any], ttl: float | None = None) -> None:
        return None

    async def delete(self, key: str) -> None:
        return None

    async def delete_many(self, keys: Iterable[str]) -> None:
        return None

    async def invalidate(self, namespace: str) -> None:
        check_namespace(namespace)

    async def clear(self) -> None:
        return None

    async def get_or_set(self, key: str, factory: Callable[[], Awaitable[T]], ttl: float | None = None) -> T:
        self.counters.misses += 1
        return await factory()

    def stats(self) -> CacheStats:
        return self.counters.snapshot(self.name, size=0)

    async def close(self) -> None:
        return None
