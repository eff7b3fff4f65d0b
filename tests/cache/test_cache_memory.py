"""MemoryCache: LRU order, TTL, size limits, namespaces and statistics."""

from __future__ import annotations

import math

import pytest

from marketing_project.cache import MISSING, MemoryCache
from marketing_project.cache.memory import estimate_size
from tests.cache.cache_support import FakeClock


def make(clock: FakeClock, **options: object) -> MemoryCache:
    return MemoryCache(clock=clock, **options)  # type: ignore[arg-type]


async def test_miss_returns_default_and_hit_returns_value(clock: FakeClock) -> None:
    cache = make(clock)
    assert await cache.get("a") is None
    assert await cache.get("a", "fallback") == "fallback"
    await cache.set("a", {"x": 1})
    assert await cache.get("a") == {"x": 1}


async def test_none_is_storable_and_told_apart_with_missing(clock: FakeClock) -> None:
    cache = make(clock)
    await cache.set("n", None)
    assert await cache.get("n", MISSING) is None
    assert await cache.get("absent", MISSING) is MISSING


async def test_least_recently_used_is_evicted_and_a_read_refreshes_recency(clock: FakeClock) -> None:
    cache = make(clock, max_size=3)
    for key in "abc":
        await cache.set(key, key)
    assert await cache.get("a") == "a"
    await cache.set("d", "d")
    assert await cache.get("b") is None
    assert {key for key in "acd" if key in cache} == {"a", "c", "d"}
    assert cache.stats().evictions == 1


async def test_an_update_refreshes_recency(clock: FakeClock) -> None:
    cache = make(clock, max_size=3)
    for key in "abc":
        await cache.set(key, 1)
    await cache.set("a", 2)
    await cache.set("d", 1)
    assert await cache.get("a") == 2
    assert "b" not in cache
    assert len(cache) == 3


async def test_entries_expire_at_their_ttl(clock: FakeClock) -> None:
    cache = make(clock, ttl=10)
    await cache.set("a", 1)
    await cache.set("b", 1, ttl=20)
    clock.advance(9.999)
    assert await cache.get("a") == 1
    clock.advance(0.001)
    assert await cache.get("a") is None
    assert await cache.get("b") == 1
    clock.advance(10)
    assert await cache.get("b") is None
    stats = cache.stats()
    assert (stats.expirations, stats.misses, stats.size) == (2, 2, 0)


async def test_a_read_does_not_extend_the_ttl(clock: FakeClock) -> None:
    cache = make(clock, ttl=10)
    await cache.set("a", 1)
    clock.advance(6)
    assert await cache.get("a") == 1
    clock.advance(6)
    assert await cache.get("a") is None


async def test_expired_entries_are_reclaimed_without_being_read(clock: FakeClock) -> None:
    cache = make(clock, ttl=1, max_size=1000)
    for i in range(100):
        await cache.set(f"old{i}", i)
    clock.advance(2)
    for i in range(200):
        await cache.set("fresh", i)
    assert len(cache) == 1
    assert cache.counters.expirations == 100


async def test_expired_entries_at_the_lru_end_count_as_expirations_not_evictions(clock: FakeClock) -> None:
    cache = make(clock, max_size=2)
    await cache.set("a", 1, ttl=1)
    await cache.set("b", 1, ttl=100)
    clock.advance(5)
    await cache.set("c", 1)
    assert (cache.counters.expirations, cache.counters.evictions) == (1, 0)
    assert "b" in cache and "c" in cache


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_size": 0}, "max_size must be an integer >= 1, got 0"),
        ({"max_size": -5}, "max_size must be an integer >= 1"),
        ({"max_size": 2.5}, "max_size must be an integer"),
        ({"ttl": -1}, "ttl must be a positive number of seconds, got -1"),
        ({"ttl": 0}, "ttl must be a positive"),
        ({"ttl": math.nan}, "ttl must be a positive"),
        ({"max_bytes": 0}, "max_bytes must be None or an integer >= 1, got 0"),
        ({"ttl_jitter": 1.0}, "ttl_jitter must be in"),
    ],
)
def test_invalid_settings_are_rejected_with_a_clear_message(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("[", r"\[")):
        MemoryCache(**options)  # type: ignore[arg-type]


