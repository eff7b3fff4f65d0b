"""What monitoring costs: our server with monitoring on vs off, ours vs prometheus-fastapi-instrumentator on a bare
FastAPI app, and the server's memory before and after a million requests. wrk on core 0, servers on core 1.

    .venv/bin/python benchmarks/monitoring_overhead.py [--seconds 10] [--rounds 3] [--requests 1000000]

1. `GET /api/v1/health` on two instances of our server started the same way, PERFORMANCE_MONITORING_ENABLED=true
   and =false (goal: on >= 0.90x off), rounds alternating, medians and the median of per-round ratios.
2. `GET /health` on a bare FastAPI app, the same app with our MonitoringMiddleware, and with the instrumentator's
   default instrumentation (benchmarks/monitoring_apps.py).
3. VmRSS of a fresh server (monitoring on) at start, after 20,000 requests (ring buffer full) and after --requests
   requests mixing health checks, authenticated 404s on a templated route, unmatched paths and cached analyses.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import httpx

from _harness import CLIENT_CORE, median, require, uvicorn_process, wrk

KEY = "benchmark-admin-key-0123456789"
MIX = """
counter = 0
body = '{"content": {"title": "Launch", "content": "We launched a product today.", "type": "blog_post"}}'
request = function()
  counter = counter + 1
  local k = counter % 4
  if k == 0 then return wrk.format("GET", "/api/v1/health") end
  if k == 1 then return wrk.format("GET", "/api/v1/content/missing-" .. counter, {["X-API-Key"] = "KEY"}) end
  if k == 2 then return wrk.format("GET", "/no/such/path/" .. counter) end
  return wrk.format("POST", "/api/v1/analyze", {["X-API-Key"] = "KEY", ["Content-Type"] = "application/json"}, body)
end
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def served(base: str) -> int:
    summary = httpx.get(f"{base}/api/v1/performance/summary", headers={"X-API-Key": KEY}, timeout=10).json()
    return int(summary["requests_total"])


def run_mix(base: str, script: str, until: int) -> None:
    while (count := served(base)) < until:
        seconds = max(2, min(30, int((until - count) / 5000) + 1))
        command = ["taskset", "-c", CLIENT_CORE, require("wrk"), "-t1", "-c32", f"-d{seconds}s", "-s", script, base]
        subprocess.run(command, capture_output=True, check=True)


def ratio_row(name: str, values: list[float], peer: list[float]) -> str:
    paired = median([v / p for v, p in zip(values, peer, strict=True)])
    return (
        f"| {name} | {median(values):.0f} | {median(values) / median(peer):.2f}x | {paired:.2f}x "
        f"| {[round(v) for v in values]} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1_000_000, help="0 skips the memory part")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        env = {"API_KEY": KEY, "LOG_LEVEL": "WARNING", "POSTGRES_URL": "", "DATABASE_URL": "", "REDIS_URL": ""}
        runs: dict[str, list[float]] = {name: [] for name in ("off", "on", "bare", "ours", "instrumentator")}
        with (
            uvicorn_process("marketing_project.app:app_factory", {**env, "DATA_DIR": f"{scratch}/on"}, True) as (on, _),
            uvicorn_process(
                "marketing_project.app:app_factory",
                {**env, "DATA_DIR": f"{scratch}/off", "PERFORMANCE_MONITORING_ENABLED": "false"},
                True,
            ) as (off, _),
            uvicorn_process("benchmarks.bare_app:app") as (bare, _),
            uvicorn_process("benchmarks.monitoring_apps:ours") as (ours, _),
            uvicorn_process("benchmarks.monitoring_apps:instrumented") as (instrumented, _),
        ):
            for _ in range(args.rounds):
                runs["off"].append(wrk(f"{off}/api/v1/health", args.seconds))
                runs["on"].append(wrk(f"{on}/api/v1/health", args.seconds))
                runs["bare"].append(wrk(f"{bare}/health", args.seconds))
                runs["ours"].append(wrk(f"{ours}/health", args.seconds))
                runs["instrumentator"].append(wrk(f"{instrumented}/health", args.seconds))

        script = Path(scratch) / "mix.lua"
        script.write_text(MIX.replace('"KEY"', f'"{KEY}"'))
        memory = None
        if args.requests:
            with uvicorn_process("marketing_project.app:app_factory", {**env, "DATA_DIR": f"{scratch}/rss"}, True) as (
                base,
                pid,
            ):
                start = rss_mb(pid)
                run_mix(base, str(script), 20_000)
                warm = rss_mb(pid)
                run_mix(base, str(script), args.requests)
                memory = (start, warm, rss_mb(pid), served(base))

    command = (
        f".venv/bin/python benchmarks/monitoring_overhead.py --seconds {args.seconds} --rounds {args.rounds} "
        f"--requests {args.requests}"
    )
    print(f"command: {command}")
    print("wrk -t1 -c32 (core 0) against uvicorn --loop uvloop --http httptools, 1 worker (core 1)")
    print("| server and route | req/s (median) | ratio of medians | median of per-round ratios | rounds |")
    print("|---|---|---|---|---|")
    print(ratio_row("ours, monitoring off, `GET /api/v1/health`", runs["off"], runs["off"]))
    print(ratio_row("ours, monitoring on, `GET /api/v1/health`", runs["on"], runs["off"]))
    print(ratio_row("bare FastAPI `GET /health`", runs["bare"], runs["bare"]))
    print(ratio_row("bare + our MonitoringMiddleware", runs["ours"], runs["bare"]))
    print(ratio_row("bare + prometheus-fastapi-instrumentator", runs["instrumentator"], runs["bare"]))
    print(
        f"ours vs instrumentator on the bare app: {median(runs['ours']) / median(runs['instrumentator']):.2f}x "
        "(ratio of medians)"
    )
    if memory is not None:
        start, warm, end, total = memory
        print()
        print(f"server RSS (monitoring on, PERFORMANCE_METRICS_MAX_REQUESTS=10000), {total:,} requests served:")
        print("| at start | after 20,000 requests | after all | growth after the ring buffer filled |")
        print("|---|---|---|---|")
        print(f"| {start:.1f} MB | {warm:.1f} MB | {end:.1f} MB | {end - warm:+.1f} MB |")


if __name__ == "__main__":
    main()
