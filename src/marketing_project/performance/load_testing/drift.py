"""Findings over time: drift of a long run (latency, errors, server memory) and a spike's recovery time."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Sequence
from typing import Any

from marketing_project.performance.load_testing.recorder import SecondStats
from marketing_project.performance.load_testing.stats import LoadTestResult
from marketing_project.performance.load_testing.wire import Target, fetch

_RSS = re.compile(rb"^process_resident_memory_bytes(?:\{[^}]*\})?\s+([0-9.eE+]+)", re.MULTILINE)
_MEMORY_KEYS = ("memory_rss_bytes", "rss_bytes", "memory_bytes", "memory_usage_bytes")


def _find_memory(data: Any) -> float | None:
    if isinstance(data, dict):
        for key in _MEMORY_KEYS:
            if isinstance(data.get(key), int | float):
                return float(data[key])
        if isinstance(data.get("memory_usage_mb"), int | float):
            return float(data["memory_usage_mb"]) * 1024 * 1024
        for value in data.values():
            found = _find_memory(value)
            if found is not None:
                return found
    return None


async def read_memory(target: Target) -> float | None:
    """The server's resident memory in bytes, from /metrics or our performance summary, when either has it."""
    try:
        metrics = await fetch(target, "GET", "/metrics", timeout_seconds=5)
        match = _RSS.search(metrics.body) if metrics.status == 200 else None
        if match:
            return float(match.group(1))
        summary = await fetch(target, "GET", "/api/v1/performance/summary", timeout_seconds=5)
        if summary.status == 200:
            return _find_memory(summary.json())
    except (OSError, TimeoutError, ValueError):
        return None
    return None


async def sample_memory(target: Target, interval: float, samples: list[tuple[float, float]]) -> None:
    started = time.monotonic()
    while True:
        value = await read_memory(target)
        if value is None and not samples:
            return  # the server does not publish its memory: nothing to sample
        if value is not None:
            samples.append((time.monotonic() - started, value))
        await asyncio.sleep(interval)


def _window(seconds: Sequence[SecondStats]) -> dict[str, float]:
    busy = [s for s in seconds if s.requests]
    requests = sum(s.requests for s in busy)
    p95s = sorted(s.p95 for s in busy)
    return {
        "seconds": len(seconds),
        "requests": requests,
        "error_rate": 100.0 * sum(s.failures for s in busy) / requests if requests else 0.0,
        "median_p95": p95s[len(p95s) // 2] if p95s else 0.0,
        "requests_per_second": requests / len(seconds) if seconds else 0.0,
    }


def drift(result: LoadTestResult, memory: Sequence[tuple[float, float]], warm_up: float) -> dict[str, Any]:
    """First quarter against last quarter of the run (after ramp-up); memory growth per hour when sampled."""
    timeline = [s for s in result.timeline if s.second >= warm_up]
    quarter = max(1, len(timeline) // 4)
    first, last = _window(timeline[:quarter]), _window(timeline[-quarter:])
    findings: dict[str, Any] = {"first_quarter": first, "last_quarter": last}
    if first["median_p95"]:
        findings["p95_change_percent"] = 100.0 * (last["median_p95"] / first["median_p95"] - 1)
    findings["error_rate_change_points"] = last["error_rate"] - first["error_rate"]
    if len(memory) >= 2:
        (t0, m0), (t1, m1) = memory[0], memory[-1]
        findings["memory"] = {
            "first_mb": m0 / 2**20,
            "last_mb": m1 / 2**20,
            "peak_mb": max(m for _, m in memory) / 2**20,
            "growth_mb": (m1 - m0) / 2**20,
            "growth_mb_per_hour": (m1 - m0) / 2**20 / (t1 - t0) * 3600 if t1 > t0 else 0.0,
            "samples": [[round(t, 1), round(m / 2**20, 2)] for t, m in memory],
        }
    else:
        findings["memory"] = None
    return findings


def recovery(whole: LoadTestResult, parts: Sequence[LoadTestResult], spike_end: float) -> dict[str, Any]:
    """Seconds after the spike until p95 is back near the baseline's (1.5x, or +5 ms) for 3 seconds running."""
    baseline = parts[0] if parts else whole
    limit = max(1.5 * baseline.p95_response_time, baseline.p95_response_time + 0.005)
    after = [s for s in whole.timeline if s.second >= int(spike_end)]
    recovered_at: float | None = None
    for i in range(len(after)):
        window = after[i : i + 3]
        if len(window) == 3 and all(s.requests and s.p95 <= limit and not s.failures for s in window):
            recovered_at = float(after[i].second - int(spike_end))
            break
    spike = parts[1] if len(parts) > 1 else whole
    return {
        "baseline_p95": baseline.p95_response_time,
        "spike_p95": spike.p95_response_time,
        "spike_error_rate": spike.error_rate,
        "recovery_threshold_p95": limit,
        "recovery_seconds": recovered_at,
        "recovered": recovered_at is not None,
    }
