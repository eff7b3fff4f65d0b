"""Every connection pool the app uses, in one registry: statistics, health checks on an interval, orderly close.

    sql      SQLAlchemy's pool (SQLite or PostgreSQL), owned by `Database`
    redis    redis-py's BlockingConnectionPool, owned by the shared cache tier (REDIS_URL, REDIS_MAX_CONNECTIONS)
    mongodb  PyMongo's async client pool (MONGODB_URL, MONGODB_MAX_POOL_SIZE), when MongoDB holds the content

The registry does not build pools twice: each is created by the service that uses it and registered here with a
probe (how to count and ping it) and how to close it. `close()` stops the checks and closes them in reverse order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from sqlalchemy.pool import NullPool

from marketing_project.db.mongo import Mongo
from marketing_project.db.sql import Database

logger = logging.getLogger("marketing_project.db.pools")


@dataclass(frozen=True, slots=True)
class HealthCheck:
    ok: bool
    at: float
    latency_ms: float | None
    error: str | None


@dataclass(frozen=True, slots=True)
class PoolCounts:
    """None where the driver does not tell (see the README's table of what each pool reports)."""

    pooled: bool
    size: int | None
    max_size: int | None
    in_use: int | None
    idle: int | None
    overflow: int | None
    waits: int | None
    timeouts: int | None
    errors: int | None
    retries: int | None = None


@dataclass(frozen=True, slots=True)
class PoolSnapshot:
    name: str
    backend: str
    counts: PoolCounts
    health: HealthCheck | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "backend": self.backend,
            **asdict(self.counts),
            "last_health_check": asdict(self.health) if self.health else None,
        }


class Probe(Protocol):
    name: str
    backend: str

    def counts(self) -> PoolCounts: ...
    async def ping(self) -> float: ...


class SqlProbe:
    name = "sql"

    def __init__(self, database: Database) -> None:
        self.database = database
        self.backend = database.dialect

    def counts(self) -> PoolCounts:
        stats = self.database.pool_stats()
        pooled = not isinstance(self.database.engine.pool, NullPool)
        return PoolCounts(
            pooled=pooled,
            size=stats.get("size"),
            max_size=self.database.max_connections,
            in_use=stats.get("checked_out"),
            idle=stats.get("checked_in"),
            overflow=max(stats["overflow"], 0) if pooled else None,
            waits=stats["waits"],
            timeouts=stats["checkout_timeouts"],
            errors=stats["connect_errors"],
            retries=stats["retries"],
        )

    async def ping(self) -> float:
        return await self.database.ping()


class RedisProbe:
    name = "redis"
    backend = "redis"

    def __init__(self, redis_cache: Any) -> None:
        # a marketing_project.cache.RedisCache: its client's pool is the one the cache uses
        self.cache = redis_cache
        self.pool = redis_cache.client.connection_pool

    def counts(self) -> PoolCounts:
        (idle, _), (in_use, _) = self.pool.get_connection_count()
        return PoolCounts(
            pooled=True,
            size=idle + in_use,
            max_size=self.pool.max_connections,
            in_use=in_use,
            idle=idle,
            overflow=None,
            waits=None,
            timeouts=None,
            errors=self.cache.counters.errors,
        )

    async def ping(self) -> float:
        result: float = await self.cache.ping()
        return result


class MongoProbe:
    name = "mongodb"
    backend = "mongodb"

    def __init__(self, mongo: Mongo) -> None:
        self.mongo = mongo

    def counts(self) -> PoolCounts:
        watch = self.mongo.pool
        return PoolCounts(
            pooled=True,
            size=watch.open,
            max_size=watch.max_size,
            in_use=watch.in_use,
            idle=max(watch.open - watch.in_use, 0),
            overflow=None,
            waits=watch.waits,
            timeouts=watch.timeouts,
            errors=watch.errors,
        )

    async def ping(self) -> float:
        return await self.mongo.ping()


def _describe(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g} s"
    return getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"[:300]


class PoolRegistry:
    def __init__(self, interval: float = 30.0, timeout: float = 2.0) -> None:
        self.interval = interval
        self.timeout = timeout
        self._probes: dict[str, Probe] = {}
        self._health: dict[str, HealthCheck] = {}
        self._closers: list[Callable[[], Awaitable[None]]] = []
        self._task: asyncio.Task[None] | None = None

    def register(self, probe: Probe | None, close: Callable[[], Awaitable[None]] | None = None) -> None:
        if probe is not None:
            self._probes[probe.name] = probe
        if close is not None:
            self._closers.append(close)

    @property
    def names(self) -> list[str]:
        return list(self._probes)

    def probe(self, name: str) -> Probe | None:
        return self._probes.get(name)

    async def check(self, name: str) -> HealthCheck:
        probe = self._probes[name]
        at = time.time()
        try:
            latency = await asyncio.wait_for(probe.ping(), self.timeout)
            result = HealthCheck(True, at, round(latency * 1000, 3), None)
        except Exception as exc:
            result = HealthCheck(False, at, None, _describe(exc, self.timeout))
        previous = self._health.get(name)
        if not result.ok and (previous is None or previous.ok):
            logger.warning("%s pool health check failed: %s", name, result.error)
        elif result.ok and previous is not None and not previous.ok:
            logger.info("%s pool healthy again", name)
        self._health[name] = result
        return result

    async def check_all(self) -> dict[str, HealthCheck]:
        names = list(self._probes)
        results = await asyncio.gather(*(self.check(name) for name in names))
        return dict(zip(names, results, strict=True))

    def snapshot(self) -> list[PoolSnapshot]:
        return [
            PoolSnapshot(name, probe.backend, probe.counts(), self._health.get(name))
            for name, probe in self._probes.items()
        ]

    async def start(self) -> None:
        """Check every pool now, then every `interval` seconds in the background (0: only when asked)."""
        await self.check_all()
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(), name="pool-health-checks")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.check_all()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def close(self) -> None:
        """Stop the checks, then close every registered pool, last registered first; one failure stops none."""
        await self.stop()
        for close in reversed(self._closers):
            try:
                await close()
            except Exception:
                logger.exception("closing a connection pool failed")
        self._closers.clear()


def build_pools(database: Database, cache: Any, mongo: Mongo | None, interval: float) -> PoolRegistry:
    """The registry of the app's pools; closing it closes the cache (and its Redis pool) and the databases."""
    registry = PoolRegistry(interval)
    registry.register(SqlProbe(database), database.close)
    redis = getattr(cache, "redis", None)
    registry.register(RedisProbe(redis) if redis is not None else None, cache.close)
    if mongo is not None:
        registry.register(MongoProbe(mongo), mongo.close)
    return registry
