"""get_or_set: one computation per key under concurrency, error propagation, staleness, jitter."""

from __future__ import annotations

import asyncio
import random

import pytest

from marketing_project.cache import MemoryCache, NullCache
from tests.cache.cache_support import FakeClock


class Boom(Exception):
    pass


async def test_fifty_concurrent_misses_compute_once(clock: FakeClock) -> None:
    cache = MemoryCache(clock=clock)
    calls = 0
    release = asyncio.Event()

    async def compute() -> dict[str, int]:
        nonlocal calls
        calls += 1
        await release.wait()
        return {"answer": 42}

    callers = [asyncio.create_task(cache.get_or_set("k", compute)) for _ in range(50)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*callers)
    assert calls == 1
    assert all(result == {"answer": 42} for result in results)
    assert cache.counters.coalesced == 49
    assert await cache.get("k") == {"answer": 42}
    assert await cache.get_or_set("k", compute) == {"answer": 42}
    assert calls == 1


async def test_an_exception_reaches_every_waiter_and_nothing_is_cached(clock: FakeClock) -> None:
    cache = MemoryCache(clock=clock)
    calls = 0
    release = asyncio.Event()

    async def fail() -> int:
        nonlocal calls
        calls += 1
        await release.wait()
        raise Boom("no")

    callers = [asyncio.create_task(cache.get_or_set("k", fail)) for _ in range(50)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*callers, return_exceptions=True)
    assert calls == 1
    assert all(isinstance(result, Boom) for result in results)
    assert "k" not in cache

    async def succeed() -> int:
        return 7

    assert await cache.get_or_set("k", succeed) == 7


async def test_a_cancelled_caller_does_not_cancel_the_computation_for_others(clock: FakeClock) -> None:
    cache = MemoryCache(clock=clock)
    release = asyncio.Event()

    async def compute() -> str:
        await release.wait()
        return "done"

    first = asyncio.create_task(cache.get_or_set("k", compute))
    second = asyncio.create_task(cache.get_or_set("k", compute))
    await asyncio.sleep(0)
    first.cancel()
    await asyncio.sleep(0)
    release.set()
    assert await second == "done"
    assert first.cancelled()
    assert await cache.get("k") == "done"


async def test_a_write_during_the_computation_wins_over_its_result(clock: FakeClock) -> None:
    cache = MemoryCache(clock=clock)
    release = asyncio.Event()

    async def compute() -> str:
        await release.wait()
        return "computed from old data"

    task = asyncio.create_task(cache.get_or_set("k", compute))
    await asyncio.sleep(0)
    await cache.set("k", "fresh")
    release.set()
    assert await task == "computed from old data"
    assert await cache.get("k") == "fresh"


@pytest.mark.parametrize("invalidation", ["delete", "invalidate", "clear"])
async def test_an_invalidation_during_the_computation_keeps_its_result_out(clock: FakeClock, invalidation: str) -> None:
    cache = MemoryCache(clock=clock)
    release = asyncio.Event()

    async def compute() -> str:
        await release.wait()
        return "stale"

    task = asyncio.create_task(cache.get_or_set("content:1", compute))
    await asyncio.sleep(0)
    if invalidation == "delete":
        await cache.delete("content:1")
    elif invalidation == "invalidate":
        await cache.invalidate("content")
    else:
        await cache.clear()
    release.set()
    assert await task == "stale"
    assert "content:1" not in cache


async def test_jitter_only_shortens_the_ttl(clock: FakeClock) -> None:
    cache = MemoryCache(clock=clock, rng=random.Random(1))

    async def compute() -> int:
        return 1

    remaining = []
    for i in range(50):
        await cache.get_or_set(f"k{i}", compute, ttl=100, jitter=0.5)
        remaining.append(cache.remaining_ttl(f"k{i}"))
    assert all(r is not None and 50 <= r <= 100 for r in remaining)
    assert len(set(remaining)) > 1
    await cache.get_or_set("exact", compute, ttl=100, jitter=0)
    assert cache.remaining_ttl("exact") == 100


async def test_default_jitter_comes_from_the_cache(clock: FakeClock) -> None:
    cache = MemoryCache(clock=clock, ttl=100, ttl_jitter=0.2, rng=random.Random(3))

    async def compute() -> int:
        return 1

    await cache.get_or_set("k", compute)
    remaining = cache.remaining_ttl("k")
    assert remaining is not None and 80 <= remaining < 100
    with pytest.raises(ValueError, match="jitter must be in"):
        await cache.get_or_set("j", compute, jitter=1.5)


async def test_null_cache_always_computes_and_never_stores() -> None:
    cache = NullCache()
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        return calls

    await cache.set("k", 1)
    assert await cache.get("k") is None
    assert await cache.get_many(["k", "j"]) == {}
    assert await cache.get_or_set("k", compute) == 1
    assert await cache.get_or_set("k", compute) == 2
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.size) == (0, 5, 0)


async def test_a_caller_whose_lookup_outlived_the_computation_takes_its_result(clock: FakeClock) -> None:
    cache = MemoryCache(clock=clock)
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        return calls

    lookup = cache._lookup

    async def slow_lookup(key: str) -> tuple[object, object]:
        result = await lookup(key)  # a miss, like a Redis round trip that returns after the value was stored
        cache._lookup = lookup  # type: ignore[method-assign]
        assert await cache.get_or_set(key, compute) == 1  # a second caller computes and stores meanwhile
        return result

    cache._lookup = slow_lookup  # type: ignore[method-assign]
    assert await cache.get_or_set("k", compute) == 1
    assert calls == 1
