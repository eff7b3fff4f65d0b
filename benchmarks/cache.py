"""Cache layer benchmark: MemoryCache vs cachetools.TTLCache, and the Redis tier vs plain redis-py.

Run: .venv/bin/python benchmarks/cache.py [--quick] [--redis-url redis://127.0.0.1:6379/15] [--no-redis]

Every figure is a ratio against a peer measured in the same run, rounds alternating ours/peer, medians reported
(see /work/shared/BENCHMARKING.md). The process pins itself to CPU 0 so the Redis server can keep the other core.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import orjson
from cachetools import TTLCache
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.connection import Connection

from marketing_project.cache import MemoryCache, RedisCache, TieredCache

MAXSIZE = 1000
TTL = 300.0
VALUE = {"id": 123, "title": "Spring launch", "tags": ["email", "social"], "score": 0.87, "draft": False}

Timed = Callable[[], Awaitable[float]]


def median_rates(ours: Timed, peer: Timed, rounds: int) -> tuple[float, float]:
    """Alternate ours/peer ``rounds`` times; each callable returns ops/s; returns the medians."""
    a: list[float] = []
    b: list[float] = []

    async def run() -> None:
        for _ in range(rounds):
            a.append(await ours())
            b.append(await peer())

    asyncio.run(run())
    return statistics.median(a), statistics.median(b)


async def rate(loop_body: Callable[[int], Awaitable[None]], n: int) -> float:
    start = time.perf_counter()
    await loop_body(n)
    return n / (time.perf_counter() - start)


# -- memory tier ----------------------------------------------------------------------------------------------------


def memory_section(n: int, rounds: int) -> list[tuple[str, float, float, float]]:
    hit_keys = [f"content:{i}" for i in range(MAXSIZE)]
    miss_keys = [f"absent:{i}" for i in range(MAXSIZE)]
    evict_keys = [f"new:{i}" for i in range(MAXSIZE * 10)]

    def fresh() -> tuple[MemoryCache, TTLCache[str, Any]]:
        ours = MemoryCache(max_size=MAXSIZE, ttl=TTL)
        peer: TTLCache[str, Any] = TTLCache(maxsize=MAXSIZE, ttl=TTL)
        for key in hit_keys:
            ours.set_sync(key, VALUE)
            peer[key] = VALUE
        return ours, peer

    ours, peer = fresh()
    results: list[tuple[str, float, float, float]] = []

    def record(label: str, mine: Timed, theirs: Timed) -> None:
        a, b = median_rates(mine, theirs, rounds)
        results.append((label, a, b, a / b))

    # -- get hit
    async def ours_get(keys: list[str]) -> float:
        get = ours.get
        m = len(keys)

        async def body(count: int) -> None:
            for i in range(count):
                await get(keys[i % m])

        return await rate(body, n)

    async def ours_get_sync(keys: list[str]) -> float:
        get = ours.get_sync
        m = len(keys)

        async def body(count: int) -> None:
            for i in range(count):
                get(keys[i % m])

        return await rate(body, n)

    async def peer_getitem(keys: list[str]) -> float:
        m = len(keys)

        async def body(count: int) -> None:
            for i in range(count):
                try:  # noqa: SIM105 - contextlib.suppress would add a context manager to the peer's loop
                    peer[keys[i % m]]
                except KeyError:
                    pass

        return await rate(body, n)

    async def peer_get(keys: list[str]) -> float:
        get = peer.get
        m = len(keys)

        async def body(count: int) -> None:
            for i in range(count):
                get(keys[i % m])

        return await rate(body, n)

    for label, keys in (("get hit", hit_keys), ("get miss", miss_keys)):
        record(
            f"{label}: ours `await get()` vs TTLCache `[k]`", lambda k=keys: ours_get(k), lambda k=keys: peer_getitem(k)
        )
        record(
            f"{label}: ours `await get()` vs TTLCache `.get()`", lambda k=keys: ours_get(k), lambda k=keys: peer_get(k)
        )
        record(
            f"{label}: ours `get_sync()` vs TTLCache `[k]`",
            lambda k=keys: ours_get_sync(k),
            lambda k=keys: peer_getitem(k),
        )

    # -- set (update of a present key; then insertion of new keys, each evicting the LRU entry)
    async def ours_set(keys: list[str]) -> float:
        set_ = ours.set
        m = len(keys)

        async def body(count: int) -> None:
            for i in range(count):
                await set_(keys[i % m], VALUE)

        return await rate(body, n)

    async def ours_set_sync(keys: list[str]) -> float:
        set_ = ours.set_sync
        m = len(keys)

        async def body(count: int) -> None:
            for i in range(count):
                set_(keys[i % m], VALUE)

        return await rate(body, n)

    async def peer_set(keys: list[str]) -> float:
        m = len(keys)

        async def body(count: int) -> None:
            for i in range(count):
                peer[keys[i % m]] = VALUE

        return await rate(body, n)

    for label, keys in (("set update", hit_keys), ("set evicting", evict_keys)):
        record(
            f"{label}: ours `await set()` vs TTLCache `[k] = v`", lambda k=keys: ours_set(k), lambda k=keys: peer_set(k)
        )
        record(
            f"{label}: ours `set_sync()` vs TTLCache `[k] = v`",
            lambda k=keys: ours_set_sync(k),
            lambda k=keys: peer_set(k),
        )
    stats = ours.stats()
    print(
        f"  (statistics kept during the memory runs: hits={stats.hits} misses={stats.misses} sets={stats.sets} "
        f"evictions={stats.evictions} get p95={stats.get_latency.p95 * 1e9:.0f} ns)"
    )
    return results


# -- redis tier -----------------------------------------------------------------------------------------------------


class WireCounter:
    """Counts socket writes (round trips) and the commands packed into them, for every redis-py connection."""

    def __init__(self) -> None:
        self.writes = 0
        self.commands = 0
        self._send = Connection.send_packed_command
        self._pack = Connection.pack_command

    def install(self) -> None:
        counter = self
        send, pack = self._send, self._pack

        async def send_packed_command(conn: Connection, command: Any, check_health: bool = True) -> None:
            counter.writes += 1
            await send(conn, command, check_health)

        def pack_command(conn: Connection, *args: Any) -> list[bytes]:
            counter.commands += 1
            return pack(conn, *args)

        Connection.send_packed_command = send_packed_command  # type: ignore[method-assign]
        Connection.pack_command = pack_command  # type: ignore[method-assign]

    def uninstall(self) -> None:
        Connection.send_packed_command = self._send  # type: ignore[method-assign]
        Connection.pack_command = self._pack  # type: ignore[method-assign]

    async def measure(self, op: Callable[[], Awaitable[Any]], repeat: int = 50) -> tuple[float, float]:
        await op()  # connection set-up and script loading are not per-operation costs
        self.writes = self.commands = 0
        for _ in range(repeat):
            await op()
        return self.writes / repeat, self.commands / repeat


async def redis_section(
    url: str, n: int, rounds: int
) -> tuple[list[tuple[str, float, float]], list[tuple[str, float, float, float]]]:
    prefix = f"bench{os.getpid()}"
    ours = RedisCache(url, prefix=prefix, ttl=TTL, publish_invalidations=True, max_connections=40)
    raw = Redis.from_url(url, max_connections=40)
    # Same pool class and size as RedisCache: separates the pool's cost from ours.
    raw_blocking = Redis(connection_pool=BlockingConnectionPool.from_url(url, max_connections=40))
    if not await raw.ping():
        raise SystemExit(f"Redis not reachable at {url}")
    keys = [f"content:{i}" for i in range(100)]
    raw_keys = [f"{prefix}raw:{i}" for i in range(100)]
    await ours.set_many(dict.fromkeys(keys, VALUE))
    for key in raw_keys:
        await raw.set(key, orjson.dumps(VALUE), px=int(TTL * 1000))

    counter = WireCounter()
    counter.install()
    trips = [
        ("RedisCache.get (MGET generation+entry)", *await counter.measure(lambda: ours.get(keys[0]))),
        ("plain redis-py GET", *await counter.measure(lambda: raw.get(raw_keys[0]))),
        (
            "RedisCache.set (EVALSHA: generation, SET PX, PUBLISH)",
            *await counter.measure(lambda: ours.set(keys[1], VALUE)),
        ),
        (
            "plain redis-py SET PX",
            *await counter.measure(lambda: raw.set(raw_keys[1], orjson.dumps(VALUE), px=300_000)),
        ),
        ("RedisCache.get_many(100 keys)", *await counter.measure(lambda: ours.get_many(keys))),
        ("100 × plain GET", *await counter.measure(lambda: _sequential_gets(raw, raw_keys))),
        ("RedisCache.delete (DEL + PUBLISH pipelined)", *await counter.measure(lambda: ours.delete("content:zzz"))),
        ("RedisCache.invalidate (SET generation + PUBLISH)", *await counter.measure(lambda: ours.invalidate("other"))),
    ]
    counter.uninstall()

    async def timed(op: Callable[[int], Awaitable[Any]], count: int) -> float:
        start = time.perf_counter()
        await op(count)
        return count / (time.perf_counter() - start)

    def seq(fn: Callable[[int], Awaitable[Any]]) -> Callable[[int], Awaitable[None]]:
        async def body(count: int) -> None:
            for i in range(count):
                await fn(i)

        return body

    def concurrent(fn: Callable[[int], Awaitable[Any]], width: int = 32) -> Callable[[int], Awaitable[None]]:
        async def body(count: int) -> None:
            async def worker(w: int) -> None:
                for i in range(w, count, width):
                    await fn(i)

            await asyncio.gather(*(worker(w) for w in range(width)))

        return body

    async def raw_get(i: int) -> Any:
        data = await raw.get(raw_keys[i % 100])
        return orjson.loads(data) if data is not None else None

    async def raw_blocking_get(i: int) -> Any:
        data = await raw_blocking.get(raw_keys[i % 100])
        return orjson.loads(data) if data is not None else None

    async def raw_set(i: int) -> None:
        await raw.set(raw_keys[i % 100], orjson.dumps(VALUE), px=300_000)

    redis_n = max(n // 20, 500)
    pairs: list[tuple[str, Callable[[int], Awaitable[None]], Callable[[int], Awaitable[None]], int]] = [
        ("get, sequential: RedisCache vs GET+orjson", seq(lambda i: ours.get(keys[i % 100])), seq(raw_get), redis_n),
        (
            "get, sequential: RedisCache vs GET on a BlockingConnectionPool",
            seq(lambda i: ours.get(keys[i % 100])),
            seq(raw_blocking_get),
            redis_n,
        ),
        (
            "set, sequential: RedisCache vs SET PX+orjson",
            seq(lambda i: ours.set(keys[i % 100], VALUE)),
            seq(raw_set),
            redis_n,
        ),
        (
            "get, 32 concurrent: RedisCache vs GET",
            concurrent(lambda i: ours.get(keys[i % 100])),
            concurrent(raw_get),
            redis_n * 2,
        ),
        (
            "set, 32 concurrent: RedisCache vs SET",
            concurrent(lambda i: ours.set(keys[i % 100], VALUE)),
            concurrent(raw_set),
            redis_n * 2,
        ),
        (
            "get_many(100) vs 100 sequential GETs (batches/s)",
            seq(lambda i: ours.get_many(keys)),
            seq(lambda i: _sequential_gets(raw, raw_keys)),
            max(redis_n // 50, 20),
        ),
    ]
    speeds: list[tuple[str, float, float, float]] = []

    async def compare(
        pairs: list[tuple[str, Callable[[int], Awaitable[None]], Callable[[int], Awaitable[None]], int]],
    ) -> None:
        for label, mine, theirs, count in pairs:
            a: list[float] = []
            b: list[float] = []
            for _ in range(rounds):
                a.append(await timed(mine, count))
                b.append(await timed(theirs, count))
            ma, mb = statistics.median(a), statistics.median(b)
            speeds.append((label, ma, mb, ma / mb))

    await compare(pairs)
    # The tiered cache comes last: its listener would otherwise process every announcement of the runs above in
    # this same process (in production each replica does receive the others' announcements).
    tiered = TieredCache(
        MemoryCache(max_size=MAXSIZE, ttl=30.0), RedisCache(url, prefix=prefix, ttl=TTL, publish_invalidations=True)
    )
    await tiered.ready(within=2.0)
    counter.install()
    trips.append(("TieredCache.get, memory hit", *await counter.measure(lambda: tiered.get(keys[0]))))
    counter.uninstall()
    await compare(
        [("TieredCache.get (memory hit) vs plain GET", seq(lambda i: tiered.get(keys[i % 100])), seq(raw_get), redis_n)]
    )
    errors = ours.stats().errors + tiered.stats().errors
    if errors:
        print(f"  warning: {errors} Redis errors during the run")
    await ours.clear()
    await raw.delete(*raw_keys)
    await ours.close()
    await tiered.close()
    await raw.aclose()
    await raw_blocking.aclose()
    return trips, speeds


async def _sequential_gets(raw: Redis, keys: list[str]) -> list[Any]:
    return [await raw.get(key) for key in keys]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer operations and rounds")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--no-redis", action="store_true")
    args = parser.parse_args()
    n, rounds = (50_000, 5) if args.quick else (200_000, 9)
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {0})
    command = "  ".join([".venv/bin/python benchmarks/cache.py", *sys.argv[1:]]).replace("  ", " ")
    print(f"# cache benchmark — Python {sys.version.split()[0]}, {n} ops × {rounds} alternating rounds, medians")
    print("\n## memory tier: MemoryCache (full statistics) vs cachetools.TTLCache (maxsize=1000, ttl=300)")
    memory = memory_section(n, rounds)
    trips: list[tuple[str, float, float]] = []
    speeds: list[tuple[str, float, float, float]] = []
    if not args.no_redis:
        print("\n## redis tier")
        trips, speeds = asyncio.run(redis_section(args.redis_url, n, rounds))

    print("\n```")
    print(f"$ {command}")
    print(f"{'memory (ops/s, median)':<62}{'ours':>12}{'peer':>12}{'ratio':>8}")
    for label, a, b, ratio in memory:
        print(f"{label:<62}{a:>12,.0f}{b:>12,.0f}{ratio:>7.2f}×")
    if trips:
        print(f"\n{'redis: per operation':<62}{'round trips':>12}{'commands':>12}")
        for label, writes, commands in trips:
            print(f"{label:<62}{writes:>12.2f}{commands:>12.2f}")
        print(f"\n{'redis (ops/s, median)':<62}{'ours':>12}{'peer':>12}{'ratio':>8}")
        for label, a, b, ratio in speeds:
            print(f"{label:<62}{a:>12,.0f}{b:>12,.0f}{ratio:>7.2f}×")
    print("```")


if __name__ == "__main__":
    main()
