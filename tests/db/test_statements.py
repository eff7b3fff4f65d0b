from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from marketing_project.db.sql import Database
from marketing_project.db.statements import OTHER, QueryLog
from tests.conftest import make_settings, running_app
from tests.support import EDITOR, VIEWER


def test_calls_total_mean_max_and_a_bucketed_p95() -> None:
    log = QueryLog("sqlite")
    for i in range(1, 101):
        log.record("SELECT * FROM content WHERE id = 'x'", i / 1000)  # 1 ms .. 100 ms
    (stats,) = log.statements()
    assert stats.calls == 100
    assert abs(stats.total_seconds - 5.05) < 1e-9
    assert abs(stats.mean_seconds - 0.0505) < 1e-9
    assert stats.max_seconds == 0.1
    # the true p95 is 95 ms; buckets are 19% wide, so the estimate lies within [95 ms, 95 ms * 1.19]
    assert 0.095 <= stats.p95_seconds <= 0.095 * 2**0.25


def test_memory_is_bounded_distinct_statements_and_slowest() -> None:
    log = QueryLog("sqlite", max_statements=10, keep_slowest=3)
    for i in range(50):
        log.record(f"SELECT * FROM t{i}", i / 100)  # noqa: S608 - a table name, not a value
    names = [row.statement for row in log.statements()]
    assert len(names) == 11 and OTHER in names
    assert next(row for row in log.statements() if row.statement == OTHER).calls == 40
    assert [round(e.seconds, 2) for e in log.slowest()] == [0.49, 0.48, 0.47]


def test_slow_statements_are_counted_against_the_threshold() -> None:
    log = QueryLog("sqlite", slow_threshold=0.05)
    log.record("SELECT 1", 0.01)
    log.record("SELECT 2", 0.2)
    (stats,) = log.statements()
    assert (stats.calls, stats.slow) == (2, 1)


async def test_every_statement_the_engine_runs_is_logged_normalized(tmp_path: Path) -> None:
    database = Database(make_settings(tmp_path))
    try:
        async with database.connect() as conn:
            await conn.execute(text("SELECT 'secret-value' AS a"))
            await conn.execute(text("SELECT 'other-value' AS a"))
            with contextlib.suppress(DBAPIError):  # the failure itself is what is logged
                await conn.execute(text("SELECT * FROM no_such_table WHERE x = 'hidden'"))
        rows = {row.statement: row for row in database.queries.statements()}
        assert rows["SELECT ? AS a"].calls == 2
        assert rows["SELECT * FROM no_such_table WHERE x = ?"].errors == 1
        assert not any("value" in name or "hidden" in name for name in rows)
    finally:
        await database.close()


async def test_the_queries_endpoint_lists_the_apps_statements(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path)) as client:
        await client.post("/api/v1/content", json={"type": "blog_post", "title": "T", "content": "B"}, headers=EDITOR)
        await client.get("/api/v1/content", headers=VIEWER)
        assert (await client.get("/api/v1/performance/queries")).status_code == 401
        body = (await client.get("/api/v1/performance/queries", params={"limit": 100}, headers=VIEWER)).json()
    statements = [row["statement"] for row in body["statements"]]
    assert any(s.startswith("INSERT INTO content") for s in statements)
    assert any(s.startswith("SELECT content.id") and "ORDER BY content.created_at DESC" in s for s in statements)
    assert body["backend"] == "sqlite"
    assert all({"calls", "total_ms", "mean_ms", "p95_ms", "max_ms"} <= row.keys() for row in body["statements"])
    assert body["slowest"]
