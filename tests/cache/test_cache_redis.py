"""RedisCache against the real Redis: value round trips, TTLs, layout, namespace generations, failures."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from redis.asyncio import Redis

from marketing_project.cache import MISSING
from tests.cache.cache_support import FakeClock
from tests.cache.conftest import RedisFactory

pytestmark = pytest.mark.redis

DEAD_URL = "redis://127.0.0.1:1/0"


async def client_ids(raw: Redis, name: str) -> list[str]:
    listing = await raw.execute_command("CLIENT", "LIST", "TYPE", "normal")
    text = listing.decode() if isinstance(listing, bytes) else str(listing)
    return [
        field.split("=", 1)[1]
        for line in text.splitlines()
        if f" name={name} " in f" {line} "
        for field in line.split()
        if field.startswith("id=")
    ]


@pytest.mark.parametrize(
    "value",
    [
        {"title": "Café ☕", "tags": ["a", "b"], "score": 0.5, "n": 12, "ok": True, "none": None},
        [1, [2, [3]], {"deep": {"er": []}}],
        "plain text",
        0,
        -(2**63),
        3.25,
        False,
        None,
        b"\x00\xffraw bytes",
        b"",
    ],
)
async def test_values_round_trip(make_redis: RedisFactory, value: Any) -> None:
    cache = make_redis()
    await cache.set("k", value)
    assert await cache.get("k", MISSING) == value
    assert type(await cache.get("k", MISSING)) is type(value)


async def test_a_miss_is_told_apart_from_a_stored_none(make_redis: RedisFactory) -> None:
    cache = make_redis()
    await cache.set("none", None)
    assert await cache.get("none", MISSING) is None
    assert await cache.get("absent", MISSING) is MISSING
    assert await cache.get("absent", "dflt") == "dflt"


async def test_tuples_come_back_as_lists(make_redis: RedisFactory) -> None:
    cache = make_redis()
    await cache.set("t", (1, 2))
    assert await cache.get("t") == [1, 2]


async def test_key_layout_and_ttl_are_set_in_redis(
    make_redis: RedisFactory, raw_redis: Redis, unique_prefix: str
) -> None:
    cache = make_redis(ttl=120)
    await cache.set("content:1", {"a": 1}, ttl=30)
    await cache.set("content:2", {"a": 2})
    assert cache.redis_key("content:1") == f"{unique_prefix}:v1:content:1"
    assert 29_000 < await raw_redis.pttl(f"{unique_prefix}:v1:content:1") <= 30_000
    assert 119_000 < await raw_redis.pttl(f"{unique_prefix}:v1:content:2") <= 120_000
    assert await raw_redis.ttl(f"{unique_prefix}:v1#gen:content") == -1  # generations never expire


async def test_sub_millisecond_ttls_still_expire(make_redis: RedisFactory, raw_redis: Redis) -> None:
    cache = make_redis()
    await cache.set("k", 1, ttl=0.0001)
    assert await raw_redis.pttl(cache.redis_key("k")) in (-2, 0, 1)


async def test_a_new_schema_version_does_not_read_old_entries(make_redis: RedisFactory) -> None:
    old = make_redis(schema_version=1)
    new = make_redis(schema_version=2)
    await old.set("k", {"shape": "old"})
    assert await new.get("k") is None
    await new.set("k", {"shape": "new"})
    assert await old.get("k") == {"shape": "old"}


async def test_invalidating_a_namespace_is_immediate_on_another_instance(make_redis: RedisFactory) -> None:
    writer, reader = make_redis(), make_redis()
    await writer.set_many({"content:list:1": [1], "content:list:2": [2], "other:1": "kept"})
    assert await reader.get_many(["content:list:1", "content:list:2", "other:1"]) == {
        "content:list:1": [1],
        "content:list:2": [2],
        "other:1": "kept",
    }
    await writer.invalidate("content")
    assert await reader.get_many(["content:list:1", "content:list:2", "other:1"]) == {"other:1": "kept"}
    await reader.set("content:list:1", [10])
    assert await writer.get("content:list:1") == [10]
    assert writer.counters.invalidations == 1


async def test_a_value_computed_across_an_invalidation_is_not_stored(make_redis: RedisFactory) -> None:
    cache, other_replica = make_redis(), make_redis()
    await cache.set("content:seed", 1)

    async def compute() -> str:
        await other_replica.invalidate("content")  # data changed while we computed
        return "built from old data"

    assert await cache.get_or_set("content:list:1", compute) == "built from old data"
    assert await cache.get("content:list:1") is None
    assert await cache.get_or_set("content:list:1", _constant("fresh")) == "fresh"
    assert await other_replica.get("content:list:1") == "fresh"


def _constant(value: Any) -> Any:
    async def compute() -> Any:
        return value

    return compute


async def test_losing_the_generation_key_turns_the_namespace_into_misses(
    make_redis: RedisFactory, raw_redis: Redis
) -> None:
    cache = make_redis()
    await cache.set("content:1", "v")
    await raw_redis.delete(cache.generation_key("content"))
    assert await cache.get("content:1") is None
    await cache.set("content:1", "w")
    assert await cache.get("content:1") == "w"


async def test_get_many_is_one_round_trip(make_redis: RedisFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = make_redis()
    await cache.set_many({f"ns{i % 3}:{i}": i for i in range(10)})
    commands: list[str] = []
    original = cache.client.execute_command

    async def counting(*args: Any, **options: Any) -> Any:
        commands.append(str(args[0]))
        return await original(*args, **options)

    monkeypatch.setattr(cache.client, "execute_command", counting)
    found = await cache.get_many([f"ns{i % 3}:{i}" for i in range(12)])
    assert found == {f"ns{i % 3}:{i}": i for i in range(10)}
    assert commands == ["MGET"]
    commands.clear()
    assert await cache.get("ns1:1") == 1
    assert commands == ["MGET"]


async def test_delete_and_clear_touch_only_our_keys(make_redis: RedisFactory, raw_redis: Redis) -> None:
    cache = make_redis()
    neighbour = make_redis(prefix=f"{cache.prefix}x")
    await cache.set_many({"a:1": 1, "a:2": 2, "b:1": 3})
    await neighbour.set("a:1", "theirs")
    await cache.delete("a:1")
    await cache.delete_many(["a:2", "never"])
    assert await cache.get_many(["a:1", "a:2", "b:1"]) == {"b:1": 3}
    assert cache.counters.deletes == 2
    await cache.clear()
    assert await cache.get("b:1") is None
    assert await raw_redis.exists(cache.generation_key("b")) == 0
    assert await neighbour.get("a:1") == "theirs"


async def test_an_unserialisable_value_is_not_stored_and_does_not_raise(make_redis: RedisFactory) -> None:
    cache = make_redis()
    await cache.set("k", {1, 2, 3})
    assert await cache.get("k") is None
    assert cache.counters.errors == 1


async def test_a_corrupt_entry_is_a_miss(make_redis: RedisFactory, raw_redis: Redis) -> None:
    cache = make_redis()
    await cache.set("k", "good")
    generation = await raw_redis.get(cache.generation_key("k"))
    assert generation is not None
    await raw_redis.set(cache.redis_key("k"), generation + b"garbage")
    assert await cache.get("k", MISSING) is MISSING
    assert cache.counters.errors == 1


async def test_stats_count_redis_operations(make_redis: RedisFactory) -> None:
    cache = make_redis()
    await cache.set("k", 1)
    await cache.get("k")
    await cache.get("j")
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.sets, stats.errors, stats.size) == (1, 1, 1, 0, None)
    assert stats.get_latency.count == 2 and stats.set_latency.count == 1
    assert 0 < stats.get_latency.mean <= stats.get_latency.max


async def test_a_dead_redis_never_raises_and_is_skipped_during_the_cooldown(
    make_redis: RedisFactory, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    cache = make_redis(url=DEAD_URL, clock=clock, breaker_cooldown=2.0)
    calls = 0

    async def compute() -> dict[str, int]:
        nonlocal calls
        calls += 1
        return {"computed": calls}

    with caplog.at_level(logging.WARNING, logger="marketing_project.cache"):
        assert await cache.get_or_set("k", compute) == {"computed": 1}
        assert cache.counters.errors == 1
        assert await cache.get("k", "miss") == "miss"
        await cache.set("k", 1)
        await cache.delete("k")
        await cache.invalidate("k")
        await cache.clear()
        assert await cache.get_many(["a", "b"]) == {}
        assert await cache.get_or_set("k", compute) == {"computed": 2}
        assert cache.counters.errors == 1  # everything after the first failure skipped Redis
        assert cache.counters.skipped == 9  # 7 calls + the 2 writes after computing
        clock.advance(2.0)
        assert await cache.get("k") is None
        assert cache.counters.errors == 2
    assert len([r for r in caplog.records if r.name == "marketing_project.cache"]) == 1
    assert cache.stats().misses == 6


async def test_a_slow_redis_times_out_into_a_miss(make_redis: RedisFactory) -> None:
    finished = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1 << 16)
        await finished.wait()  # never answers while the client waits
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        cache = make_redis(url=f"redis://127.0.0.1:{port}/0", socket_timeout=0.05, connect_timeout=0.05)
        assert await cache.get_or_set("k", _constant("computed")) == "computed"
        assert cache.counters.errors == 1
        assert cache.breaker.is_open
    finally:
        finished.set()
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize("retries", [1, 0])
async def test_a_connection_killed_by_the_server_is_recovered(
    make_redis: RedisFactory, raw_redis: Redis, unique_prefix: str, clock: FakeClock, retries: int
) -> None:
    name = f"cachetest-{unique_prefix}-{retries}"
    cache = make_redis(client_name=name, retries=retries, clock=clock)
    await cache.set("k", "before")
    before = await client_ids(raw_redis, name)
    assert len(before) == 1
    for client_id in before:
        await raw_redis.execute_command("CLIENT", "KILL", "ID", client_id)
    first = await cache.get("k", MISSING)
    if retries:
        assert first == "before"  # the dead pooled connection was replaced and the command retried
        assert cache.counters.errors == 0
    else:
        assert first is MISSING  # served as a miss, then the breaker's next probe reconnects
        assert cache.counters.errors == 1
        clock.advance(cache.breaker.cooldown)
    assert await cache.get("k") == "before"
    await cache.set("k", "after")
    assert await cache.get("k") == "after"
    after = await client_ids(raw_redis, name)
    assert after and not set(after) & set(before)
