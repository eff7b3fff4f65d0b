"""Index suggestions measured by the planner, not guessed (the Dexter approach).

For each statement: the columns it filters (WHERE), joins (JOIN ... ON) and sorts (ORDER BY) on, read with sqlglot,
become candidate indexes (single columns, equality columns, equality + range, equality + sort, the sort). Each
candidate is created, the statement re-explained and its cost compared with the cost without it:
PostgreSQL creates hypothetical indexes with HypoPG (nothing is built, only the planner sees them); SQLite creates
real indexes in a scratch in-memory copy of the schema given the live data's statistics (see `scratch`). An index is
suggested only when the plan uses it and the cost drops by at least `min_improvement` (50%).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from marketing_project.db.explain import Session, database_errors, pg_explain, quote, read_only
from marketing_project.db.plans import pg_report
from marketing_project.db.sql import Database
from marketing_project.db.sqltext import TableColumns, candidate_columns, check_read_only
from marketing_project.errors import AppError, InvalidInput, ServiceUnavailable

MIN_IMPROVEMENT = 0.5
Key = tuple[str, bool]  # (column, descending)


@dataclass(frozen=True, slots=True)
class Candidate:
    table: str
    keys: tuple[Key, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(column for column, _ in self.keys)

    @property
    def name(self) -> str:
        return f"ix_{self.table}_{'_'.join(self.columns)}"[:63]

    def ddl(self, name: str | None = None) -> str:
        listed = ", ".join(quote(c) + (" DESC" if desc else "") for c, desc in self.keys)
        return f"CREATE INDEX {quote(name or self.name)} ON {quote(self.table)} ({listed})"

    def statement(self) -> str:
        """The CREATE INDEX to run, with identifiers quoted only where they need it."""
        listed = ", ".join(_ident(c) + (" DESC" if desc else "") for c, desc in self.keys)
        return f"CREATE INDEX {_ident(self.name)} ON {_ident(self.table)} ({listed})"


def _ident(name: str) -> str:
    return name if name.isidentifier() and name.islower() else quote(name)


@dataclass(frozen=True, slots=True)
class Trial:
    index: str
    cost: float
    used: bool


@dataclass(frozen=True, slots=True)
class IndexSuggestion:
    table: str
    columns: tuple[str, ...]
    create_index: str
    cost_before: float
    cost_after: float
    improvement: float
    queries: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["improvement"] = round(self.improvement, 4)
        return body


@dataclass(frozen=True, slots=True)
class Advice:
    """One statement's outcome: the best index, if one pays, and every candidate tried."""

    statement: str
    cost_before: float | None
    suggestion: IndexSuggestion | None
    trials: tuple[Trial, ...]
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "cost_before": self.cost_before,
            "suggestion": self.suggestion.to_dict() if self.suggestion else None,
            "trials": [asdict(trial) for trial in self.trials],
            "note": self.note,
        }


def candidates(found: TableColumns, existing: Iterable[tuple[str, ...]] = ()) -> list[Candidate]:
    """Candidate indexes for one table, without those an existing index already serves (a leading prefix)."""
    equality = list(dict.fromkeys(found.equality + found.joins))[:3]
    ranges = list(found.ranges[:1])
    order = [column for column, _ in found.order]
    mixed = len({desc for _, desc in found.order}) > 1
    direction = {column: desc for column, desc in found.order} if mixed else {}
    shapes: list[list[str]] = [[column] for column in equality + ranges + order[:1]]
    if len(equality) > 1:
        shapes.append(equality)
    if equality and ranges:
        shapes.append(equality + ranges)
    if equality and order:
        shapes.append(equality + [c for c in order if c not in equality])
    if len(order) > 1:
        shapes.append(order)
    served = [tuple(columns) for columns in existing]
    result: list[Candidate] = []
    for shape in shapes:
        columns = tuple(dict.fromkeys(shape))
        if any(index[: len(columns)] == columns for index in served):
            continue
        candidate = Candidate(found.table, tuple((c, direction.get(c, False)) for c in columns))
        if candidate not in result:
            result.append(candidate)
    return result


def choose(
    statement: str, before: float, trials: Sequence[tuple[Candidate, Trial]], min_improvement: float
) -> IndexSuggestion | None:
    useful = [(candidate, trial) for candidate, trial in trials if trial.used and trial.cost < before]
    if not useful or before <= 0:
        return None
    # cheapest plan first; among equals the narrower index (cheaper to keep up to date)
    candidate, trial = min(useful, key=lambda pair: (pair[1].cost, len(pair[0].keys)))
    improvement = 1 - trial.cost / before
    if improvement < min_improvement:
        return None
    return IndexSuggestion(
        candidate.table, candidate.columns, candidate.statement(), before, trial.cost, improvement, (statement,)
    )


