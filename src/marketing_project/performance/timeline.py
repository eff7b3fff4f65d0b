"""Trends over time, built by the once-a-second sampler from the collector's running totals.

Per-second ticks (kept for the alert window) give rates over the last minutes; per-minute points (kept for
PERFORMANCE_HISTORY_HOURS) give the history: requests, latency percentiles, errors, CPU and memory.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from marketing_project.performance import histogram
from marketing_project.performance.collector import RequestCollector
from marketing_project.performance.trends import anomalies


@dataclass(frozen=True, slots=True)
class Tick:
    monotonic: float
    requests: int
    server_errors: int
    duration_sum: float
    cache_hits: int
    cache_lookups: int


@dataclass(frozen=True, slots=True)
class WindowStats:
    """Rates over the last `seconds` (shorter while the process is younger than that)."""

    seconds: float
    requests: int
    rps: float
    mean_response_time: float | None
    error_rate: float | None
    cache_hit_rate: float | None


@dataclass(frozen=True, slots=True)
class MinutePoint:
    start: datetime
    requests: int
    rps: float
    server_errors: int
    client_errors: int
    error_rate: float
    mean_response_time: float
    p50: float
    p95: float
    p99: float
    cpu_percent: float
    memory_mb: float
    peak_in_flight: int
    partial: bool = False
    anomalies: tuple[str, ...] = ()


@dataclass(slots=True)
class _MinuteBase:
    index: int
    requests: int
    client_errors: int
    server_errors: int
    duration_sum: float
    counts: list[int]
    cpu_sum: float = 0.0
    cpu_samples: int = 0
    memory_max: float = 0.0
    peak_in_flight: int = 0


class Timeline:
    def __init__(self, collector: RequestCollector, history_hours: int, window_seconds: float) -> None:
        self.collector = collector
        self.ticks: deque[Tick] = deque(maxlen=int(max(window_seconds, 300)) + 2)
        self.minutes: deque[MinutePoint] = deque(maxlen=history_hours * 60)
        self.peak_in_flight = 0
        self._base: _MinuteBase | None = None

    def tick(self, wall: float, monotonic: float, cpu: float, rss_mb: float, cache: tuple[int, int]) -> None:
        collector = self.collector
        requests, client_errors, server_errors, duration_sum = collector.totals()
        self.ticks.append(Tick(monotonic, requests, server_errors, duration_sum, *cache))
        # the middleware raises peak_in_flight; folding it here turns it into a per-minute peak
        peak = collector.peak_in_flight
        collector.peak_in_flight = collector.in_flight
        self.peak_in_flight = max(self.peak_in_flight, peak)
        index = int(wall // 60)
        base = self._base
        if base is not None and index != base.index:
            self.minutes.append(self._point(base, partial=False))
            base = None
        if base is None:
            base = self._base = _MinuteBase(
                index, requests, client_errors, server_errors, duration_sum, collector.merged_counts()
            )
        base.cpu_sum += cpu
        base.cpu_samples += 1
        base.memory_max = max(base.memory_max, rss_mb)
        base.peak_in_flight = max(base.peak_in_flight, peak)

    def _point(self, base: _MinuteBase, partial: bool) -> MinutePoint:
        collector = self.collector
        requests, client_errors, server_errors, duration_sum = collector.totals()
        counts = histogram.difference(collector.merged_counts(), base.counts)
        count = requests - base.requests
        errors = server_errors - base.server_errors
        p50, p95, p99 = histogram.quantiles(counts, (0.5, 0.95, 0.99))
        # a minute in progress has run for less than 60 s: its rate is over the time elapsed so far
        seconds = min(max(time.time() - base.index * 60, 1.0), 60.0) if partial else 60.0
        point = MinutePoint(
            start=datetime.fromtimestamp(base.index * 60, UTC),
            requests=count,
            rps=count / seconds,
            server_errors=errors,
            client_errors=client_errors - base.client_errors,
            error_rate=errors / count if count else 0.0,
            mean_response_time=(duration_sum - base.duration_sum) / count if count else 0.0,
            p50=p50,
            p95=p95,
            p99=p99,
            cpu_percent=base.cpu_sum / base.cpu_samples if base.cpu_samples else 0.0,
            memory_mb=base.memory_max,
            peak_in_flight=max(base.peak_in_flight, collector.peak_in_flight),
            partial=partial,
        )
        return replace(point, anomalies=anomalies(point, list(self.minutes)))

    def current_minute(self) -> MinutePoint | None:
        return self._point(self._base, partial=True) if self._base is not None else None

    def history(self, minutes: int) -> list[MinutePoint]:
        """The last `minutes` per-minute points, oldest first, the current (partial) minute last."""
        points = list(self.minutes)
        current = self.current_minute()
        if current is not None:
            points.append(current)
        return points[-minutes:]

    def window(self, seconds: float, now: float) -> WindowStats:
        """Rates between the oldest tick inside the window and the collector's live totals."""
        requests, _, server_errors, duration_sum = self.collector.totals()
        ticks = list(self.ticks)
        oldest = next((tick for tick in ticks if tick.monotonic >= now - seconds), None)
        if oldest is None:
            return WindowStats(0.0, 0, 0.0, None, None, None)
        latest = ticks[-1]
        elapsed = max(now - oldest.monotonic, 1.0)
        count = requests - oldest.requests
        lookups = latest.cache_lookups - oldest.cache_lookups
        return WindowStats(
            seconds=elapsed,
            requests=count,
            rps=count / elapsed,
            mean_response_time=(duration_sum - oldest.duration_sum) / count if count else None,
            error_rate=(server_errors - oldest.server_errors) / count if count else None,
            cache_hit_rate=(latest.cache_hits - oldest.cache_hits) / lookups if lookups else None,
        )
