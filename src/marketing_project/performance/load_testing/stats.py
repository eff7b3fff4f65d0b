"""Results: frozen figures built from a run's tallies, with the Performance Guide's names (times in seconds).

Latency covers every request that got an HTTP response, whatever its status, and timed-out requests at the time
they were given up on; connection failures have no latency and show only in the failure counts. `error_rate` is a
percentage (0-100) of failed requests.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from marketing_project.performance.load_testing.engine import Outcome
from marketing_project.performance.load_testing.histogram import EMPTY, Histogram, LatencyStats
from marketing_project.performance.load_testing.recorder import SecondStats, Segment, Tally


@dataclass(frozen=True)
class EndpointResult:
    name: str
    total_requests: int
    successful_requests: int
    failed_requests: int
    error_rate: float
    requests_per_second: float
    latency: LatencyStats
    status_codes: dict[int, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "total_requests": self.total_requests,
            "successful_requests": self.successful_requests,
            "failed_requests": self.failed_requests,
            "error_rate": self.error_rate,
            "requests_per_second": self.requests_per_second,
            "latency": self.latency.to_dict(),
            "status_codes": {str(code): count for code, count in sorted(self.status_codes.items())},
            "failures": dict(sorted(self.failures.items(), key=lambda item: -item[1])),
        }


@dataclass(frozen=True)
class LoadTestResult:
    name: str
    status: str  # completed | aborted | interrupted
    message: str
    model: str  # closed | open
    concurrent_users: int
    target_rate: float | None
    started_at: str
    duration_seconds: float
    total_requests: int
    successful_requests: int
    failed_requests: int
    error_rate: float
    avg_response_time: float
    min_response_time: float
    max_response_time: float
    p50_response_time: float
    p90_response_time: float
    p95_response_time: float
    p99_response_time: float
    p999_response_time: float
    requests_per_second: float
    endpoints: tuple[EndpointResult, ...] = ()
    timeline: tuple[SecondStats, ...] = ()
    failures: dict[str, int] = field(default_factory=dict)
    status_codes: dict[int, int] = field(default_factory=dict)
    cancelled_requests: int = 0
    schedule_lag: LatencyStats = EMPTY
    generator_lag: LatencyStats = EMPTY
    bytes_received: int = 0
    connections_opened: int = 0

    @property
    def latency(self) -> LatencyStats:
        return LatencyStats(
            self.total_requests,
            self.avg_response_time,
            self.min_response_time,
            self.max_response_time,
            self.p50_response_time,
            self.p90_response_time,
            self.p95_response_time,
            self.p99_response_time,
            self.p999_response_time,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "model": self.model,
            "concurrent_users": self.concurrent_users,
            "target_rate": self.target_rate,
            "started_at": self.started_at,
            "duration_seconds": self.duration_seconds,
            "total_requests": self.total_requests,
            "successful_requests": self.successful_requests,
            "failed_requests": self.failed_requests,
            "cancelled_requests": self.cancelled_requests,
            "error_rate": self.error_rate,
            "avg_response_time": self.avg_response_time,
            "min_response_time": self.min_response_time,
            "max_response_time": self.max_response_time,
            "p50_response_time": self.p50_response_time,
            "p90_response_time": self.p90_response_time,
            "p95_response_time": self.p95_response_time,
            "p99_response_time": self.p99_response_time,
            "p999_response_time": self.p999_response_time,
            "requests_per_second": self.requests_per_second,
            "bytes_received": self.bytes_received,
            "connections_opened": self.connections_opened,
            "schedule_lag": self.schedule_lag.to_dict(),
            "generator_lag": self.generator_lag.to_dict(),
            "status_codes": {str(code): count for code, count in sorted(self.status_codes.items())},
            "failures": dict(sorted(self.failures.items(), key=lambda item: -item[1])),
            "endpoints": [endpoint.to_dict() for endpoint in self.endpoints],
            "timeline": [
                {
                    "second": s.second,
                    "requests": s.requests,
                    "failures": s.failures,
                    "p50": s.p50,
                    "p95": s.p95,
                    "p99": s.p99,
                    "max": s.max,
                    "mean": s.mean,
                    "target_rate": s.target_rate,
                }
                for s in self.timeline
            ],
        }


def _merge(tallies: Sequence[Tally]) -> Tally:
    merged = Tally(tallies[0].name)
    for tally in tallies:
        merged.histogram.merge(tally.histogram)
        merged.successes += tally.successes
        merged.failures += tally.failures
        for code, count in tally.statuses.items():
            merged.statuses[code] = merged.statuses.get(code, 0) + count
        for reason, count in tally.reasons.items():
            merged.reasons[reason] = merged.reasons.get(reason, 0) + count
    return merged


def _rate(failed: int, total: int) -> float:
    return 100.0 * failed / total if total else 0.0


def build_result(
    outcome: Outcome,
    *,
    name: str,
    model: str,
    users: int,
    rate: float | None,
    segments: Sequence[Segment] | None = None,
) -> LoadTestResult:
    """Figures for the whole run, or for the given segments of it (a spike's phases, say)."""
    chosen = list(segments if segments is not None else outcome.segments)
    started, ended = chosen[0].started_ns, chosen[-1].ended_ns
    elapsed = max((ended - started) / 1e9, 1e-9)
    per_endpoint = [_merge([segment.tallies[i] for segment in chosen]) for i in range(len(chosen[0].tallies))]
    endpoints = []
    overall = Histogram()
    failures: dict[str, int] = {}
    statuses: dict[int, int] = {}
    for tally in per_endpoint:
        total = tally.successes + tally.failures
        endpoints.append(
            EndpointResult(
                name=tally.name,
                total_requests=total,
                successful_requests=tally.successes,
                failed_requests=tally.failures,
                error_rate=_rate(tally.failures, total),
                requests_per_second=total / elapsed,
                latency=tally.histogram.stats(),
                status_codes=dict(tally.statuses),
                failures=dict(tally.reasons),
            )
        )
        overall.merge(tally.histogram)
        for reason, count in tally.reasons.items():
            failures[reason] = failures.get(reason, 0) + count
        for code, count in tally.statuses.items():
            statuses[code] = statuses.get(code, 0) + count
    successes = sum(e.successful_requests for e in endpoints)
    failed = sum(e.failed_requests for e in endpoints)
    latency = overall.stats()
    first = (started - outcome.started_ns) // 1_000_000_000
    last = (ended - outcome.started_ns) // 1_000_000_000
    wall = time.time() - (time.perf_counter_ns() - started) / 1e9
    return LoadTestResult(
        name=name,
        status=outcome.status,
        message=outcome.message,
        model=model,
        concurrent_users=users,
        target_rate=rate,
        started_at=datetime.fromtimestamp(wall, UTC).isoformat(timespec="milliseconds"),
        duration_seconds=elapsed,
        total_requests=successes + failed,
        successful_requests=successes,
        failed_requests=failed,
        error_rate=_rate(failed, successes + failed),
        avg_response_time=latency.mean,
        min_response_time=latency.min,
        max_response_time=latency.max,
        p50_response_time=latency.p50,
        p90_response_time=latency.p90,
        p95_response_time=latency.p95,
        p99_response_time=latency.p99,
        p999_response_time=latency.p999,
        requests_per_second=(successes + failed) / elapsed,
        endpoints=tuple(endpoints),
        timeline=tuple(s for s in outcome.seconds if first <= s.second <= last),
        failures=failures,
        status_codes=statuses,
        cancelled_requests=outcome.cancelled if segments is None else 0,
        schedule_lag=outcome.recorder.lag.stats() if model == "open" else EMPTY,
        generator_lag=outcome.recorder.generator_lag.stats() if model == "open" else EMPTY,
        bytes_received=outcome.recorder.bytes_received,
        connections_opened=outcome.connections_opened,
    )
