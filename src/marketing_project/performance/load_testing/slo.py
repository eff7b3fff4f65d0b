"""Service level objectives as text — `p95<200ms,error_rate<1%,rps>=500` — parsed strictly and checked.

Metrics: p50 p90 p95 p99 p99.9 (or p999) mean (avg) min max, with a unit (us, ms, s); error_rate in percent
(`1%`); rps (requests per second, plain number or `/s`). Operators: < <= > >=.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marketing_project.performance.load_testing.stats import LoadTestResult

DEFAULT_SLO = "p95<500ms,error_rate<1%"
_LATENCY = {
    "p50": "p50_response_time",
    "p90": "p90_response_time",
    "p95": "p95_response_time",
    "p99": "p99_response_time",
    "p99.9": "p999_response_time",
    "p999": "p999_response_time",
    "mean": "avg_response_time",
    "avg": "avg_response_time",
    "min": "min_response_time",
    "max": "max_response_time",
}
_UNITS = {"us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0}
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_RULE = re.compile(r"^\s*([a-z_][a-z0-9_.]*)\s*(<=|>=|<|>)\s*([0-9]*\.?[0-9]+)\s*([a-zµ/%]*)\s*$", re.IGNORECASE)


class SloError(ValueError):
    """SLO text that cannot be understood; the message quotes the part at fault and shows a valid example."""


@dataclass(frozen=True)
class Objective:
    text: str
    metric: str  # a LoadTestResult attribute
    op: str
    threshold: float  # seconds, percent or requests/s

    def check(self, result: LoadTestResult) -> Check:
        if result.successful_requests == 0 and self.metric != "error_rate":
            return Check(self, float("nan"), False)  # nothing answered: no latency or throughput can pass
        actual = float(getattr(result, self.metric))
        return Check(self, actual, _OPERATORS[self.op](actual, self.threshold))


@dataclass(frozen=True)
class Check:
    objective: Objective
    actual: float
    passed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective.text,
            "metric": self.objective.metric,
            "operator": self.objective.op,
            "threshold": self.objective.threshold,
            "actual": self.actual,
            "passed": self.passed,
        }


def _problem(part: str, why: str) -> SloError:
    return SloError(f'invalid SLO {part.strip()!r}: {why} (example: --slo "p95<200ms,error_rate<1%")')


def parse_slo(text: str) -> tuple[Objective, ...]:
    if not text or not text.strip():
        raise SloError('empty SLO (example: --slo "p95<200ms,error_rate<1%")')
    objectives = []
    for part in text.split(","):
        match = _RULE.match(part)
        if match is None:
            raise _problem(part, "expected METRIC OPERATOR VALUE[UNIT]")
        name, op, number, unit = match.group(1).lower(), match.group(2), float(match.group(3)), match.group(4)
        unit = unit.lower()
        if name in _LATENCY:
            if unit not in _UNITS:
                raise _problem(part, "a latency needs a unit: us, ms or s")
            objectives.append(Objective(part.strip(), _LATENCY[name], op, number * _UNITS[unit]))
        elif name in {"error_rate", "errors"}:
            if unit != "%":
                raise _problem(part, "error_rate is a percentage, e.g. error_rate<1%")
            if number > 100:
                raise _problem(part, "a percentage is at most 100")
            objectives.append(Objective(part.strip(), "error_rate", op, number))
        elif name in {"rps", "throughput", "requests_per_second"}:
            if unit not in {"", "/s", "rps"}:
                raise _problem(part, "throughput is in requests per second, e.g. rps>=500")
            objectives.append(Objective(part.strip(), "requests_per_second", op, number))
        else:
            known = ", ".join([*dict.fromkeys(_LATENCY), "error_rate", "rps"])
            raise _problem(part, f"unknown metric {name!r} (known: {known})")
    return tuple(objectives)


@dataclass(frozen=True)
class SloReport:
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "checks": [check.to_dict() for check in self.checks]}


def evaluate(objectives: tuple[Objective, ...], result: LoadTestResult) -> SloReport:
    return SloReport(tuple(objective.check(result) for objective in objectives))
