"""Shared cache tier on Redis: pooled, compact orjson values, TTL enforced by Redis, O(1) namespace invalidation.

Layout (``p`` = prefix, ``v`` = schema version):

* ``{p}:v{v}:{key}`` holds ``generation + codec entry`` with a Redis TTL (``SET ... PX``).
* ``{p}:v{v}#gen:{namespace}`` holds the namespace's current generation, a random 12-hex token, with no TTL.
  Reads fetch it in the same ``MGET`` as the entry and treat an entry written under another generation as a miss,
  so ``invalidate(namespace)`` is one ``SET`` whatever the number of keys, and immediately visible on every
  replica. Writes go through a Lua script that prepends the current generation (creating one if absent), so the
  generation and the write are atomic. Should the generation key be lost (eviction, FLUSHDB), every entry of the
  namespace becomes a miss: the safe direction. Superseded entries are not deleted; they expire by their TTL.
* ``{p}:v{v}#inval`` is the pub/sub channel on which writes are announced when ``publish_invalidations`` is on,
  so replicas' memory tiers can drop their copies (see TieredCache). The announcement is part of the same script
  or pipeline as the write: no extra round trip.

Round trips: get 1 (MGET), get_many 1 (MGET), set 1 (EVALSHA), set_many 1 (pipeline), delete(_many) 1
(pipeline DEL [+ PUBLISH]), invalidate 1 (pipeline SET + PUBLISH), clear: a SCAN over the keyspace (rare).

Failures never propagate: a read is a miss, a write a no-op; they are counted in ``counters.errors`` and logged at
most once per ``log_interval`` on the ``marketing_project.cache`` logger. After a connection failure or timeout the
circuit breaker skips Redis for ``breaker_cooldown`` seconds (counted in ``counters.skipped``), then probes again.
A pooled connection that the server dropped is replaced and the command retried once (``retries``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

import orjson
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from marketing_project.cache import codec
from marketing_project.cache.base import BaseCache
from marketing_project.cache.breaker import CircuitBreaker
from marketing_project.cache.keys import check_namespace, namespace_of
from marketing_project.cache.protocol import MISSING
from marketing_project.cache.stats import CacheStats
from marketing_project.cache.throttle import ThrottledLog

T = TypeVar("T")

_CONNECTION_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

# KEYS: generation key, entry key.
# ARGV: fresh generation, expected generation ('*' any, '' none yet, else the token seen by the reader),
#       codec entry, ttl in ms, channel ('' = do not publish), message.
_SET_SCRIPT = """
local gen = redis.call('GET', KEYS[1])
if not gen then
  if ARGV[2] ~= '*' and ARGV[2] ~= '' then return 0 end
  gen = ARGV[1]
  redis.call('SET', KEYS[1], gen)
elseif ARGV[2] ~= '*' and ARGV[2] ~= gen then
  return 0
