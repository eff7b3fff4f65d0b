"""The SQL engine and its pool: SQLite (WAL) by default, PostgreSQL via asyncpg; retries, timeouts, statistics."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import orjson
from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from marketing_project.db.statements import QueryLog
from marketing_project.db.urls import async_url, redacted
from marketing_project.errors import ServiceUnavailable
from marketing_project.settings import Settings

logger = logging.getLogger("marketing_project.db")

_TRANSIENT = (OSError, asyncio.TimeoutError, ConnectionError, OperationalError, InterfaceError)


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


@dataclass
class PoolCounters:
    connects: int = 0
    connect_errors: int = 0
    retries: int = 0
    checkout_timeouts: int = 0
    # checkouts that found every connection busy and no room to open another, so had to queue
    waits: int = 0
    last_error: str | None = None
    last_error_at: float | None = None


def is_transient(exc: BaseException) -> bool:
    """Connection-level failures worth retrying; a constraint violation or syntax error is not."""
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated) or isinstance(exc, (OperationalError, InterfaceError))
    return isinstance(exc, _TRANSIENT)


class Database:
    """Owns the async engine. `transaction()` and `connect()` are the only ways in."""

    def __init__(self, settings: Settings) -> None:
        self.url: URL = async_url(settings.effective_database_url)
        self.dialect = self.url.get_backend_name()
        self.retry_attempts = settings.database_pool_retry_attempts
        self.min_connections = settings.database_pool_min_connections
        self.pool_timeout = settings.database_pool_timeout
        self.counters = PoolCounters()
        self.max_connections = settings.database_pool_max_connections if settings.database_pool_enabled else None
        self.engine: AsyncEngine = self._create_engine(settings)
        self.queries = QueryLog(
            self.dialect,
            slow_threshold=settings.slow_query_threshold,
            max_statements=settings.query_log_max_statements,
        )
        if settings.performance_query_optimization_enabled:
            self.queries.attach(self.engine.sync_engine)

    def _create_engine(self, settings: Settings) -> AsyncEngine:
        kwargs: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}
        connect_args: dict[str, Any] = {}
        if self.dialect == "sqlite":
            database = self.url.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            connect_args["timeout"] = settings.database_pool_timeout
        else:
            connect_args["timeout"] = min(settings.database_pool_timeout, 10.0)
            connect_args["command_timeout"] = settings.database_statement_timeout
            connect_args["server_settings"] = {"application_name": "marketing-project"}
        if settings.database_pool_enabled:
            size = min(settings.postgres_pool_size, settings.database_pool_max_connections)
            kwargs.update(
                pool_size=size,
                max_overflow=settings.database_pool_max_connections - size,
                pool_timeout=settings.database_pool_timeout,
                pool_recycle=settings.database_pool_recycle,
                # a local SQLite file cannot drop a connection; a server can
                pool_pre_ping=self.dialect != "sqlite",
            )
        else:
            kwargs["poolclass"] = NullPool
        engine = create_async_engine(self.url, connect_args=connect_args, **kwargs)
        event.listen(engine.sync_engine, "connect", self._on_connect)
        return engine

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        self.counters.connects += 1
        if self.dialect == "sqlite":
            cursor = dbapi_connection.cursor()
            # WAL lets readers proceed during a write; NORMAL sync is durable across app crashes in WAL mode
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    @property
    def description(self) -> str:
        return redacted(self.url)

    def _record_error(self, exc: BaseException) -> None:
        self.counters.connect_errors += 1
        self.counters.last_error = f"{type(exc).__name__}: {exc}"[:300]
        self.counters.last_error_at = time.time()

    async def _checkout(self, begin: bool) -> tuple[AsyncConnection, Any]:
        delay = 0.05
        for attempt in range(self.retry_attempts + 1):
            if self.max_connections is not None and self.engine.pool.checkedout() >= self.max_connections:  # type: ignore[attr-defined]
                self.counters.waits += 1
            conn = self.engine.connect()
            try:
                await conn.start()
                transaction = await conn.begin() if begin else None
                return conn, transaction
            except PoolTimeoutError:
                self.counters.checkout_timeouts += 1
                await _discard(conn)
                raise ServiceUnavailable(
                    f"The database is busy: no connection became free within {self.pool_timeout:g} s "
                    "(DATABASE_POOL_TIMEOUT). Retry shortly.",
                    headers={"Retry-After": "1"},
                ) from None
            except Exception as exc:
                await _discard(conn)
                if not is_transient(exc):
                    raise
                self._record_error(exc)
                if attempt == self.retry_attempts:
                    logger.warning("database unreachable after %d attempts: %s", attempt + 1, self.counters.last_error)
                    raise ServiceUnavailable(
                        "The database is unreachable. Retry shortly; if it persists, check the database server.",
                        headers={"Retry-After": "2"},
                    ) from exc
                self.counters.retries += 1
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A connection inside a transaction: committed on success, rolled back on any error."""
        conn, transaction = await self._checkout(begin=True)
        try:
            yield conn
            await transaction.commit()
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await transaction.rollback()
            _reraise(exc)
        finally:
            await conn.close()

    @contextlib.asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads (autobegin; nothing is committed)."""
        conn, _ = await self._checkout(begin=False)
        try:
            yield conn
        except BaseException as exc:
            _reraise(exc)
        finally:
            await conn.close()

    async def wait_until_ready(self) -> None:
        """At start-up: retry with backoff until the database answers, then warm the pool to its minimum."""
        attempts = max(self.retry_attempts, 1) + 1
        delay = 0.25
        for attempt in range(attempts):
            try:
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
                break
            except Exception as exc:
                if not is_transient(exc) or attempt == attempts - 1:
                    raise ConnectionError(f"Cannot reach the database at {self.description}: {exc}") from exc
                logger.warning("database not ready (%s); retrying in %.2fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        await self._warm()

    async def _warm(self) -> None:
        if self.min_connections <= 1 or isinstance(self.engine.pool, NullPool):
            return
        conns = [self.engine.connect() for _ in range(self.min_connections)]
        try:
            await asyncio.gather(*(c.start() for c in conns))
        finally:
            for c in conns:
                await c.close()

    async def ping(self) -> float:
        started = time.perf_counter()
        async with self.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return time.perf_counter() - started

    def pool_stats(self) -> dict[str, Any]:
        pool = self.engine.pool
        stats: dict[str, Any] = {"backend": self.dialect, "url": self.description, "pooled": True}
        if isinstance(pool, NullPool):
            stats["pooled"] = False
        else:
            stats.update(
                size=pool.size(),  # type: ignore[attr-defined]
                checked_in=pool.checkedin(),  # type: ignore[attr-defined]
                checked_out=pool.checkedout(),  # type: ignore[attr-defined]
                overflow=pool.overflow(),  # type: ignore[attr-defined]
            )
        counters = self.counters
        stats.update(
            connects=counters.connects,
            connect_errors=counters.connect_errors,
            retries=counters.retries,
            checkout_timeouts=counters.checkout_timeouts,
            waits=counters.waits,
            last_error=counters.last_error,
        )
        return stats

    async def close(self) -> None:
        await self.engine.dispose()


async def _discard(conn: AsyncConnection) -> None:
    if conn.sync_connection is not None:
        with contextlib.suppress(Exception):
            await conn.close()


def _reraise(exc: BaseException) -> NoReturn:
    """A connection lost mid-request is the server's problem, not the client's: 503, not 500."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        raise ServiceUnavailable("The database connection was lost during the request. Retry shortly.") from exc
    if isinstance(exc, ConnectionError):
        raise ServiceUnavailable("The database connection failed during the request. Retry shortly.") from exc
    raise exc
