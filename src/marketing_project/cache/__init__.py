"""Cache layer: in-process LRU+TTL, shared Redis, both tiered with cross-replica invalidation.

Start from :func:`build_cache` and the :class:`Cache` protocol; build keys with :func:`make_key`.
"""

from __future__ import annotations

from marketing_project.cache.factory import build_cache
from marketing_project.cache.keys import make_key, namespace_of
from marketing_project.cache.memory import MemoryCache
from marketing_project.cache.null import NullCache
from marketing_project.cache.protocol import MISSING, Cache, Missing
from marketing_project.cache.redis import RedisCache
from marketing_project.cache.stats import CacheCounters, CacheStats, LatencyHistogram, LatencyStats
from marketing_project.cache.tiered import TieredCache

__all__ = [
    "MISSING",
    "Cache",
    "CacheCounters",
    "CacheStats",
    "LatencyHistogram",
    "LatencyStats",
    "MemoryCache",
    "Missing",
    "NullCache",
    "RedisCache",
    "TieredCache",
    "build_cache",
    "make_key",
    "namespace_of",
]
