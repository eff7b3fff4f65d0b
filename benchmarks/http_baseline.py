"""Our server vs a bare FastAPI app, same uvicorn flags, same run (wrk on core 0, server on core 1).

    .venv/bin/python benchmarks/http_baseline.py [--seconds 10] [--rounds 3]

Measures GET /api/v1/health (goal: >= 0.85x the bare app's JSON route, with auth and error handling in place) and
GET /api/v1/content/{id} (an authenticated read from the embedded SQLite store), alternating A B A B; medians.
"""

from __future__ import annotations

import argparse
import tempfile

import httpx

from _harness import median, uvicorn_server, wrk

KEY = "benchmark-admin-key-0123456789"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    bare_rps: list[float] = []
    health_rps: list[float] = []
    content_rps: list[float] = []
    with tempfile.TemporaryDirectory() as data_dir:
        env = {"API_KEY": KEY, "DATA_DIR": data_dir, "LOG_LEVEL": "WARNING"}
        for name in ("POSTGRES_URL", "DATABASE_URL", "REDIS_URL"):
            env[name] = ""
        with (
            uvicorn_server("benchmarks.bare_app:app") as bare,
            uvicorn_server("marketing_project.app:app_factory", env=env, factory=True) as ours,
        ):
            created = httpx.post(
                f"{ours}/api/v1/content",
                json={"id": "bench-post", "type": "blog_post", "title": "Benchmark", "content": "Body " * 200},
                headers={"X-API-Key": KEY},
            )
            created.raise_for_status()
            for _ in range(args.rounds):
                bare_rps.append(wrk(f"{bare}/health", args.seconds))
                health_rps.append(wrk(f"{ours}/api/v1/health", args.seconds))
                content_rps.append(
                    wrk(f"{ours}/api/v1/content/bench-post", args.seconds, headers=[f"X-API-Key: {KEY}"])
                )

    bare, health, content = median(bare_rps), median(health_rps), median(content_rps)
    paired_health = median([h / b for h, b in zip(health_rps, bare_rps, strict=True)])
    paired_content = median([c / b for c, b in zip(content_rps, bare_rps, strict=True)])
    command = f".venv/bin/python benchmarks/http_baseline.py --seconds {args.seconds} --rounds {args.rounds}"
    print(f"command: {command}")
    print("wrk -t1 -c32 (core 0) against uvicorn --loop uvloop --http httptools, 1 worker (core 1)")
    print("| server and route | req/s (median) | ratio of medians | median of per-round ratios | rounds |")
    print("|---|---|---|---|---|")
    print(f"| bare FastAPI `GET /health` | {bare:.0f} | 1.00x | 1.00x | {[round(v) for v in bare_rps]} |")
    print(
        f"| ours `GET /api/v1/health` | {health:.0f} | {health / bare:.2f}x | {paired_health:.2f}x "
        f"| {[round(v) for v in health_rps]} |"
    )
    print(
        f"| ours `GET /api/v1/content/{{id}}` (key + SQLite read) | {content:.0f} | {content / bare:.2f}x "
        f"| {paired_content:.2f}x | {[round(v) for v in content_rps]} |"
    )


if __name__ == "__main__":
    main()
