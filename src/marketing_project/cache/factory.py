"""Build the cache the settings ask for: disabled, in-process only, or in-process in front of Redis."""

from __future__ import annotations

from marketing_project.cache.memory import MemoryCache
from marketing_project.cache.null import NullCache
from marketing_project.cache.protocol import Cache
from marketing_project.cache.redis import RedisCache
from marketing_project.cache.tiered import TieredCache


def build_cache(
    enabled: bool = True,
    ttl: float = 300.0,
    max_size: int = 1000,
    max_bytes: int | None = None,
    redis_url: str | None = None,
    redis_max_connections: int = 20,
    *,
    local_ttl: float = 30.0,
    ttl_jitter: float = 0.1,
    key_prefix: str = "mp",
    schema_version: int = 1,
    socket_timeout: float = 0.5,
    connect_timeout: float = 0.5,
    breaker_cooldown: float = 1.5,
    client_name: str = "marketing_project.cache",
) -> Cache:
    """``NullCache`` when disabled; ``MemoryCache`` without ``redis_url``; else ``TieredCache`` (memory + Redis).

    ``ttl`` is the default entry TTL. In the tiered cache the memory tier keeps copies at most ``local_ttl``
    (capped at ``ttl``), which bounds how stale a replica can be when it cannot hear the others (see TieredCache).
    Bump ``schema_version`` when the shape of cached values changes: old entries are then simply never read.
    Raises ``ValueError`` for invalid settings; never connects (Redis is reached lazily).
    """
    if not enabled:
        return NullCache()
    if redis_url is None:
        return MemoryCache(max_size=max_size, ttl=ttl, max_bytes=max_bytes, ttl_jitter=ttl_jitter)
    memory = MemoryCache(max_size=max_size, ttl=min(ttl, local_ttl), max_bytes=max_bytes, name="memory")
    redis = RedisCache(
        redis_url,
        prefix=key_prefix,
        schema_version=schema_version,
        ttl=ttl,
        max_connections=redis_max_connections,
        socket_timeout=socket_timeout,
        connect_timeout=connect_timeout,
        breaker_cooldown=breaker_cooldown,
        publish_invalidations=True,
        client_name=client_name,
    )
    return TieredCache(memory, redis, ttl_jitter=ttl_jitter)