def merge(advice: Iterable[Advice]) -> list[IndexSuggestion]:
    """One suggestion per index, listing every statement it helps; the largest improvement first."""
    merged: dict[tuple[str, str], IndexSuggestion] = {}
    for item in advice:
        found = item.suggestion
        if found is None:
            continue
        key = (found.table, found.create_index)
        previous = merged.get(key)
        if previous is None:
            merged[key] = found
        else:
            best = found if found.improvement > previous.improvement else previous
            merged[key] = IndexSuggestion(
                best.table,
                best.columns,
                best.create_index,
                best.cost_before,
                best.cost_after,
                best.improvement,
                tuple(dict.fromkeys(previous.queries + found.queries)),
            )
    return sorted(merged.values(), key=lambda s: s.improvement, reverse=True)


# -- PostgreSQL + HypoPG ----------------------------------------------------------------------------------------------


async def _pg_schema(
    session: Session, tables: list[str]
) -> tuple[dict[str, set[str]], dict[str, list[tuple[str, ...]]]]:
    raw = session.raw
    columns: dict[str, set[str]] = {table: set() for table in tables}
    for row in await raw.fetch(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_name = ANY($1::text[]) AND table_schema = ANY(current_schemas(false))",
        tables,
    ):
        columns[row["table_name"]].add(row["column_name"])
    existing: dict[str, list[tuple[str, ...]]] = {table: [] for table in tables}
    for row in await raw.fetch(
        "SELECT c.relname AS table_name, "
        "array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n) "
        "      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
        "WHERE c.relname = ANY($1::text[]) AND pg_table_is_visible(c.oid)",
        tables,
    ):
        existing[row["table_name"]].append(tuple(row["columns"]))
    return columns, existing


async def _pg_advise(session: Session, statement: str, min_improvement: float) -> Advice:
    raw = session.raw
    if not await raw.fetchval("SELECT count(*) FROM pg_extension WHERE extname = 'hypopg'"):
        raise ServiceUnavailable(
            "Index advice on PostgreSQL needs the HypoPG extension: install it (Debian: postgresql-15-hypopg) and "
            "run CREATE EXTENSION hypopg in this database"
        )
    before = pg_report(statement, await pg_explain(session, statement), {}).total_cost or 0.0
    tables = sorted({f.table for f in candidate_columns(statement, "postgresql")})
    schema, existing = await _pg_schema(session, tables)
    trials: list[tuple[Candidate, Trial]] = []
    try:
        for found in candidate_columns(statement, "postgresql", schema):
            for candidate in candidates(found, existing.get(found.table, ())):
                row = await raw.fetchrow("SELECT indexrelid, indexname FROM hypopg_create_index($1)", candidate.ddl())
                report = pg_report(statement, await pg_explain(session, statement), {})
                await raw.execute("SELECT hypopg_drop_index($1)", row["indexrelid"])
                cost = report.total_cost or 0.0
                trials.append((candidate, Trial(candidate.statement(), cost, row["indexname"] in report.indexes_used)))
    finally:
        await raw.execute("SELECT hypopg_reset()")
    return Advice(statement, before, choose(statement, before, trials, min_improvement), tuple(t for _, t in trials))


async def advise(
    database: Database,
    statements: Iterable[str],
    *,
    seconds: float = 5.0,
    min_improvement: float = MIN_IMPROVEMENT,
) -> list[Advice]:
    """Advice per statement; a statement the database cannot explain gets a note instead of stopping the rest."""
    results: list[Advice] = []
    for statement in dict.fromkeys(statements):
        try:
            check_read_only(statement, database.dialect)
            results.append(await _advise_one(database, statement, seconds, min_improvement))
        except ServiceUnavailable:
            raise
        except AppError as exc:
            results.append(Advice(statement, None, None, (), note=exc.message))
    return results


async def _advise_one(database: Database, statement: str, seconds: float, min_improvement: float) -> Advice:
    with database_errors(seconds):
        if database.dialect == "postgresql":
            async with asyncio.timeout(seconds * 4), read_only(database, seconds) as session:
                return await _pg_advise(session, statement, min_improvement)
        from marketing_project.db.scratch import sqlite_advise

        async with asyncio.timeout(seconds * 4):
            return await sqlite_advise(database, statement, seconds, min_improvement)
    raise InvalidInput("unreachable")  # pragma: no cover
