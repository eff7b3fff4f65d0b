"""The one interface every cache tier implements, and the ``MISSING`` marker for "not cached"."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Final, Protocol, TypeVar, runtime_checkable

from marketing_project.cache.stats import CacheStats

T = TypeVar("T")


class Missing(enum.Enum):
    """Type of :data:`MISSING`; an enum so ``value is MISSING`` narrows the type for mypy."""

    MISSING = "MISSING"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing.MISSING
"""Pass as ``default`` to :meth:`Cache.get` to tell a cached ``None`` from a miss."""


@runtime_checkable
class Cache(Protocol):
    """An async key/value cache with per-entry TTLs.

    Misses: ``get(key)`` returns ``default`` (``None`` unless given). ``None`` is a storable value, so callers that
    cache ``None`` pass ``default=MISSING`` and test ``value is MISSING``. ``get_many`` returns only the keys found.

    Namespaces: the namespace of a key is the text before its first ``":"`` (``make_key`` builds such keys).
    ``invalidate(namespace)`` drops every key of that namespace at O(1) cost in Redis and on every replica.

    Failures of a remote tier never reach the caller: a failed read is a miss, a failed write a no-op; they are
    counted in ``stats().errors``. Programming errors (bad TTL, bad namespace) raise ``ValueError``.
    """

    async def get(self, key: str, default: Any = None) -> Any:
        """The cached value of ``key``, or ``default`` when absent or expired."""
        ...

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The cached values of ``keys``; absent keys are left out."""
        ...

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        """Store ``value`` for ``ttl`` seconds (the cache's default TTL when ``None``)."""
        ...

    async def set_many(self, items: Mapping[str, Any], ttl: float | None = None) -> None:
        """Store several values with one TTL."""
        ...

    async def delete(self, key: str) -> None:
        """Remove ``key`` if present."""
        ...

    async def delete_many(self, keys: Iterable[str]) -> None:
        """Remove every key in ``keys``."""
        ...

    async def invalidate(self, namespace: str) -> None:
        """Make every key of ``namespace`` a miss from now on (e.g. all list pages of content)."""
        ...

    async def clear(self) -> None:
        """Remove everything this cache owns."""
        ...

    async def get_or_set(self, key: str, factory: Callable[[], Awaitable[T]], ttl: float | None = None) -> T:
        """The cached value, or ``await factory()`` stored for ``ttl``; concurrent misses share one call."""
        ...

    def stats(self) -> CacheStats:
        """A snapshot of this cache's counters (and of each tier's, for a tiered cache)."""
        ...

    async def close(self) -> None:
        """Release connections and background tasks."""
        ...
