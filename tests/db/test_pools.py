"""Every pool in one registry: statistics, health checks, metrics, and recovery from connections killed mid-use."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis

from marketing_project.db.pools import PoolRegistry
from marketing_project.settings import Settings
from tests.conftest import make_settings, running_app
from tests.support import EDITOR, VIEWER

POOLS = "/api/v1/performance/database"
FIELDS = {"size", "max_size", "in_use", "idle", "overflow", "waits", "timeouts", "errors", "last_health_check"}


async def test_every_pool_reports_its_counts_and_last_health_check(client: httpx.AsyncClient) -> None:
    assert (await client.get(POOLS)).status_code == 401
    body = (await client.get(POOLS, headers=VIEWER)).json()
    (sql,) = body["pools"]
    assert sql.keys() >= FIELDS
    assert sql["name"] == "sql" and sql["max_size"] == 10
    checked = sql["last_health_check"]
    assert checked["ok"] is True  # checked at start-up
    again = (await client.get(POOLS, params={"check": "true"}, headers=VIEWER)).json()["pools"][0]
    assert again["last_health_check"]["at"] > checked["at"]
    ready = (await client.get("/api/v1/ready")).json()
    assert ready["pools"][0]["name"] == "sql"


@pytest.mark.redis
async def test_the_redis_pool_is_registered_checked_and_exported(
    tmp_path: Path, redis_url: str, unique_prefix: str
) -> None:
    settings = make_settings(tmp_path, redis_url=redis_url, redis_key_prefix=unique_prefix, redis_max_connections=7)
    async with running_app(settings) as client:
        await client.post("/api/v1/content", json={"type": "blog_post", "title": "T", "content": "B"}, headers=EDITOR)
        pools = {pool["name"]: pool for pool in (await client.get(POOLS, headers=VIEWER)).json()["pools"]}
        assert set(pools) == {"sql", "redis"}
        redis = pools["redis"]
        assert redis["max_size"] == 7 and redis["size"] >= 1 and redis["in_use"] + redis["idle"] == redis["size"]
        assert redis["last_health_check"]["ok"] is True
        metrics = (await client.get("/metrics")).text
    assert 'db_pool_max_size{backend="redis"} 7.0' in metrics
    assert 'db_pool_healthy{backend="sqlite"} 1.0' in metrics
    assert 'db_pool_checkout_timeouts_total{backend="sqlite"} 0.0' in metrics


async def test_a_failing_pool_is_reported_unhealthy(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, redis_url="redis://127.0.0.1:1/0")
    async with running_app(settings) as client:
        pools = {p["name"]: p for p in (await client.get(POOLS, params={"check": "1"}, headers=VIEWER)).json()["pools"]}
        assert pools["redis"]["last_health_check"]["ok"] is False
        assert pools["redis"]["last_health_check"]["error"]
        assert pools["sql"]["last_health_check"]["ok"] is True
        assert 'db_pool_healthy{backend="redis"} 0.0' in (await client.get("/metrics")).text


async def test_close_closes_every_pool_even_when_one_fails() -> None:
    closed: list[str] = []

    async def close(name: str) -> None:
        closed.append(name)
        if name == "cache":
            raise RuntimeError("boom")

    registry = PoolRegistry(interval=0.01)
    for name in ("database", "cache", "mongodb"):
        registry.register(None, lambda name=name: close(name))  # type: ignore[misc]
    await registry.start()
    await registry.close()
    assert closed == ["mongodb", "cache", "database"]


def _pg_settings(tmp_path: Path, url: str) -> Settings:
    return make_settings(
        tmp_path,
        postgres_url=url,
        postgres_pool_size=2,
        database_pool_max_connections=2,
        database_health_check_interval=0,
    )


@pytest.mark.postgres
async def test_a_connection_killed_mid_request_fails_that_request_only(tmp_path: Path, postgres_database: str) -> None:
    async with running_app(_pg_settings(tmp_path, postgres_database)) as client:
        created = await client.post(
            "/api/v1/content", json={"type": "blog_post", "title": "T", "content": "B"}, headers=EDITOR
        )
        content_id = created.json()["id"]
        blocker = await asyncpg.connect(postgres_database)
        try:
            # hold the table so the request's query waits on its checked-out connection, then kill that connection
            await blocker.execute("BEGIN; LOCK TABLE content IN ACCESS EXCLUSIVE MODE")
            request = asyncio.create_task(client.get(f"/api/v1/content/{content_id}", headers=VIEWER))
            pid = None
            for _ in range(200):
                pid = await blocker.fetchval(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = 'marketing-project' "
                    "AND datname = current_database() AND wait_event_type = 'Lock'"
                )
                if pid is not None:
                    break
                await asyncio.sleep(0.02)
            assert pid is not None, "the request never reached the database"
            assert await blocker.fetchval("SELECT pg_terminate_backend($1)", pid)
            await blocker.execute("ROLLBACK")
        finally:
            await blocker.close()
        failed = await request
        assert failed.status_code == 503
        assert "lost during the request" in failed.json()["error"]["message"]
        # the pool dropped the dead connection: the retry and every later request succeed
        for _ in range(10):
            assert (await client.get(f"/api/v1/content/{content_id}", headers=VIEWER)).status_code == 200
            assert (await client.get("/api/v1/content", params={"limit": 5}, headers=VIEWER)).status_code == 200


@pytest.mark.redis
async def test_a_killed_redis_connection_is_replaced_without_a_failed_request(
    tmp_path: Path, redis_url: str, unique_prefix: str
) -> None:
    settings = make_settings(tmp_path, redis_url=redis_url, redis_key_prefix=unique_prefix)
    async with running_app(settings) as client:
        cache = client.app.state.services.cache  # type: ignore[attr-defined]
        redis = cache.redis
        body = {"type": "blog_post", "title": "T", "content": "B"}
        assert (await client.post("/api/v1/content", json=body, headers=EDITOR)).status_code == 201
        errors = redis.counters.errors
        killer = Redis.from_url(redis_url)
        try:
            for _ in range(3):
                # the pool hands out its most recently used connection next: kill exactly that one
                client_id = await redis.client.client_id()
                assert await killer.client_kill_filter(_id=client_id) == 1
                created = await client.post("/api/v1/content", json=body, headers=EDITOR)
                assert created.status_code == 201
                read = await client.get(f"/api/v1/content/{created.json()['id']}", headers=VIEWER)
                assert read.status_code == 200
        finally:
            await killer.aclose()
        assert redis.counters.errors == errors  # each dead connection was replaced and the command retried
