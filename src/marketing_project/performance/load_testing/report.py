"""The JSON report (`--output`). Schema `marketing-project/load-test-report/1`, times in seconds:

    {
      "schema": "marketing-project/load-test-report/1",
      "tool": "marketing-project-loadtest/<version>", "generated_at": ISO 8601, "target": URL, "test": name,
      "status": "completed" | "aborted" | "interrupted", "message": why it did not complete, or "",
      "passed": SLO (when --slo is given) met by every stage, and no run aborted,
      "settings": {"users", "duration", "ramp_up", "think_time", "rate", "timeout", "slo", "slo_gates"},
      "notes": [text],
      "stages": [{
        "name", "description", "passed",
        "slo": {"passed", "checks": [{"objective", "metric", "operator", "threshold", "actual", "passed"}]},
        "result": LoadTestResult (below), "parts": [LoadTestResult: stress steps or spike phases],
        "findings": {"capacity": {...}} (stress) | {"spike": {...}} | drift (endurance: first_quarter,
                    last_quarter, p95_change_percent, error_rate_change_points, memory or null)
      }],
      "analysis": {"slowest_endpoints", "capacity", "error_patterns", "recommendations"},
      "baseline": null | {"file", "generated_at", "comparisons": [...], "regressions": [...]}
    }

A LoadTestResult: name, status, message, model (closed | open), concurrent_users, target_rate, started_at,
duration_seconds, total_requests, successful_requests, failed_requests, cancelled_requests, error_rate (percent),
avg/min/max/p50/p90/p95/p99/p999_response_time, requests_per_second, bytes_received, connections_opened,
schedule_lag (how far the open model's sends fell behind schedule: waiting for a free connection, which is in the
latencies, plus the generator's own delay), generator_lag (that own delay alone — its core busy or descheduled —
which is not in the latencies), status_codes {code: n},
failures {reason: n}, endpoints [{name, total/successful/failed_requests, error_rate, requests_per_second,
latency {count, mean, min, max, p50, p90, p95, p99, p99.9}, status_codes, failures}],
timeline [{second, requests, failures, p50, p95, p99, max, mean, target_rate}].
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from marketing_project.performance.load_testing.stages import StageResult
from marketing_project.performance.load_testing.wire import USER_AGENT

SCHEMA = "marketing-project/load-test-report/1"


def stage_dict(stage: StageResult, gated: bool) -> dict[str, Any]:
    return {
        "name": stage.name,
        "description": stage.description,
        "passed": stage.result.status == "completed" and (stage.slo.passed or not gated),
        "slo": stage.slo.to_dict(),
        "result": stage.result.to_dict(),
        "parts": [{**part.to_dict(), "timeline": []} for part in stage.parts],
        "findings": stage.findings,
    }


def build_report(
    *,
    target: str,
    test: str,
    settings: dict[str, Any],
    stages: Sequence[StageResult],
    analysis: dict[str, Any],
    notes: Sequence[str] = (),
    status: str = "completed",
    message: str = "",
) -> dict[str, Any]:
    gated = bool(settings.get("slo_gates"))
    stage_dicts = [stage_dict(stage, gated) for stage in stages]
    return {
        "schema": SCHEMA,
        "tool": USER_AGENT,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "target": target,
        "test": test,
        "status": status,
        "message": message,
        "passed": status == "completed" and all(stage["passed"] for stage in stage_dicts),
        "settings": settings,
        "notes": list(notes),
        "stages": stage_dicts,
        "analysis": analysis,
        "baseline": None,
    }


def write_json(report: dict[str, Any], path: str) -> None:
    Path(path).write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS))
