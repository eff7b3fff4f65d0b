"""What a run means: slowest endpoints, capacity, error patterns and recommendations a person can act on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marketing_project.performance.load_testing.stages import StageResult

_HINTS = {
    "HTTP 503": "503 responses: the database pool or a dependency was saturated; raise DATABASE_POOL_MAX_CONNECTIONS"
    " / POSTGRES_POOL_SIZE, add workers or replicas, or lower the load.",
    "HTTP 429": "429 responses: a rate limit answered; exclude the load generator's key from it or test below it.",
    "HTTP 401": "401 responses: the API key is missing or unknown; pass a valid one with --api-key.",
    "HTTP 403": "403 responses: the API key's role is too low for some endpoints (writes need editor).",
    "HTTP 413": "413 responses: request bodies exceed MAX_REQUEST_SIZE.",
    "timeout": "Timeouts: the server stopped answering within --timeout; it is saturated or stalled — see the p99 "
    "and the latency chart for when it began.",
    "timeout waiting for a free connection": "Requests waited longer than --timeout for a free connection: raise "
    "--users (the open model's connection cap) or lower --rate.",
    "connection refused": "Refused connections: the server was down or its listen backlog was full.",
    "connection reset by peer": "Connection resets: the server or a proxy dropped connections (crashes, worker "
    "restarts, keep-alive limits).",
    "connection closed by the server mid-response": "Connections closed mid-response: look for worker restarts or "
    "proxy timeouts in the server logs.",
}


def _hint(reason: str) -> str | None:
    if reason in _HINTS:
        return _HINTS[reason]
    if reason.startswith("HTTP 5"):
        return f"{reason} responses: server errors; look them up in the server log by their X-Request-ID."
    if reason.startswith("malformed response"):
        return "Malformed responses: something between us and the app (proxy, TLS terminator) is not speaking HTTP/1.1."
    if reason.startswith("TLS"):
        return "TLS failures: check the certificate, or pass --insecure for a self-signed test deployment."
    return None


def analyze(stages: Sequence[StageResult]) -> dict[str, Any]:
    slowest = sorted(
        (
            {
                "stage": s.name,
                "endpoint": e.name,
                "p95": e.latency.p95,
                "p99": e.latency.p99,
                "requests": e.total_requests,
            }
            for s in stages
            for e in s.result.endpoints
            if e.total_requests
        ),
        key=lambda row: -float(row["p95"]),  # type: ignore[arg-type]
    )[:5]
    patterns: dict[str, dict[str, Any]] = {}
    total = sum(s.result.total_requests for s in stages) or 1
    for stage in stages:
        for endpoint in stage.result.endpoints:
            for reason, count in endpoint.failures.items():
                entry = patterns.setdefault(reason, {"reason": reason, "count": 0, "endpoints": {}, "stages": []})
                entry["count"] += count
                entry["endpoints"][endpoint.name] = entry["endpoints"].get(endpoint.name, 0) + count
                if stage.name not in entry["stages"]:
                    entry["stages"].append(stage.name)
    errors = sorted(patterns.values(), key=lambda entry: -int(entry["count"]))
    for entry in errors:
        entry["share_percent"] = 100.0 * entry["count"] / total
    capacity = next((s.findings["capacity"] for s in stages if "capacity" in s.findings), None)
    return {
        "slowest_endpoints": slowest,
        "capacity": capacity,
        "error_patterns": errors,
        "recommendations": _recommendations(stages, errors, slowest),
    }


def _recommendations(
    stages: Sequence[StageResult], errors: list[dict[str, Any]], slowest: list[dict[str, Any]]
) -> list[str]:
    advice = [hint for entry in errors if (hint := _hint(entry["reason"]))]
    for stage in stages:
        result = stage.result
        if result.status != "completed":
            advice.append(f"{stage.name}: the run did not complete ({result.message}).")
        lag, own = result.schedule_lag, result.generator_lag
        if own.count and own.p99 > 0.01:
            advice.append(
                f"{stage.name}: the load generator itself sent requests up to {own.p99 * 1000:.0f} ms (p99) late "
                "(its CPU was full or descheduled): it did not produce the load asked for. That delay is not in the "
                "latencies; run it on a less busy machine or ask for a lower --rate."
            )
        elif lag.count and lag.p99 > 0.01:
            advice.append(
                f"{stage.name}: requests waited up to {lag.p99 * 1000:.0f} ms (p99) for a free connection, and that "
                "wait is in the latencies: the server held them all; raise --users to offer it more."
            )
        if result.p99_response_time > 0.05 and result.p99_response_time > 5 * result.p50_response_time:
            advice.append(
                f"{stage.name}: long tail — p99 is "
                f"{result.p99_response_time / max(result.p50_response_time, 1e-9):.0f}x p50; "
                "look for stalls (blocking calls in async code, locks, GC pauses, cold caches)."
            )
        capacity = stage.findings.get("capacity")
        if capacity and capacity.get("sustainable_rate"):
            advice.append(
                f"Capacity: {capacity['capacity_rps']:.0f} req/s within the SLO; keep the expected peak below about 70%"
                f" of it ({0.7 * capacity['capacity_rps']:.0f} req/s) per instance."
            )
        elif capacity:
            advice.append("stress: no step met the SLO, even the lowest rate: the SLO or the deployment needs work.")
        spike = stage.findings.get("spike")
        if spike and not spike["recovered"]:
            advice.append(
                "spike: latency did not return to the baseline before the end: the backlog outlived the spike."
            )
        memory = stage.findings.get("memory") or {}
        if memory and memory.get("growth_mb_per_hour", 0) > 50:
            advice.append(f"endurance: server memory grew {memory['growth_mb_per_hour']:.0f} MB/hour: look for a leak.")
    if slowest and len(slowest) > 1 and slowest[0]["p95"] > 2 * slowest[-1]["p95"] > 0:
        advice.append(f"Slowest: {slowest[0]['endpoint']} (p95 {slowest[0]['p95'] * 1000:.1f} ms) — optimize it first.")
    return list(dict.fromkeys(advice))
