"""Run the database's own EXPLAIN on one read-only statement and report on the plan (see `plans`).

Every statement runs on the driver's connection inside a read-only transaction (PostgreSQL `BEGIN READ ONLY` with a
`statement_timeout`; SQLite `PRAGMA query_only` under an asyncio timeout), and only under EXPLAIN: nothing is
executed. Statements with parameters (`$1`, `?`), as the query log keeps them, are explained as PostgreSQL's generic
plan (PREPARE, `plan_cache_mode = force_generic_plan`, EXPLAIN EXECUTE with NULLs) or with NULLs bound on SQLite.
The database's complaints become 422 with its own message; a lost connection is 503.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from marketing_project.db.plans import LARGE_TABLE_ROWS, PlanReport, SqliteStats, pg_report, sqlite_report
from marketing_project.db.sql import Database
from marketing_project.db.sqltext import check_read_only, parameter_count, table_aliases
from marketing_project.errors import InvalidInput, ServiceUnavailable

try:
    import asyncpg
except ImportError:  # pragma: no cover - asyncpg is a dependency; the guard keeps SQLite-only installs working
    asyncpg = None


@dataclass(slots=True)
class Session:
    """The driver connection inside the read-only transaction, and prepared statements to drop afterwards."""

    raw: Any
    backend: str
    timeout: float
    leftovers: list[str] = field(default_factory=list)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@contextlib.contextmanager
def database_errors(timeout: float) -> Iterator[None]:
    """The database's verdict on a statement as 422 (its own message); connection trouble as 503."""
    try:
        yield
    except TimeoutError:
        raise InvalidInput(
            f"EXPLAIN did not finish within {timeout:g} s (EXPLAIN_STATEMENT_TIMEOUT): simplify the statement"
        ) from None
    except sqlite3.Error as exc:
        text = str(exc)
        if any(word in text for word in ("locked", "busy", "disk I/O", "unable to open")):
            raise ServiceUnavailable(f"The database could not answer: {text}", headers={"Retry-After": "1"}) from exc
        raise InvalidInput(f"The database rejected the statement: {text}") from None
    except Exception as exc:
        if asyncpg is None or not isinstance(exc, (asyncpg.PostgresError, asyncpg.InterfaceError)):
            raise
        state = getattr(exc, "sqlstate", "") or ""
        if state == "57014":
            raise InvalidInput(
                f"EXPLAIN did not finish within {timeout:g} s (EXPLAIN_STATEMENT_TIMEOUT): simplify the statement"
            ) from None
        if isinstance(exc, asyncpg.InterfaceError) or state.startswith(("08", "57P", "53")):
            raise ServiceUnavailable(f"The database could not answer: {exc}", headers={"Retry-After": "1"}) from exc
        detail = "".join(f" ({part})" for part in (getattr(exc, "detail", None), getattr(exc, "hint", None)) if part)
        raise InvalidInput(f"The database rejected the statement: {exc}{detail}") from None


@contextlib.asynccontextmanager
async def read_only(database: Database, seconds: float) -> AsyncIterator[Session]:
    """A pooled connection's driver connection in a read-only transaction whose statements stop after `seconds`."""
    async with database.connect() as conn:
        raw: Any = (await conn.get_raw_connection()).driver_connection
        session = Session(raw, database.dialect, seconds)
        if database.dialect == "postgresql":
            try:
                async with raw.transaction(readonly=True):
                    await raw.execute(f"SET LOCAL statement_timeout = {max(int(seconds * 1000), 1)}")
                    yield session
            finally:
                for name in session.leftovers:
                    with contextlib.suppress(Exception):
                        await raw.execute(f"DEALLOCATE {name}")
        else:
            await raw.execute("PRAGMA query_only = ON")
            try:
                yield session
            finally:
                await raw.execute("PRAGMA query_only = OFF")


def _strip(sql: str) -> str:
    return sql.strip().rstrip(";").strip()


async def pg_explain(session: Session, sql: str) -> list[dict[str, Any]]:
    """`EXPLAIN (FORMAT JSON)`, as a generic plan when the statement has parameters."""
    sql = _strip(sql)
    raw = session.raw
    count = parameter_count(sql, "postgresql")
    if count == 0:
        text = await raw.fetchval(f"EXPLAIN (FORMAT JSON) {sql}")
    else:
        # a new name each time: a cached generic plan would not see indexes created since (HypoPG's included)
        name = f"mp_explain_{uuid.uuid4().hex[:16]}"
        await raw.execute(f"PREPARE {name} AS {sql}")
        session.leftovers.append(name)
        await raw.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        nulls = ", ".join(["NULL"] * count)
        text = await raw.fetchval(f"EXPLAIN (FORMAT JSON) EXECUTE {name}({nulls})")
        await raw.execute(f"DEALLOCATE {name}")
        session.leftovers.remove(name)
    return _json(text)


