"""The guide's five alert thresholds, evaluated every second with a Prometheus-like `for` duration.

A rule is `ok` while its condition is false (or has no data), `pending` once it turns true, `firing` once it has
stayed true for `for_seconds`, and `resolved` after firing until it fires again. `since` is when the state began.
"""

from __future__ import annotations

import logging
import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

logger = logging.getLogger("marketing_project.performance")

OK, PENDING, FIRING, RESOLVED = "ok", "pending", "firing", "resolved"


@dataclass(frozen=True, slots=True)
class AlertStatus:
    name: str
    summary: str
    state: str
    since: datetime
    value: float | None
    threshold: float
    comparison: str
    for_seconds: float
    fired_at: datetime | None


class AlertRule:
    def __init__(self, name: str, summary: str, comparison: str, threshold: float, for_seconds: float) -> None:
        self.name = name
        self.summary = summary
        self.comparison = comparison
        self.threshold = threshold
        self.for_seconds = for_seconds
        self._breached: Callable[[float, float], bool] = operator.gt if comparison == ">" else operator.lt
        self.state = OK
        self.since = datetime.now(UTC)
        self.value: float | None = None
        self.fired_at: datetime | None = None
        self._true_since: datetime | None = None

    def evaluate(self, value: float | None, now: datetime) -> None:
        self.value = value
        breached = value is not None and self._breached(value, self.threshold)
        if not breached:
            self._true_since = None
            if self.state == FIRING:
                self._enter(RESOLVED, now)
                logger.warning("alert %s resolved (%s; value %s)", self.name, self.summary, _shown(value))
            elif self.state == PENDING:
                self._enter(OK, now)
            return
        if self._true_since is None:
            self._true_since = now
        if self.state == FIRING:
            return
        if (now - self._true_since).total_seconds() >= self.for_seconds:
            self._enter(FIRING, now)
            self.fired_at = now
            logger.warning("alert %s firing: %s (value %s)", self.name, self.summary, _shown(value))
        elif self.state != PENDING:
            self._enter(PENDING, now)

    def _enter(self, state: str, now: datetime) -> None:
        self.state = state
        self.since = now

    def status(self) -> AlertStatus:
        return AlertStatus(
            name=self.name,
            summary=self.summary,
            state=self.state,
            since=self.since,
            value=self.value,
            threshold=self.threshold,
            comparison=self.comparison,
            for_seconds=self.for_seconds,
            fired_at=self.fired_at,
        )


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


@dataclass(frozen=True, slots=True)
class AlertThresholds:
    response_time_seconds: float = 2.0
    error_rate: float = 0.05
    cpu_percent: float = 80.0
    memory_percent: float = 90.0
    cache_hit_rate: float = 0.70
    for_seconds: float = 300.0
    window_seconds: float = 300.0


def guide_rules(t: AlertThresholds) -> dict[str, AlertRule]:
    window = f"over the last {t.window_seconds:g} s"
    rules = (
        AlertRule(
            "HighResponseTime", f"average response time {window} above {t.response_time_seconds:g} s",
            ">", t.response_time_seconds, t.for_seconds,
        ),
        AlertRule(
            "HighErrorRate", f"share of 5xx responses {window} above {t.error_rate:.0%}",
            ">", t.error_rate, t.for_seconds,
        ),
        AlertRule(
            "HighCpuUsage", f"process CPU above {t.cpu_percent:g}% of a core", ">", t.cpu_percent, t.for_seconds
        ),
        AlertRule(
            "HighMemoryUsage", f"resident memory above {t.memory_percent:g}% of the limit",
            ">", t.memory_percent, t.for_seconds,
        ),
        AlertRule(
            "LowCacheHitRate", f"cache hit rate {window} below {t.cache_hit_rate:.0%}",
            "<", t.cache_hit_rate, t.for_seconds,
        ),
    )  # fmt: skip
    return {rule.name: rule for rule in rules}
