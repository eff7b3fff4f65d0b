"""The slow-query log: every statement timed (SQLAlchemy engine events), normalized, aggregated in bounded memory.

Per normalized statement: calls, errors, total, mean, max and p95 from a log-bucketed histogram (each bucket 19%
wider than the last, so p95 is within 19% of the truth); the slowest executions are kept in a small heap. Memory is
bounded: at most `max_statements` distinct statements (later ones are aggregated under `OTHER`), a fixed number of
buckets each, and `keep_slowest` executions. Only normalized text is kept: no literal or parameter value.
"""

from __future__ import annotations

import heapq
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from marketing_project.db.sqltext import Normalizer

logger = logging.getLogger("marketing_project.db.queries")

OTHER = "<other statements>"
_FLOOR = 1e-5  # 10 µs: the first bucket holds everything faster
_GROWTH = 2**0.25
_BUCKETS = 100  # up to 10 µs * 1.19**99 ≈ 280 s; slower lands in the last bucket
_LOG_GROWTH = math.log(_GROWTH)
_STARTED = "_mp_statement_started"
_LOG_INTERVAL = 1.0  # under load every statement can be slow: say so once a second, not once a statement


def _bucket(seconds: float) -> int:
    if seconds <= _FLOOR:
        return 0
    return min(int(math.log(seconds / _FLOOR) / _LOG_GROWTH) + 1, _BUCKETS - 1)


def _upper_bound(index: int) -> float:
    return _FLOOR * _GROWTH**index


@dataclass(frozen=True, slots=True)
class StatementStats:
    statement: str
    calls: int
    errors: int
    slow: int
    total_seconds: float
    mean_seconds: float
    p95_seconds: float
    max_seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "calls": self.calls,
            "errors": self.errors,
            "slow": self.slow,
            "total_ms": round(self.total_seconds * 1000, 3),
            "mean_ms": round(self.mean_seconds * 1000, 3),
            "p95_ms": round(self.p95_seconds * 1000, 3),
            "max_ms": round(self.max_seconds * 1000, 3),
        }


@dataclass(frozen=True, slots=True)
class SlowExecution:
    statement: str
    seconds: float
    at: float

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.statement, "duration_ms": round(self.seconds * 1000, 3), "at": self.at}


class _Aggregate:
    __slots__ = ("buckets", "calls", "errors", "max", "slow", "total")

    def __init__(self) -> None:
        self.calls = 0
        self.errors = 0
        self.slow = 0
        self.total = 0.0
        self.max = 0.0
        self.buckets = [0] * _BUCKETS

    def p95(self) -> float:
        wanted = math.ceil(self.calls * 0.95)
        seen = 0
        for index, count in enumerate(self.buckets):
            seen += count
            if seen >= wanted:
                return min(_upper_bound(index), self.max)
        return self.max


class QueryLog:
    """Aggregates statement timings; `attach(engine)` feeds it every statement the engine runs."""

    def __init__(
        self,
        backend: str,
        *,
        slow_threshold: float = 0.2,
        max_statements: int = 500,
        keep_slowest: int = 20,
        clock: Callable[[], float] = time.perf_counter,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.backend = backend
        self.slow_threshold = slow_threshold
        self.max_statements = max_statements
        self.keep_slowest = keep_slowest
        self.normalize = Normalizer(backend)
        self._clock = clock
        self._wall_clock = wall_clock
        self._stats: dict[str, _Aggregate] = {}
        self._slowest: list[tuple[float, int, SlowExecution]] = []
        self._sequence = 0
        self.started_at = wall_clock()
        self._logged_at = -_LOG_INTERVAL
        self._unlogged = 0

    def record(self, sql: str, seconds: float, *, failed: bool = False, normalized: bool = False) -> None:
        statement = sql if normalized else self.normalize(sql)
        aggregate = self._stats.get(statement)
        if aggregate is None:
            if len(self._stats) >= self.max_statements:
                statement = OTHER
                aggregate = self._stats.get(OTHER)
            if aggregate is None:
                aggregate = self._stats[statement] = _Aggregate()
        aggregate.calls += 1
        aggregate.total += seconds
        aggregate.max = max(aggregate.max, seconds)
        aggregate.buckets[_bucket(seconds)] += 1
        if failed:
            aggregate.errors += 1
        if seconds >= self.slow_threshold:
            aggregate.slow += 1
            self._log_slow(statement, seconds)
        if len(self._slowest) < self.keep_slowest or seconds > self._slowest[0][0]:
            self._sequence += 1
            entry = (seconds, self._sequence, SlowExecution(statement, seconds, self._wall_clock()))
            if len(self._slowest) < self.keep_slowest:
                heapq.heappush(self._slowest, entry)
            else:
                heapq.heapreplace(self._slowest, entry)

    def _log_slow(self, statement: str, seconds: float) -> None:
        now = self._clock()
        if now - self._logged_at < _LOG_INTERVAL:
            self._unlogged += 1
            return
        more = f" (and {self._unlogged} more slow statements since the last report)" if self._unlogged else ""
        logger.warning("slow statement (%.1f ms): %s%s", seconds * 1000, statement, more)
        self._logged_at = now
        self._unlogged = 0

    def statements(self, order_by: str = "total", limit: int | None = None) -> list[StatementStats]:
        rows = [
            StatementStats(
                statement=name,
                calls=a.calls,
                errors=a.errors,
                slow=a.slow,
                total_seconds=a.total,
                mean_seconds=a.total / a.calls,
                p95_seconds=a.p95(),
                max_seconds=a.max,
            )
            for name, a in self._stats.items()
            if a.calls
        ]
        keys: dict[str, Callable[[StatementStats], float]] = {
            "total": lambda s: s.total_seconds,
            "mean": lambda s: s.mean_seconds,
            "p95": lambda s: s.p95_seconds,
            "calls": lambda s: s.calls,
            "max": lambda s: s.max_seconds,
        }
        rows.sort(key=keys[order_by], reverse=True)
        return rows if limit is None else rows[:limit]

    def slowest(self) -> list[SlowExecution]:
        return [entry for _, _, entry in sorted(self._slowest, key=lambda e: (-e[0], e[1]))]

    def reset(self) -> None:
        self._stats.clear()
        self._slowest.clear()
        self.started_at = self._wall_clock()

    def attach(self, engine: Engine) -> None:
        """Time every statement `engine` executes (the async engine's `.sync_engine`)."""
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(engine, "handle_error", self._error)

    def detach(self, engine: Engine) -> None:
        event.remove(engine, "before_cursor_execute", self._before)
        event.remove(engine, "after_cursor_execute", self._after)
        event.remove(engine, "handle_error", self._error)

    def _before(self, _conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any, _many: bool) -> None:
        if context is not None:
            setattr(context, _STARTED, self._clock())

    def _after(self, _conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
        started = getattr(context, _STARTED, None)
        if started is not None:
            self.record(statement, self._clock() - started)

    def _error(self, context: Any) -> None:
        execution = context.execution_context
        started = getattr(execution, _STARTED, None) if execution is not None else None
        if started is not None and context.statement:
            self.record(context.statement, self._clock() - started, failed=True)
