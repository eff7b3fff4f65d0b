from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import text

from marketing_project.content.models import ContentItem
from marketing_project.content.repository import SqlContentRepository
from marketing_project.db.migrate import migrate
from marketing_project.db.pools import build_pools
from marketing_project.db.sql import Database
from marketing_project.db.urls import async_url
from marketing_project.errors import ServiceUnavailable, SettingsError
from marketing_project.settings import Settings
from tests.conftest import make_settings, running_app
from tests.support import EDITOR, VIEWER

DEAD_POSTGRES = "postgresql://postgres@127.0.0.1:1/test"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql+asyncpg://u:***@h:5432/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+psycopg://u@h/db?sslmode=require", "postgresql+asyncpg://u@h/db?ssl=require"),
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
    ],
)
def test_guide_style_urls_get_the_async_driver(raw: str, expected: str) -> None:
    assert async_url(raw).render_as_string(hide_password=True) == expected


@pytest.mark.parametrize("raw", ["mysql://u@h/db", "not a url"])
def test_unsupported_urls_are_settings_errors(raw: str) -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        async_url(raw)


async def test_sqlite_runs_in_wal_mode_and_migrations_are_idempotent(tmp_path: Path) -> None:
    database = Database(make_settings(tmp_path))
    try:
        await database.wait_until_ready()
        await migrate(database)
        await migrate(database)
        async with database.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar() == "0001"
    finally:
        await database.close()
    assert (tmp_path / "marketing_project.db").exists()


async def _failed_transaction_stores_nothing(settings: Settings) -> None:
    database = Database(settings)
    await database.wait_until_ready()
    await migrate(database)
    repository = SqlContentRepository(database)
    try:
        with pytest.raises(RuntimeError):
            async with database.transaction() as conn:
                from marketing_project.content.models import content_table
                from marketing_project.content.repository import _values

                await conn.execute(content_table.insert().values(_values(ContentItem("half", "blog_post", "T", "B"))))
                raise RuntimeError("failure after the insert")
        assert await repository.get("half") is None
    finally:
        await database.close()


async def test_a_failed_write_leaves_no_partial_record_sqlite(tmp_path: Path) -> None:
    await _failed_transaction_stores_nothing(make_settings(tmp_path))


@pytest.mark.postgres
async def test_a_failed_write_leaves_no_partial_record_postgres(tmp_path: Path, postgres_database: str) -> None:
    await _failed_transaction_stores_nothing(make_settings(tmp_path, postgres_url=postgres_database))


@pytest.mark.postgres
async def test_pool_exhaustion_is_a_503_not_a_hang(tmp_path: Path, postgres_database: str) -> None:
    settings = make_settings(
        tmp_path,
        postgres_url=postgres_database,
        postgres_pool_size=1,
        database_pool_max_connections=1,
        database_pool_min_connections=1,
        database_pool_timeout=0.3,
    )
    async with running_app(settings) as client:
        database: Database = client.app.state.services.database  # type: ignore[attr-defined]
        async with database.connect():
            response = await client.get("/api/v1/content", headers=VIEWER)
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "service_unavailable"
        assert "DATABASE_POOL_TIMEOUT" in error["message"]
        assert response.headers["retry-after"] == "1"
        assert database.pool_stats()["checkout_timeouts"] == 1
        # and once the connection is back, requests succeed again
        assert (await client.get("/api/v1/content", headers=VIEWER)).status_code == 200


@pytest.mark.postgres
async def test_unreachable_database_is_503_and_not_ready(tmp_path: Path, postgres_database: str) -> None:
    async with running_app(make_settings(tmp_path, postgres_url=postgres_database)) as client:
        app = client.app  # type: ignore[attr-defined]
        healthy, healthy_pools = app.state.services, app.state.pools
        dead = Database(make_settings(tmp_path, postgres_url=DEAD_POSTGRES, database_pool_retry_attempts=1))
        app.state.services = dataclasses.replace(healthy, database=dead, repository=SqlContentRepository(dead))
        app.state.pools = build_pools(dead, healthy.cache, None, interval=0)
        try:
            ready = await client.get("/api/v1/ready")
            assert ready.status_code == 503
            assert ready.json()["checks"]["database"]["status"] == "error"
            read = await client.get("/api/v1/content", headers=VIEWER)
            assert read.status_code == 503
            write = await client.post(
                "/api/v1/content", json={"type": "blog_post", "title": "T", "content": "B"}, headers=EDITOR
            )
            assert write.status_code == 503
            assert dead.pool_stats()["connect_errors"] >= 2
            assert dead.pool_stats()["retries"] >= 1
            assert (await client.get("/api/v1/health")).status_code == 200
        finally:
            app.state.services, app.state.pools = healthy, healthy_pools
            await dead.close()


async def test_start_up_retries_then_fails_with_a_clear_message(tmp_path: Path) -> None:
    database = Database(make_settings(tmp_path, postgres_url=DEAD_POSTGRES, database_pool_retry_attempts=1))
    try:
        with pytest.raises(ConnectionError, match=r"Cannot reach the database at postgresql\+asyncpg://postgres@"):
            await database.wait_until_ready()
        assert database.counters.connects == 0
    finally:
        await database.close()


async def test_checkout_from_a_dead_server_is_service_unavailable(tmp_path: Path) -> None:
    database = Database(make_settings(tmp_path, postgres_url=DEAD_POSTGRES, database_pool_retry_attempts=2))
    try:
        with pytest.raises(ServiceUnavailable):
            async with database.connect():
                pass
        assert database.counters.retries == 2
        assert database.counters.connect_errors == 3
    finally:
        await database.close()


@pytest.mark.postgres
async def test_a_killed_connection_is_replaced_by_pre_ping(tmp_path: Path, postgres_database: str) -> None:
    settings = make_settings(
        tmp_path,
        postgres_url=postgres_database,
        postgres_pool_size=1,
        database_pool_max_connections=1,
        database_pool_min_connections=1,
    )
    async with running_app(settings) as client:
        assert (await client.get("/api/v1/content", headers=VIEWER)).status_code == 200
        database: Database = client.app.state.services.database  # type: ignore[attr-defined]
        async with database.connect() as conn:
            pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar()
        killer = Database(make_settings(tmp_path, postgres_url=postgres_database))
        try:
            async with killer.connect() as conn:
                assert (await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})).scalar()
        finally:
            await killer.close()
        await asyncio.sleep(0.05)
        assert (await client.get("/api/v1/content", headers=VIEWER)).status_code == 200


async def test_ready_reports_database_latency(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path)) as client:
        body = (await client.get("/api/v1/ready")).json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["backend"] == "sqlite"
    assert body["checks"]["database"]["latency_ms"] >= 0


def test_pool_follows_the_settings(tmp_path: Path) -> None:
    database = Database(
        make_settings(tmp_path, postgres_url=DEAD_POSTGRES, postgres_pool_size=4, database_pool_max_connections=9)
    )
    stats = database.pool_stats()
    assert stats["size"] == 4
    assert database.engine.pool._max_overflow == 5  # type: ignore[attr-defined]
    assert "password" not in stats["url"]
    unpooled = Database(make_settings(tmp_path, postgres_url=DEAD_POSTGRES, database_pool_enabled=False))
    assert unpooled.pool_stats()["pooled"] is False


async def test_health_uses_no_dependency(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path)) as client:
        services = client.app.state.services  # type: ignore[attr-defined]
        await services.database.close()
        client.app.state.services = None  # type: ignore[attr-defined]
        assert (await client.get("/api/v1/health")).json()["status"] == "ok"
