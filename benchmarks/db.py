"""Pooled vs unpooled database access through the API, on SQLite and PostgreSQL, in the same run.

    .venv/bin/python benchmarks/db.py [--seconds 5] [--rounds 3] [--postgres postgresql://postgres@127.0.0.1:5432/test]

For each backend two servers run side by side, identical but for DATABASE_POOL_ENABLED (true: SQLAlchemy's pool;
false: NullPool, a new connection per request). The content cache is off (PERFORMANCE_CACHE_ENABLED=false) so every
request reaches the database. wrk (core 0) drives GET /api/v1/content?limit=20 (list) and GET /api/v1/content/{id}
(get) against uvicorn (core 1), alternating pooled and unpooled each round; medians. PostgreSQL itself is not pinned.
A third server per backend, pooled with PERFORMANCE_QUERY_OPTIMIZATION_ENABLED=false, prices the statement timing
(the slow-query log). A scratch PostgreSQL database is created for the run and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import uuid
from contextlib import ExitStack

import asyncpg
import httpx

from _harness import median, uvicorn_server, wrk

KEY = "benchmark-admin-key-0123456789"
ITEMS = 200
MODES = {
    "pooled": {"DATABASE_POOL_ENABLED": "true"},
    "unpooled": {"DATABASE_POOL_ENABLED": "false"},
    "untimed": {"DATABASE_POOL_ENABLED": "true", "PERFORMANCE_QUERY_OPTIMIZATION_ENABLED": "false"},
}


def seed(base: str) -> str:
    with httpx.Client(base_url=base, headers={"X-API-Key": KEY}, timeout=30) as client:
        for i in range(ITEMS):
            body = {"id": f"bench-{i}", "type": "blog_post", "title": f"Post {i}", "content": "Body " * 200}
            client.post("/api/v1/content", json=body).raise_for_status()
    return f"bench-{ITEMS // 2}"


async def _admin(url: str, statement: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()

    scratch = f"mp_bench_{uuid.uuid4().hex[:8]}"
    pg_url = args.postgres.rsplit("/", 1)[0] + "/" + scratch
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{scratch}"'))
    results: dict[tuple[str, str, str], list[float]] = {}
    try:
        with tempfile.TemporaryDirectory() as sqlite_dir, tempfile.TemporaryDirectory() as pg_dir:
            backends = {"SQLite": {"DATA_DIR": sqlite_dir}, "PostgreSQL": {"DATA_DIR": pg_dir, "POSTGRES_URL": pg_url}}
            for backend, extra in backends.items():
                env = {
                    "API_KEY": KEY,
                    "LOG_LEVEL": "WARNING",
                    "PERFORMANCE_CACHE_ENABLED": "false",
                    "REDIS_URL": "",
                    "DATABASE_URL": "",
                    "POSTGRES_URL": "",
                    "MONGODB_URL": "",
                    **extra,
                }
                with ExitStack() as stack:
                    servers = {
                        mode: stack.enter_context(
                            uvicorn_server("marketing_project.app:app_factory", env={**env, **extra_env}, factory=True)
                        )
                        for mode, extra_env in MODES.items()
                    }
                    item = seed(servers["pooled"])  # both servers share the database
                    routes = {"list": "/api/v1/content?limit=20", "get": f"/api/v1/content/{item}"}
                    for _ in range(args.rounds):
                        for route, path in routes.items():
                            for mode, base in servers.items():
                                rps = wrk(base + path, args.seconds, headers=[f"X-API-Key: {KEY}"])
                                results.setdefault((backend, route, mode), []).append(rps)
    finally:
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))

    print(f"command: .venv/bin/python benchmarks/db.py --seconds {args.seconds} --rounds {args.rounds}")
    print("wrk -t1 -c32 (core 0) against uvicorn --loop uvloop --http httptools, 1 worker (core 1); cache off")
    print("| backend | route | pooled req/s | unpooled req/s | pooled / unpooled | rounds (pooled; unpooled) |")
    print("|---|---|---|---|---|---|")
    for backend in ("SQLite", "PostgreSQL"):
        for route in ("list", "get"):
            pooled = results[(backend, route, "pooled")]
            unpooled = results[(backend, route, "unpooled")]
            ratio = median([p / u for p, u in zip(pooled, unpooled, strict=True)])
            print(
                f"| {backend} | {route} | {median(pooled):.0f} | {median(unpooled):.0f} | {ratio:.2f}x "
                f"| {[round(v) for v in pooled]}; {[round(v) for v in unpooled]} |"
            )
    print()
    print("| backend | route | query log on req/s | query log off req/s | on / off |")
    print("|---|---|---|---|---|")
    for backend in ("SQLite", "PostgreSQL"):
        for route in ("list", "get"):
            timed = results[(backend, route, "pooled")]
            untimed = results[(backend, route, "untimed")]
            ratio = median([t / u for t, u in zip(timed, untimed, strict=True)])
            print(f"| {backend} | {route} | {median(timed):.0f} | {median(untimed):.0f} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
