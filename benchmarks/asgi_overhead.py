"""The app's own cost per request, without a server or network: ours vs the bare FastAPI app, in one process.

    .venv/bin/python benchmarks/asgi_overhead.py [--requests 20000] [--rounds 7]

wrk through uvicorn (benchmarks/http_baseline.py) is the figure users see, but on this 2-vCPU VM its rounds swing
by ±15%, more than the differences it is meant to show. Calling each ASGI app directly in a loop, alternating
rounds on one pinned core and keeping each app's fastest round, isolates what differs between the two apps
(middleware, routing, the endpoint) from what they share (uvicorn, httptools, the kernel).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _scope(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"wrk"), (b"accept", b"*/*")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _round(app: Any, path: str, requests: int) -> float:
    """Microseconds per request; every response must be a 200."""
    statuses: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    started = time.perf_counter()
    for _ in range(requests):
        await app(_scope(path), _receive, send)
    elapsed = time.perf_counter() - started
    if set(statuses) != {200}:
        raise RuntimeError(f"{path}: statuses {sorted(set(statuses))}")
    return elapsed / requests * 1e6


async def _main(requests: int, rounds: int) -> None:
    os.environ.update(
        {
            "DATA_DIR": tempfile.mkdtemp(prefix="asgi-bench-"),
            "LOG_LEVEL": "WARNING",
            "POSTGRES_URL": "",
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "API_KEY": "benchkey-" + "0" * 24,
        }
    )
    from benchmarks.bare_app import app as bare

    from marketing_project.app import create_app

    ours = create_app()
    async with ours.router.lifespan_context(ours):
        cases = [("bare FastAPI `GET /health`", bare, "/health"), ("ours `GET /api/v1/health`", ours, "/api/v1/health")]
        for _, app, path in cases:
            await _round(app, path, 2000)  # warm up: middleware stacks are built on the first call
        gc.collect()
        gc.freeze()
        times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for _ in range(rounds):
            for name, app, path in cases:
                times[name].append(await _round(app, path, requests))
    # the fastest round: interference from the rest of the machine only ever adds time
    base = min(times[cases[0][0]])
    print("| app and route | µs per request (fastest round) | throughput vs bare | rounds (µs) |")
    print("|---|---|---|---|")
    for name, values in times.items():
        value = min(values)
        print(f"| {name} | {value:.1f} | {base / value:.2f}x | {[round(v, 1) for v in values]} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    print(f"command: taskset -c 1 .venv/bin/python benchmarks/asgi_overhead.py --requests {args.requests} "
          f"--rounds {args.rounds}")  # fmt: skip
    import uvloop

    uvloop.run(_main(args.requests, args.rounds))


if __name__ == "__main__":
    main()