end
redis.call('SET', KEYS[2], gen .. ARGV[3], 'PX', ARGV[4])
if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
return 1
"""

_ANY_GENERATION = b"*"


class _Failed:
    """Marker for "the Redis call did not happen or failed"; distinct from any reply."""


_FAILED = _Failed()


def _glob_escape(text: str) -> str:
    return "".join("\\" + char if char in "*?[]\\" else char for char in text)


def _new_generation() -> bytes:
    return os.urandom(6).hex().encode()


class RedisCache(BaseCache):
    """Cache tier on one Redis (database chosen by the URL). See the module docstring for layout and guarantees.

    ``max_connections`` bounds the pool; callers beyond it wait up to ``pool_timeout`` (default: the socket timeout)
    for a connection. A TieredCache's invalidation listener holds one pooled connection.
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "mp",
        schema_version: int = 1,
        ttl: float = 300.0,
        ttl_jitter: float = 0.0,
        max_connections: int = 20,
        socket_timeout: float = 0.5,
        connect_timeout: float = 0.5,
        pool_timeout: float | None = None,
        retries: int = 1,
        breaker_cooldown: float = 1.5,
        publish_invalidations: bool = False,
        client_name: str = "marketing_project.cache",
        log_interval: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        name: str = "redis",
    ) -> None:
        super().__init__(ttl=ttl, ttl_jitter=ttl_jitter)
        if not prefix or ":" in prefix or "#" in prefix:
            raise ValueError(f"redis cache prefix must be non-empty without ':' or '#', got {prefix!r}")
        if isinstance(schema_version, bool) or not isinstance(schema_version, int) or schema_version < 0:
            raise ValueError(f"redis cache schema_version must be an integer >= 0, got {schema_version!r}")
        if max_connections < 1:
            raise ValueError(f"redis cache max_connections must be >= 1, got {max_connections!r}")
        for label, seconds in (("socket_timeout", socket_timeout), ("connect_timeout", connect_timeout)):
            if not seconds > 0:
                raise ValueError(f"redis cache {label} must be a positive number of seconds, got {seconds!r}")
        if retries < 0:
            raise ValueError(f"redis cache retries must be >= 0, got {retries!r}")
        self.name = name
        self.prefix = prefix
        self.schema_version = schema_version
        self.publish_invalidations = publish_invalidations
        self.sender_id = os.urandom(6).hex()
        self.channel = f"{prefix}:v{schema_version}#inval"
        self._key_prefix = f"{prefix}:v{schema_version}:"
        self._gen_prefix = f"{prefix}:v{schema_version}#gen:"
        self._message_prefix = f"{self.sender_id}|".encode()
        self._wall_clock = wall_clock
        self.breaker = CircuitBreaker(breaker_cooldown, clock)
        self._log = ThrottledLog(log_interval, clock=clock)
        self._pool = BlockingConnectionPool.from_url(
            url,
            max_connections=max_connections,
            timeout=socket_timeout if pool_timeout is None else pool_timeout,
            socket_timeout=socket_timeout,
            socket_connect_timeout=connect_timeout,
            client_name=client_name,
            # Retry connection errors only: a stale pooled connection is replaced at once, while a timeout
            # (slow or unreachable server) is not paid twice.
            retry=Retry(NoBackoff(), retries, supported_errors=(RedisConnectionError,)),
        )
        self.client: Redis = Redis(connection_pool=self._pool)
        self._set_script = self.client.register_script(_SET_SCRIPT)

    # -- plumbing ---------------------------------------------------------------------------------------------------

    def redis_key(self, key: str) -> str:
        """The Redis key holding ``key``."""
        return self._key_prefix + key

    def generation_key(self, namespace: str) -> str:
        return self._gen_prefix + namespace

    def message(self, kind: str, payload: Any) -> bytes:
        """An invalidation announcement: ``sender|kind|json``; kind ``k`` (keys), ``n`` (namespace), ``c`` (all)."""
        return self._message_prefix + kind.encode() + b"|" + orjson.dumps(payload)

    async def _call(self, op: str, call: Callable[[], Awaitable[T]]) -> T | _Failed:
        if not self.breaker.allow():
            self.counters.skipped += 1
            return _FAILED
        try:
            result = await call()
        except _CONNECTION_ERRORS as exc:
            self.breaker.failure()
            self._record_error(op, exc)
            return _FAILED
        except RedisError as exc:
            # The server answered (with an error): it is up, so the breaker stays closed.
            self._record_error(op, exc)
            return _FAILED
        self.breaker.success()
        return result

    def _record_error(self, op: str, exc: BaseException) -> None:
        self.counters.errors += 1
        self._log.warning("redis cache %s failed (%s: %s); served as a miss/no-op", op, type(exc).__name__, exc)

    def _decode(self, generation: bytes | None, raw: bytes | None) -> tuple[Any, float]:
        """``(value or MISSING, remaining seconds)`` of an entry read together with its namespace generation."""
        if not generation or raw is None or not raw.startswith(generation):
            return MISSING, 0.0
        try:
            value, expires_at_ms = codec.decode(raw[len(generation) :])
        except ValueError as exc:
            self._record_error("decode", exc)
            return MISSING, 0.0
        # Redis' PX is authoritative; a reader whose clock runs ahead sees 0 and just won't keep a local copy.
        return value, max(expires_at_ms / 1000.0 - self._wall_clock(), 0.0)

    def _encode(self, key: str, value: Any, ttl: float) -> bytes | None:
        try:
            return codec.encode(value, int((self._wall_clock() + ttl) * 1000))
        except TypeError as exc:
            # Not raised: the same code runs without Redis (memory-only) where any value is accepted.
            self._record_error("encode", exc)
            self._log.warning("redis cache cannot store %r: %s", key, exc)
            return None

    # -- reads ------------------------------------------------------------------------------------------------------

    async def fetch(self, key: str) -> tuple[Any, bytes | None, float]:
        """``(value or MISSING, generation seen, remaining TTL seconds)``; generation is ``b""`` when the namespace
        has none yet and ``None`` when Redis could not be asked. Counts a hit or a miss."""
        start = time.perf_counter()
        reply = await self._call(
            "get", lambda: self.client.mget(self.generation_key(namespace_of(key)), self.redis_key(key))
        )
        if isinstance(reply, _Failed):
            self.counters.misses += 1
            return MISSING, None, 0.0
        self.counters.get_latency.observe(time.perf_counter() - start)
        generation, raw = cast(list[bytes | None], reply)
        value, remaining = self._decode(generation, raw)
        if value is MISSING:
            self.counters.misses += 1
        else:
            self.counters.hits += 1
        return value, generation or b"", remaining

    async def fetch_many(self, keys: Iterable[str]) -> dict[str, tuple[Any, float]]:
        """``{key: (value, remaining TTL seconds)}`` for the keys found, in one MGET."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        namespaces = list(dict.fromkeys(namespace_of(key) for key in wanted))
        names = [self.generation_key(ns) for ns in namespaces] + [self.redis_key(key) for key in wanted]
        start = time.perf_counter()
        reply = await self._call("get_many", lambda: self.client.mget(names))
        if isinstance(reply, _Failed):
            self.counters.misses += len(wanted)
            return {}
        self.counters.get_latency.observe(time.perf_counter() - start)
        raws = cast(list[bytes | None], reply)
        generations = dict(zip(namespaces, raws[: len(namespaces)], strict=True))
        found: dict[str, tuple[Any, float]] = {}
        for key, raw in zip(wanted, raws[len(namespaces) :], strict=True):
            value, remaining = self._decode(generations[namespace_of(key)], raw)
            if value is MISSING:
                self.counters.misses += 1
            else:
                self.counters.hits += 1
                found[key] = (value, remaining)
        return found

    async def get(self, key: str, default: Any = None) -> Any:
        value, _, _ = await self.fetch(key)
        return default if value is MISSING else value

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        return {key: value for key, (value, _) in (await self.fetch_many(keys)).items()}

    async def _lookup(self, key: str) -> tuple[Any, object]:
        value, generation, _ = await self.fetch(key)
        return value, generation

    # -- writes -----------------------------------------------------------------------------------------------------

    def _set_args(self, key: str, entry: bytes, ttl: float, expected: bytes) -> tuple[list[str], list[Any]]:
        channel, message = (self.channel, self.message("k", [key])) if self.publish_invalidations else ("", b"")
        px = max(int(ttl * 1000), 1)
        keys = [self.generation_key(namespace_of(key)), self.redis_key(key)]
        return keys, [_new_generation(), expected, entry, px, channel, message]

    async def write(self, key: str, value: Any, ttl: float, expected: bytes | None = None) -> bool:
        """Store under the namespace's current generation; with ``expected`` (the generation a reader saw before
        computing ``value``) only if the namespace was not invalidated since. Returns whether it was stored."""
        entry = self._encode(key, value, ttl)
        if entry is None:
            return False
        keys, args = self._set_args(key, entry, ttl, _ANY_GENERATION if expected is None else expected)
        start = time.perf_counter()
        reply = await self._call("set", lambda: cast(Awaitable[int], self._set_script(keys=keys, args=args)))
        if isinstance(reply, _Failed):
            return False
        self.counters.set_latency.observe(time.perf_counter() - start)
        if reply:
            self.counters.sets += 1
        return bool(reply)

    async def _store(self, key: str, value: Any, ttl: float, token: object) -> None:
        await self.write(key, value, ttl, token if isinstance(token, bytes) else None)

    async def set(self, key: str, value: Any, ttl: float | None = None) -> None:
        resolved = self._resolve_ttl(ttl)
        self._flights.mark_stale(key)
        await self.write(key, value, resolved)

    async def set_many(self, items: Mapping[str, Any], ttl: float | None = None) -> None:
        resolved = self._resolve_ttl(ttl)
        calls = []
        for key, value in items.items():
            self._flights.mark_stale(key)
            entry = self._encode(key, value, resolved)
            if entry is not None:
                calls.append(self._set_args(key, entry, resolved, _ANY_GENERATION))
        if not calls:
            return

        async def pipeline() -> list[Any]:
            async with self.client.pipeline(transaction=False) as pipe:
                for keys, args in calls:
                    await self._set_script(keys=keys, args=args, client=pipe)
                return await pipe.execute()

        start = time.perf_counter()
        reply = await self._call("set_many", pipeline)
        if not isinstance(reply, _Failed):
            self.counters.set_latency.observe(time.perf_counter() - start)
            self.counters.sets += sum(1 for stored in reply if stored)

    async def delete(self, key: str) -> None:
        await self.delete_many((key,))

    async def delete_many(self, keys: Iterable[str]) -> None:
        doomed = list(dict.fromkeys(keys))
        if not doomed:
            return
        for key in doomed:
            self._flights.mark_stale(key)

        async def pipeline() -> list[Any]:
            async with self.client.pipeline(transaction=False) as pipe:
                pipe.delete(*(self.redis_key(key) for key in doomed))
                if self.publish_invalidations:
                    pipe.publish(self.channel, self.message("k", doomed))
                return await pipe.execute()

        reply = await self._call("delete", pipeline)
        if not isinstance(reply, _Failed):
            self.counters.deletes += int(reply[0])

    async def invalidate(self, namespace: str) -> None:
        check_namespace(namespace)
        self._flights.mark_namespace_stale(namespace)

        async def pipeline() -> list[Any]:
            async with self.client.pipeline(transaction=False) as pipe:
                pipe.set(self.generation_key(namespace), _new_generation())
                if self.publish_invalidations:
                    pipe.publish(self.channel, self.message("n", namespace))
                return await pipe.execute()

        if not isinstance(await self._call("invalidate", pipeline), _Failed):
            self.counters.invalidations += 1

    async def clear(self) -> None:
        """Delete every entry and generation under this prefix and schema version (SCAN: O(keyspace), rare)."""
        self._flights.mark_all_stale()

        async def scan_and_unlink() -> int:
            removed = 0
            for pattern in (self._key_prefix, self._gen_prefix):
                batch: list[bytes] = []
                async for name in self.client.scan_iter(match=_glob_escape(pattern) + "*", count=1000):
                    batch.append(name)
                    if len(batch) >= 500:
                        removed += await self.client.unlink(*batch)
                        batch.clear()
                if batch:
                    removed += await self.client.unlink(*batch)
            if self.publish_invalidations:
                await self.client.publish(self.channel, self.message("c", None))
            return removed

        removed = await self._call("clear", scan_and_unlink)
        if not isinstance(removed, _Failed):
            self.counters.deletes += removed

    # -- lifecycle --------------------------------------------------------------------------------------------------

    async def ping(self) -> float:
        """Seconds one PING took; raises when Redis cannot be reached (for readiness checks, not the hot path)."""
        started = time.perf_counter()
        await self.client.ping()
        return time.perf_counter() - started

    def stats(self) -> CacheStats:
        # size=None: see CacheStats; counting our keys would mean a SCAN of the whole (possibly shared) keyspace.
        return self.counters.snapshot(self.name, size=None)

    async def close(self) -> None:
        try:
            await self.client.aclose()
            await self._pool.disconnect()
        except (RedisError, OSError) as exc:
            self._log.warning("redis cache close failed: %s", exc)
