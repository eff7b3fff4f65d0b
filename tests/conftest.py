"""Shared fixtures: real PostgreSQL and Redis, reached or skipped (failed under CI=true)."""

from __future__ import annotations

import concurrent.futures
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from marketing_project.app import create_app
from marketing_project.settings import Settings, load_settings
from tests.support import ADMIN_KEY, EDITOR_KEY, VIEWER_KEY

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _require(service: str, host: str, port: int) -> None:
    if _reachable(host, port):
        return
    message = f"{service} is not reachable at {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: a service test must not skip)")
    pytest.skip(message)


@pytest.fixture
def postgres_url() -> str:
    """URL of the real PostgreSQL test database."""
    _require("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_URL


@pytest.fixture
def redis_url() -> str:
    """URL of the real Redis (database 15, flushed by the tests that write to it)."""
    _require("Redis", "127.0.0.1", 6379)
    return REDIS_URL


@pytest.fixture
def unique_prefix() -> Iterator[str]:
    """A namespace no other test run shares, so tests can run side by side on one server."""
    yield f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of our own on the real server for this test session, dropped afterwards."""
    _require("PostgreSQL", "127.0.0.1", 5432)
    import asyncio

    import asyncpg

    name = f"mp_test_{uuid.uuid4().hex[:10]}"
    admin_dsn = POSTGRES_URL

    async def run(statement: str) -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    def run_sync(statement: str) -> None:
        # a thread of its own: this fixture may be first requested from inside a running event loop
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, run(statement)).result()

    run_sync(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        run_sync(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path,
        "api_key": ADMIN_KEY,
        "api_keys": f"{EDITOR_KEY}:editor,{VIEWER_KEY}:viewer",
        "_env_file": None,
    }
    values.update(overrides)
    return load_settings(**values)


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings for the embedded SQLite store, and for a clean real PostgreSQL database."""
    if request.param == "sqlite":
        yield make_settings(tmp_path)
        return
    url = request.getfixturevalue("postgres_database")
    await _truncate(url)
    yield make_settings(tmp_path, postgres_url=url)


async def _truncate(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        exists = await conn.fetchval("SELECT to_regclass('public.content') IS NOT NULL")
        if exists:
            await conn.execute("TRUNCATE content")
    finally:
        await conn.close()


@pytest.fixture
async def client(backend_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(backend_settings) as client:
        yield client