async def test_invalid_ttl_on_set_is_rejected(clock: FakeClock) -> None:
    cache = make(clock)
    with pytest.raises(ValueError, match="ttl must be a positive number of seconds, got -3"):
        await cache.set("a", 1, ttl=-3)
    assert "a" not in cache


async def test_max_bytes_evicts_by_estimated_size(clock: FakeClock) -> None:
    cache = make(clock, max_size=100, max_bytes=30)
    await cache.set("a", "x" * 9)  # 1 + 9 = 10 bytes
    await cache.set("b", "x" * 9)
    await cache.set("c", "x" * 9)
    assert cache.stats().size_bytes == 30
    await cache.set("d", "x" * 9)
    assert "a" not in cache
    assert cache.stats().size_bytes == 30
    assert cache.counters.evictions == 1
    await cache.set("huge", "x" * 100)
    assert "huge" not in cache
    assert len(cache) == 3


def test_size_estimate_is_key_plus_serialised_value() -> None:
    assert estimate_size("k", b"abc") == 4
    assert estimate_size("k", {"a": [1, 2]}) == 1 + len('{"a":[1,2]}')
    assert estimate_size("k", object()) > 1


async def test_invalidate_drops_exactly_the_namespace(clock: FakeClock) -> None:
    cache = make(clock)
    for key in ("content:1", "content:list:2", "content", "contentx:3", "other:1"):
        await cache.set(key, key)
    await cache.invalidate("content")
    assert sorted(await cache.get_many(["content:1", "content:list:2", "content", "contentx:3", "other:1"])) == [
        "contentx:3",
        "other:1",
    ]
    assert cache.counters.invalidations == 1
    with pytest.raises(ValueError, match="contain no ':'"):
        await cache.invalidate("content:list")


async def test_get_many_returns_only_found_keys(clock: FakeClock) -> None:
    cache = make(clock)
    await cache.set_many({"a": 1, "b": None})
    assert await cache.get_many(["a", "b", "c"]) == {"a": 1, "b": None}


async def test_delete_and_clear(clock: FakeClock) -> None:
    cache = make(clock)
    await cache.set_many({"a": 1, "b": 2, "c": 3})
    await cache.delete("a")
    await cache.delete("missing")
    assert "a" not in cache
    await cache.delete_many(["b"])
    assert len(cache) == 1
    await cache.clear()
    assert len(cache) == 0
    assert cache.counters.deletes == 3


async def test_stats_arithmetic_and_export(clock: FakeClock) -> None:
    cache = make(clock, name="local")
    await cache.set("a", 1)
    for _ in range(3):
        await cache.get("a")
    await cache.get("b")
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.sets, stats.size) == (3, 1, 1, 1)
    assert stats.hit_rate == 0.75
    assert stats.miss_rate == 0.25
    assert stats.size_bytes is None
    exported = stats.to_dict()
    assert exported["name"] == "local"
    assert exported["hit_rate"] == 0.75
    assert exported["get_latency"]["count"] == stats.get_latency.count
    assert exported["tiers"] == []
    with pytest.raises(AttributeError):
        stats.hits = 0  # type: ignore[misc]


async def test_latency_is_sampled_into_the_histograms(clock: FakeClock) -> None:
    cache = make(clock)
    for i in range(64):
        await cache.set(str(i), i)
    for i in range(64):
        await cache.get(str(i))
    stats = cache.stats()
    # 128 operations, one timed in 32, whatever their split between gets and sets
    assert stats.get_latency.count + stats.set_latency.count == 4
    assert stats.get_latency.count >= 1
    assert stats.get_latency.mean > 0
    assert stats.get_latency.p95 <= stats.get_latency.max


async def test_empty_stats_have_zero_rates(clock: FakeClock) -> None:
    stats = make(clock).stats()
    assert (stats.hit_rate, stats.miss_rate, stats.get_latency.mean, stats.get_latency.p95) == (0.0, 0.0, 0.0, 0.0)
