"""Comparison with an earlier report (`--baseline old.json`): regressions are flagged per stage and metric.

Worse by more than 10 % (latency also by more than 1 ms, so microsecond noise is not a regression), error rate up
by more than half a percentage point, throughput or capacity down by more than 10 %.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from marketing_project.performance.load_testing.report import SCHEMA

_LATENCIES = ("p50_response_time", "p95_response_time", "p99_response_time")
RELATIVE = 0.10
LATENCY_FLOOR = 0.001
ERROR_POINTS = 0.5


class BaselineError(ValueError):
    """The baseline file is missing or is not a report of this tool."""


def load_baseline(path: str) -> dict[str, Any]:
    try:
        data = orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {path}: {exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise BaselineError(f"the baseline {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("stages"), list):
        raise BaselineError(f"the baseline {path} is not a load-test report (--output of this tool, schema {SCHEMA})")
    return data


def _row(stage: str, metric: str, before: float | None, after: float | None, worse: bool) -> dict[str, Any]:
    change = None
    if before and after is not None:
        change = 100.0 * (after / before - 1)
    return {
        "stage": stage,
        "metric": metric,
        "baseline": before,
        "current": after,
        "change_percent": change,
        "regression": worse,
    }


def compare(report: dict[str, Any], baseline: dict[str, Any], source: str) -> dict[str, Any]:
    before_stages = {stage["name"]: stage for stage in baseline["stages"]}
    rows: list[dict[str, Any]] = []
    for stage in report["stages"]:
        old = before_stages.get(stage["name"])
        if old is None:
            continue
        now, then = stage["result"], old["result"]
        for metric in _LATENCIES:
            b, a = then.get(metric), now.get(metric)
            if isinstance(b, int | float) and isinstance(a, int | float):
                worse = a > b * (1 + RELATIVE) and a - b > LATENCY_FLOOR
                rows.append(_row(stage["name"], metric, b, a, worse))
        b, a = then.get("error_rate"), now.get("error_rate")
        if isinstance(b, int | float) and isinstance(a, int | float):
            rows.append(_row(stage["name"], "error_rate", b, a, a - b > ERROR_POINTS))
        b, a = then.get("requests_per_second"), now.get("requests_per_second")
        if isinstance(b, int | float) and isinstance(a, int | float) and stage["name"] != "stress":
            rows.append(_row(stage["name"], "requests_per_second", b, a, a < b * (1 - RELATIVE)))
        b = ((old.get("findings") or {}).get("capacity") or {}).get("capacity_rps")
        a = ((stage.get("findings") or {}).get("capacity") or {}).get("capacity_rps")
        if isinstance(b, int | float):
            rows.append(_row(stage["name"], "capacity_rps", b, a, a is None or a < b * (1 - RELATIVE)))
    return {
        "file": source,
        "generated_at": baseline.get("generated_at"),
        "comparisons": rows,
        "regressions": [row for row in rows if row["regression"]],
    }
