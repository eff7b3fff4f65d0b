"""TieredCache: memory in front of Redis, coherent across replicas sharing one Redis."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.asyncio import Redis

from marketing_project.cache import MISSING, MemoryCache, RedisCache, TieredCache
from tests.cache.cache_support import eventually
from tests.cache.conftest import RedisFactory, TieredFactory
from tests.cache.test_cache_redis import DEAD_URL, client_ids

pytestmark = pytest.mark.redis


def heard(cache: TieredCache, before: int) -> bool:
    return cache.counters.remote_invalidations > before


async def write_and_wait(writer: TieredCache, reader: TieredCache, items: dict[str, Any], ttl: float = 300) -> None:
    """Write, then wait until ``reader`` heard of it: a read overlapping the announcement would (by design) not
    be kept in its memory tier, which would make the memory assertions below depend on timing."""
    before = reader.counters.remote_invalidations
    await writer.set_many(items, ttl)
    await eventually(lambda: heard(reader, before))


async def test_a_memory_hit_does_not_reach_redis(make_tiered: TieredFactory) -> None:
    cache = await make_tiered()
    await cache.set("k", {"v": 1})
    assert await cache.get("k") == {"v": 1}
    stats = cache.stats()
    memory, redis = stats.tiers
    assert (stats.hits, memory.hits, redis.hits, redis.misses) == (1, 1, 0, 0)
    assert (memory.name, redis.name) == ("memory", "redis")


async def test_a_redis_hit_fills_memory_for_at_most_the_local_ttl(make_tiered: TieredFactory) -> None:
    writer = await make_tiered()
    reader = await make_tiered(local_ttl=5.0)
    await write_and_wait(writer, reader, {"long": 1})
    await write_and_wait(writer, reader, {"short": 2}, ttl=2)
    assert await reader.get_many(["long", "short", "absent"]) == {"long": 1, "short": 2}
    long_left, short_left = reader.memory.remaining_ttl("long"), reader.memory.remaining_ttl("short")
    assert long_left is not None and 4.0 < long_left <= 5.0
    assert short_left is not None and short_left <= 2.0
    assert reader.stats().tiers[1].hits == 2
    assert (reader.counters.hits, reader.counters.misses) == (2, 1)


async def test_a_write_on_one_replica_reaches_the_others_memory(make_tiered: TieredFactory) -> None:
    a, b = await make_tiered(), await make_tiered()
    await write_and_wait(a, b, {"content:1": "v1"})
    assert await b.get("content:1") == "v1"
    assert b.memory.remaining_ttl("content:1") is not None  # b now serves it from memory (local TTL 60 s)
    heard_before = b.counters.remote_invalidations
    await a.set("content:1", "v2")
    await eventually(lambda: heard(b, heard_before))
    assert await b.get("content:1") == "v2"
    assert a.counters.remote_invalidations == 0  # a ignores its own announcements


async def test_namespace_invalidation_reaches_the_other_replica(make_tiered: TieredFactory) -> None:
    a, b = await make_tiered(), await make_tiered()
    pages = {f"content_list:{page}": [page] for page in range(5)}
    await write_and_wait(a, b, {**pages, "content:1": "detail"})
    assert await b.get_many([*pages, "content:1"]) == {**pages, "content:1": "detail"}
    assert len(b.memory) == 6
    heard_before = b.counters.remote_invalidations
    await a.invalidate("content_list")
    # Redis already refuses the old generation; b's memory copies go when the announcement lands
    assert await b.redis.get_many(pages) == {}
    await eventually(lambda: heard(b, heard_before))
    assert await b.get_many([*pages, "content:1"]) == {"content:1": "detail"}


async def test_deletes_and_clears_reach_the_other_replica(make_tiered: TieredFactory) -> None:
    a, b = await make_tiered(), await make_tiered()
    await write_and_wait(a, b, {"x:1": 1, "x:2": 2, "y:1": 3})
    assert len(await b.get_many(["x:1", "x:2", "y:1"])) == 3
    assert len(b.memory) == 3
    heard_before = b.counters.remote_invalidations
    await a.delete("x:1")
    await eventually(lambda: heard(b, heard_before))
    assert await b.get_many(["x:1", "x:2", "y:1"]) == {"x:2": 2, "y:1": 3}
    heard_before = b.counters.remote_invalidations
    await a.clear()
    await eventually(lambda: heard(b, heard_before))
    assert len(b.memory) == 0
    assert await b.get_many(["x:2", "y:1"]) == {}


async def test_a_reply_that_raced_an_invalidation_is_not_kept_in_memory(
    make_tiered: TieredFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = await make_tiered(), await make_tiered()
    await write_and_wait(a, b, {"k": "old"})
    reply_sent, invalidation_heard = asyncio.Event(), asyncio.Event()
    fetch = b.redis.fetch

    async def slow_fetch(key: str) -> tuple[Any, bytes | None, float]:
        result = await fetch(key)
        reply_sent.set()
        await invalidation_heard.wait()
        return result

    monkeypatch.setattr(b.redis, "fetch", slow_fetch)
    reading = asyncio.create_task(b.get("k"))
    await reply_sent.wait()
    heard_before = b.counters.remote_invalidations
    await a.set("k", "new")
    await eventually(lambda: heard(b, heard_before))
    invalidation_heard.set()
    assert await reading == "old"  # it was current when read
    assert "k" not in b.memory  # but is not kept: the next read goes to Redis
    monkeypatch.undo()
    assert await b.get("k") == "new"


async def test_get_or_set_fills_both_tiers_once(make_tiered: TieredFactory) -> None:
    a, b = await make_tiered(), await make_tiered()
    calls = 0
    release = asyncio.Event()

    async def compute() -> list[int]:
        nonlocal calls
        calls += 1
        await release.wait()
        return [1, 2, 3]

    callers = [asyncio.create_task(a.get_or_set("analysis:x", compute, ttl=60)) for _ in range(50)]
    await asyncio.sleep(0.01)
    release.set()
    assert await asyncio.gather(*callers) == [[1, 2, 3]] * 50
    assert calls == 1
    assert "analysis:x" in a.memory
    assert await b.get_or_set("analysis:x", compute) == [1, 2, 3]
    assert calls == 1


async def test_a_resubscription_forgets_the_memory_tier(make_tiered: TieredFactory, raw_redis: Redis) -> None:
    name = "cachetest-resync"
    cache = await make_tiered(client_name=name)
    await cache.set("k", 1)
    assert "k" in cache.memory
    resyncs = cache.counters.resyncs
    listing = (await raw_redis.execute_command("CLIENT", "LIST", "TYPE", "pubsub")).decode()
    ids = [
        field.split("=", 1)[1]
        for line in listing.splitlines()
        if f" name={name} " in f" {line} "
        for field in line.split()
        if field.startswith("id=")
    ]
    assert len(ids) == 1
    await raw_redis.execute_command("CLIENT", "KILL", "ID", ids[0])
    await eventually(lambda: cache.counters.resyncs > resyncs and cache.listener.subscribed)
    assert "k" not in cache.memory  # announcements may have been missed while disconnected
    assert await cache.get("k") == 1
    assert not await client_ids(raw_redis, "cachetest-nonexistent")


async def test_without_redis_the_memory_tier_still_serves(make_redis: RedisFactory) -> None:
    cache = TieredCache(MemoryCache(ttl=30), make_redis(url=DEAD_URL, publish_invalidations=True), retry_delay=0.05)
    calls = 0

    async def compute() -> str:
        nonlocal calls
        calls += 1
        return "computed"

    assert not await cache.ready(within=0.2)
    assert await cache.get_or_set("k", compute) == "computed"
    assert await cache.get_or_set("k", compute) == "computed"
    assert calls == 1
    assert await cache.get("absent", MISSING) is MISSING
    stats = cache.stats()
    assert stats.tiers[1].errors >= 1
    await cache.listener.close()


def test_a_tiered_cache_needs_announcements() -> None:
    with pytest.raises(ValueError, match="publish_invalidations=True"):
        TieredCache(MemoryCache(), RedisCache(DEAD_URL))
