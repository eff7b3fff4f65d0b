"""Fixtures of the cache tests: a controllable clock and Redis-backed caches cleaned up after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from redis.asyncio import Redis

from marketing_project.cache import MemoryCache, RedisCache, TieredCache
from tests.cache.cache_support import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def raw_redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


RedisFactory = Callable[..., RedisCache]


@pytest.fixture
async def make_redis(redis_url: str, unique_prefix: str) -> AsyncIterator[RedisFactory]:
    """Build RedisCaches on the test's own prefix; their keys are deleted and connections closed afterwards."""
    made: list[RedisCache] = []

    def build(**options: Any) -> RedisCache:
        options.setdefault("prefix", unique_prefix)
        cache = RedisCache(options.pop("url", redis_url), **options)
        made.append(cache)
        return cache

    yield build
    for cache in made:
        await cache.close()
    cleaner = Redis.from_url(redis_url)
    doomed = [name async for name in cleaner.scan_iter(match=f"{unique_prefix}*", count=1000)]
    if doomed:
        await cleaner.unlink(*doomed)
    await cleaner.aclose()


TieredFactory = Callable[..., Awaitable[TieredCache]]


@pytest.fixture
async def make_tiered(make_redis: RedisFactory) -> AsyncIterator[TieredFactory]:
    """Build TieredCaches (replicas) sharing one Redis prefix, subscribed before they are returned."""
    made: list[TieredCache] = []

    async def build(local_ttl: float = 60.0, wait_ready: bool = True, **redis_options: Any) -> TieredCache:
        redis_options.setdefault("publish_invalidations", True)
        cache = TieredCache(MemoryCache(ttl=local_ttl), make_redis(**redis_options))
        made.append(cache)
        if wait_ready:
            assert await cache.ready(within=5.0)
        return cache

    yield build
    for cache in made:
        await cache.listener.close()