def _json(value: Any) -> list[dict[str, Any]]:
    # SQLAlchemy registers a json codec on its asyncpg connections: the value may already be decoded
    decoded: list[dict[str, Any]] = orjson.loads(value) if isinstance(value, (str, bytes)) else value
    return decoded


def scanned_tables(explained: list[dict[str, Any]]) -> set[str]:
    tables: set[str] = set()
    stack = [explained[0]["Plan"]]
    while stack:
        node = stack.pop()
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name"):
            tables.add(node["Relation Name"])
        stack.extend(node.get("Plans", ()))
    return tables


async def pg_table_rows(session: Session, tables: Iterable[str]) -> dict[str, float]:
    """The planner's own estimate of each table's rows (right even before the first ANALYZE)."""
    rows = {}
    for table in tables:
        text = await session.raw.fetchval(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {quote(table)}")  # noqa: S608 - quoted identifier
        rows[table] = float(_json(text)[0]["Plan"]["Plan Rows"])
    return rows


async def sqlite_rows(raw: Any, sql: str, parameters: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    cursor = await raw.execute(sql, tuple(parameters))
    try:
        return list(await cursor.fetchall())
    finally:
        await cursor.close()


async def sqlite_plan(raw: Any, sql: str) -> list[tuple[int, int, str]]:
    sql = _strip(sql)
    rows = await sqlite_rows(raw, f"EXPLAIN QUERY PLAN {sql}", [None] * parameter_count(sql, "sqlite"))
    return [(int(row[0]), int(row[1]), str(row[3])) for row in rows]


async def sqlite_distinct(raw: Any, table: str, columns: tuple[str, ...]) -> float:
    listed = ", ".join(quote(c) for c in columns)
    rows = await sqlite_rows(raw, f"SELECT count(*) FROM (SELECT DISTINCT {listed} FROM {quote(table)})")  # noqa: S608
    return float(rows[0][0])


async def sqlite_index_columns(raw: Any, index: str) -> tuple[str, ...]:
    rows = await sqlite_rows(raw, f"PRAGMA index_info({quote(index)})")
    return tuple(str(row[2]) for row in sorted(rows) if row[2] is not None)


async def sqlite_stats(raw: Any, tables: Iterable[str], indexes: Iterable[str]) -> SqliteStats:
    """Row counts and per-index rows per key prefix, measured on the data (what `ANALYZE` would store)."""
    table_rows: dict[str, float] = {}
    # identifiers below come from sqlite_master and are quoted: S608 does not apply
    known = {str(row[0]) for row in await sqlite_rows(raw, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in set(tables) & known:
        table_rows[table] = float((await sqlite_rows(raw, f"SELECT count(*) FROM {quote(table)}"))[0][0])  # noqa: S608
    index_rows: dict[str, list[float]] = {}
    for index in set(indexes):
        owner = await sqlite_rows(raw, "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?", [index])
        columns = await sqlite_index_columns(raw, index)
        if not owner or not columns:
            continue
        table = str(owner[0][0])
        if table not in table_rows:
            table_rows[table] = float((await sqlite_rows(raw, f"SELECT count(*) FROM {quote(table)}"))[0][0])  # noqa: S608
        total = table_rows[table]
        index_rows[index] = [
            total / max(await sqlite_distinct(raw, table, columns[: i + 1]), 1.0) for i in range(len(columns))
        ]
    return SqliteStats(table_rows, index_rows)


async def explain(
    database: Database, sql: str, *, seconds: float = 5.0, large_table_rows: int = LARGE_TABLE_ROWS
) -> PlanReport:
    """The plan report of one read-only SELECT; InvalidInput for anything else or what the database rejects."""
    check_read_only(sql, database.dialect)
    with database_errors(seconds):
        async with asyncio.timeout(seconds + 1.0), read_only(database, seconds) as session:
            if database.dialect == "postgresql":
                explained = await pg_explain(session, sql)
                rows = await pg_table_rows(session, scanned_tables(explained))
                return pg_report(sql, explained, rows, large_table_rows)
            plan = await sqlite_plan(session.raw, sql)
            aliases = table_aliases(sql, "sqlite")
            report = sqlite_report(sql, plan, SqliteStats({}, {}), large_table_rows, aliases)
            tables = {scan.table for scan in report.full_scans} | set(aliases.values())
            stats = await sqlite_stats(session.raw, tables, report.indexes_used)
            return sqlite_report(sql, plan, stats, large_table_rows, aliases)
