"""SQLite index advice: real indexes in a scratch in-memory copy of the schema, planned with the live statistics.

The scratch database has the live tables and indexes (their DDL from sqlite_master) but no rows. Its sqlite_stat1
is written with what ANALYZE would measure on the live data (rows per table, rows per key prefix of every index,
candidates included), so SQLite's planner chooses there as it would on the live database, without copying data or
writing to it. The live database is only read, in a `query_only` connection.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from marketing_project.db.advisor import Advice, Candidate, Trial, candidates, choose
from marketing_project.db.explain import (
    quote,
    read_only,
    sqlite_distinct,
    sqlite_index_columns,
    sqlite_rows,
    sqlite_stats,
)
from marketing_project.db.plans import SqliteStats, sqlite_report
from marketing_project.db.sql import Database
from marketing_project.db.sqltext import candidate_columns, parameter_count, table_aliases


def _stat_line(total: float, per_prefix: list[float]) -> str:
    return " ".join(str(max(round(v), 1)) for v in [total, *per_prefix])


class Scratch:
    """The schema without the data, in memory; `plan()` explains a statement there."""

    def __init__(self, ddl: list[str]) -> None:
        # a private in-memory database touched by this one thread only, closed by `close()`
        self.conn = sqlite3.connect(":memory:", check_same_thread=False)
        for statement in ddl:
            self.conn.execute(statement)
        self.conn.execute("ANALYZE")  # creates sqlite_stat1 (empty: there are no rows)
        self.conn.execute("DELETE FROM sqlite_stat1")

    def set_stats(self, table: str, index: str | None, line: str) -> None:
        self.conn.execute("DELETE FROM sqlite_stat1 WHERE tbl = ? AND idx IS ?", (table, index))
        self.conn.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", (table, index, line))

    def plan(self, sql: str) -> list[tuple[int, int, str]]:
        self.conn.execute("ANALYZE sqlite_schema")  # reload sqlite_stat1 into the planner
        sql = sql.strip().rstrip(";")
        rows = self.conn.execute(f"EXPLAIN QUERY PLAN {sql}", [None] * parameter_count(sql, "sqlite")).fetchall()
        return [(int(row[0]), int(row[1]), str(row[3])) for row in rows]

    def close(self) -> None:
        self.conn.close()


async def _live_schema(raw: Any, tables: set[str]) -> tuple[list[str], dict[str, list[tuple[str, str]]]]:
    """DDL of every table and index (tables first), and the named indexes of `tables` with their columns."""
    rows = await sqlite_rows(
        raw,
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE sql IS NOT NULL AND type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' "
        "ORDER BY type = 'index', rowid",
    )
    ddl = [str(row[3]) for row in rows]
    indexes: dict[str, list[tuple[str, str]]] = {table: [] for table in tables}
    for kind, name, table, _ in rows:
        if kind == "index" and table in tables:
            indexes[table].append((str(name), str(table)))
    for table in tables:  # automatic indexes (PRIMARY KEY, UNIQUE) have no DDL but the scratch copy has them too
        for row in await sqlite_rows(raw, f"PRAGMA index_list({quote(table)})"):
            if str(row[1]).startswith("sqlite_autoindex"):
                indexes[table].append((str(row[1]), table))
    return ddl, indexes


async def sqlite_advise(database: Database, statement: str, seconds: float, min_improvement: float) -> Advice:
    aliases = table_aliases(statement, "sqlite")
    async with read_only(database, seconds) as session:
        raw = session.raw
        known = {str(r[0]) for r in await sqlite_rows(raw, "SELECT name FROM sqlite_master WHERE type = 'table'")}
        tables = set(aliases.values()) & known
        ddl, indexes = await _live_schema(raw, tables)
        stats = await sqlite_stats(raw, tables, [name for named in indexes.values() for name, _ in named])
        existing: dict[str, list[tuple[str, ...]]] = {}
        for table, named in indexes.items():
            existing[table] = [await sqlite_index_columns(raw, name) for name, _ in named]
        schema = {
            table: {str(r[1]) for r in await sqlite_rows(raw, f"PRAGMA table_info({quote(table)})")} for table in tables
        }
        proposals = [
            c
            for found in candidate_columns(statement, "sqlite", schema)
            for c in candidates(found, existing.get(found.table, ()))
        ]
        candidate_rows: dict[Candidate, list[float]] = {}
        for candidate in proposals:
            total = stats.table_rows.get(candidate.table, 0.0)
            candidate_rows[candidate] = [
                total / max(await sqlite_distinct(raw, candidate.table, candidate.columns[: i + 1]), 1.0)
                for i in range(len(candidate.columns))
            ]
    return await asyncio.to_thread(_measure, statement, ddl, indexes, stats, candidate_rows, aliases, min_improvement)


def _measure(
    statement: str,
    ddl: list[str],
    indexes: dict[str, list[tuple[str, str]]],
    stats: SqliteStats,
    candidate_rows: dict[Candidate, list[float]],
    aliases: dict[str, str],
    min_improvement: float,
) -> Advice:
    scratch = Scratch(ddl)
    try:
        for table, named in indexes.items():
            total = stats.table_rows.get(table, 0.0)
            scratch.set_stats(table, None, _stat_line(total, []))
            for name, _ in named:
                scratch.set_stats(table, name, _stat_line(total, list(stats.index_rows.get(name, ()))))
        before = sqlite_report(statement, scratch.plan(statement), stats, aliases=aliases).total_cost or 0.0
        trials: list[tuple[Candidate, Trial]] = []
        for candidate, per_prefix in candidate_rows.items():
            name = f"mp_candidate_{len(trials)}"
            scratch.conn.execute(candidate.ddl(name))
            scratch.set_stats(candidate.table, name, _stat_line(stats.table_rows.get(candidate.table, 0.0), per_prefix))
            trial_stats = SqliteStats(stats.table_rows, {**stats.index_rows, name: per_prefix})
            report = sqlite_report(statement, scratch.plan(statement), trial_stats, aliases=aliases)
            scratch.conn.execute(f"DROP INDEX {quote(name)}")
            scratch.conn.execute("DELETE FROM sqlite_stat1 WHERE idx = ?", (name,))
            trials.append(
                (candidate, Trial(candidate.statement(), report.total_cost or 0.0, name in report.indexes_used))
            )
    finally:
        scratch.close()
    return Advice(statement, before, choose(statement, before, trials, min_improvement), tuple(t for _, t in trials))
