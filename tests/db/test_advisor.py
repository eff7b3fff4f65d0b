"""The proof of the query advisor: on 100k rows, the index it proposes is the one the planner then uses."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from marketing_project.db.advisor import Candidate, advise, candidates
from marketing_project.db.sql import Database
from marketing_project.db.sqltext import TableColumns
from tests.conftest import IN_CI, _truncate, make_settings, running_app
from tests.db.test_explain import seed
from tests.support import ADMIN

QUERY = "SELECT id, title FROM content WHERE source_url = 'https://example.com/7' ORDER BY updated_at DESC LIMIT 20"
ADVISE = "/api/v1/performance/queries/advise"
EXPLAIN = "/api/v1/performance/queries/explain"


@pytest.fixture
async def hypopg_database(postgres_database: str) -> AsyncIterator[str]:
    conn = await asyncpg.connect(postgres_database)
    try:
        if not await conn.fetchval("SELECT count(*) FROM pg_available_extensions WHERE name = 'hypopg'"):
            message = "HypoPG is not installed on the PostgreSQL server (Debian package postgresql-15-hypopg)"
            if IN_CI:
                pytest.fail(f"{message} (CI=true: .ci/run must install it)")
            pytest.skip(message)
        await conn.execute("CREATE EXTENSION IF NOT EXISTS hypopg")
    finally:
        await conn.close()
    await _truncate(postgres_database)
    yield postgres_database
    conn = await asyncpg.connect(postgres_database)
    try:
        for (name,) in await conn.fetch("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'ix_content_source%'"):
            await conn.execute(f'DROP INDEX "{name}"')
        await conn.execute("TRUNCATE content")
    finally:
        await conn.close()


@pytest.mark.postgres
async def test_postgres_advisor_proposes_the_index_the_planner_then_uses(tmp_path: Path, hypopg_database: str) -> None:
    async with running_app(make_settings(tmp_path, postgres_url=hypopg_database)) as client:
        database: Database = client.app.state.services.database  # type: ignore[attr-defined]
        await seed(database, 100_000)
        # the slow query runs through the app's engine, so the query log holds it (normalized, with $n)
        async with database.connect() as conn:
            await conn.execute(text(QUERY.replace("'https://example.com/7'", ":url")), {"url": "https://example.com/7"})
        response = await client.post(ADVISE, json={}, headers=ADMIN)
        assert response.status_code == 200, response.text
        (suggestion,) = response.json()["suggestions"]
        assert suggestion["table"] == "content"
        assert suggestion["columns"][0] == "source_url"
        assert suggestion["improvement"] >= 0.5
        assert suggestion["cost_after"] <= suggestion["cost_before"] * 0.5
        assert suggestion["create_index"].startswith("CREATE INDEX ix_content_source_url")
        assert any("source_url = $" in query for query in suggestion["queries"])

        before = (await client.post(EXPLAIN, json={"sql": QUERY}, headers=ADMIN)).json()
        assert before["full_scans"] and not before["indexes_used"]
        conn = await asyncpg.connect(hypopg_database)
        try:
            await conn.execute(suggestion["create_index"])
            await conn.execute("ANALYZE content")
        finally:
            await conn.close()
        after = (await client.post(EXPLAIN, json={"sql": QUERY}, headers=ADMIN)).json()
        assert any(line.lstrip("-> ").startswith(("Index Scan", "Bitmap Index Scan")) for line in after["plan"]), after
        assert suggestion["create_index"].split()[2] in after["indexes_used"]
        assert after["full_scans"] == []
        assert after["total_cost"] <= before["total_cost"] * 0.5
        # and once it exists, the advisor no longer proposes it
        again = (await client.post(ADVISE, json={"statements": [QUERY]}, headers=ADMIN)).json()
        assert again["suggestions"] == []


@pytest.mark.postgres
async def test_without_hypopg_the_advice_says_what_to_install(tmp_path: Path, postgres_database: str) -> None:
    conn = await asyncpg.connect(postgres_database)
    try:
        await conn.execute("DROP EXTENSION IF EXISTS hypopg")
    finally:
        await conn.close()
    database = Database(make_settings(tmp_path, postgres_url=postgres_database))
    try:
        from marketing_project.errors import ServiceUnavailable

        with pytest.raises(ServiceUnavailable, match="postgresql-15-hypopg"):
            await advise(database, ["SELECT 1"])
    finally:
        await database.close()


async def test_sqlite_advisor_measures_on_a_scratch_schema_and_leaves_the_database_alone(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path)) as client:
        database: Database = client.app.state.services.database  # type: ignore[attr-defined]
        await seed(database, 20_000)
        before = (await client.post(EXPLAIN, json={"sql": QUERY}, headers=ADMIN)).json()
        response = await client.post(ADVISE, json={"statements": [QUERY, "DELETE FROM content"]}, headers=ADMIN)
        assert response.status_code == 200, response.text
        body = response.json()
    (suggestion,) = body["suggestions"]
    assert suggestion["columns"][0] == "source_url"
    assert suggestion["improvement"] >= 0.5
    assert "read-only SELECT" in body["statements"][1]["note"]
    live = tmp_path / "marketing_project.db"
    with sqlite3.connect(live) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert not any(name.startswith(("mp_candidate", "ix_content_source")) for name in names)
        conn.execute(suggestion["create_index"])
        plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {QUERY}"))
    assert "USING INDEX ix_content_source_url" in plan
    assert before["full_scans"] and before["sorts_without_index"]


def test_candidates_skip_what_an_existing_index_serves() -> None:
    found = TableColumns("content", equality=("type",), order=(("created_at", True),))
    assert Candidate("content", (("type", False), ("created_at", False))) in candidates(found)
    served = candidates(found, existing=[("type", "created_at", "id")])
    assert served == [Candidate("content", (("created_at", False),))]
