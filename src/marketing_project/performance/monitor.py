"""The monitor: one object holding the collector, the per-minute timeline, the resource sampler and the alerts.

Built by create_app, started and stopped by the lifespan; the monitoring routes and the Prometheus collector read it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from marketing_project.performance.alerts import FIRING, AlertStatus, AlertThresholds, guide_rules
from marketing_project.performance.collector import RequestCollector
from marketing_project.performance.histogram import LatencySummary
from marketing_project.performance.model import EndpointStatistics, PerformanceMetrics
from marketing_project.performance.sampler import ResourceSampler, Ticker
from marketing_project.performance.timeline import MinutePoint, Timeline, WindowStats
from marketing_project.performance.trends import LoadAnalysis, analyse

SortKey = Literal["requests", "errors", "error_rate", "mean", "p50", "p95", "p99", "max", "endpoint"]

_SORT_KEYS: dict[str, Callable[[EndpointStatistics], Any]] = {
    "requests": lambda s: s.requests,
    "errors": lambda s: s.server_errors + s.client_errors,
    "error_rate": lambda s: s.error_rate,
    "mean": lambda s: s.response_time.mean,
    "p50": lambda s: s.response_time.p50,
    "p95": lambda s: s.response_time.p95,
    "p99": lambda s: s.response_time.p99,
    "max": lambda s: s.response_time.max,
    "endpoint": lambda s: (s.endpoint, s.method),
}


@dataclass(frozen=True, slots=True)
class Summary:
    """`in_flight` counts requests being served now (this one included); `peak_in_flight` the most at once."""

    started_at: datetime
    uptime_seconds: float
    requests_total: int
    server_errors_total: int
    client_errors_total: int
    error_rate: float
    rps_1m: float
    rps_5m: float
    response_time: LatencySummary
    last_5m: WindowStats
    in_flight: int
    peak_in_flight: int
    active_clients_5m: int
    cpu_percent: float
    cpu_limit_cores: float | None
    memory_mb: float
    memory_percent: float
    memory_limit_mb: float
    memory_limit_source: str
    cache_hit_rate: float | None
    db_pool_in_use: int | None
    alerts_firing: list[str]


@dataclass(frozen=True, slots=True)
class History:
    window_minutes: int
    points: list[MinutePoint]
    analysis: LoadAnalysis


class Monitor:
    def __init__(
        self,
        *,
        max_requests: int,
        history_hours: int,
        thresholds: AlertThresholds,
        services: Callable[[], Any],
        sampler: ResourceSampler | None = None,
    ) -> None:
        self.collector = RequestCollector(max_requests)
        self.thresholds = thresholds
        self.timeline = Timeline(self.collector, history_hours, thresholds.window_seconds)
        self.history_hours = history_hours
        self.sampler = sampler or ResourceSampler()
        self.rules = guide_rules(thresholds)
        self.started_at = datetime.now(UTC)
        self._started = time.monotonic()
        # called at tick and read time: before start-up completes there are no services to ask
        self._services = services
        self._ticker = Ticker(self.tick)

    async def start(self) -> None:
        self.tick()
        self._ticker.start()

    async def stop(self) -> None:
        await self._ticker.stop()

    def tick(self) -> None:
        """Sample resources, roll the timeline and evaluate the alerts (the sampler calls this every second)."""
        sample = self.sampler.sample()
        collector = self.collector
        collector.rss_mb = sample.rss_mb
        collector.cpu_percent = sample.cpu_percent
        now = time.monotonic()
        self.timeline.tick(time.time(), now, sample.cpu_percent, sample.rss_mb, self.services_cache_counts() or (0, 0))
        window = self.timeline.window(self.thresholds.window_seconds, now)
        values = {
            "HighResponseTime": window.mean_response_time,
            "HighErrorRate": window.error_rate,
            "HighCpuUsage": sample.cpu_percent,
            "HighMemoryUsage": sample.memory_percent,
            "LowCacheHitRate": window.cache_hit_rate,
        }
        moment = datetime.now(UTC)
        for name, rule in self.rules.items():
            rule.evaluate(values[name], moment)

    def services_cache_counts(self) -> tuple[int, int] | None:
        """(hits, lookups) of the whole cache since start, None before the services exist."""
        services = self._services()
        if services is None:
            return None
        stats = services.cache.stats()
        return stats.hits, stats.hits + stats.misses

    def summary(self) -> Summary:
        collector = self.collector
        requests, client_errors, server_errors, _ = collector.totals()
        now = time.monotonic()
        sample = self.sampler.latest
        services = self._services()
        cache_hit_rate = pool_in_use = None
        if services is not None:
            cache_hit_rate = services.cache.stats().hit_rate
            pool_in_use = services.database.pool_stats().get("checked_out")
        return Summary(
            started_at=self.started_at,
            uptime_seconds=now - self._started,
            requests_total=requests,
            server_errors_total=server_errors,
            client_errors_total=client_errors,
            error_rate=server_errors / requests if requests else 0.0,
            rps_1m=self.timeline.window(60, now).rps,
            rps_5m=self.timeline.window(300, now).rps,
            response_time=collector.latency(),
            last_5m=self.timeline.window(300, now),
            in_flight=collector.in_flight,
            peak_in_flight=max(self.timeline.peak_in_flight, collector.peak_in_flight),
            active_clients_5m=collector.active_clients(time.time() - 300),
            cpu_percent=sample.cpu_percent,
            cpu_limit_cores=sample.cpu_limit_cores,
            memory_mb=sample.rss_mb,
            memory_percent=sample.memory_percent,
            memory_limit_mb=sample.memory_limit_mb,
            memory_limit_source=sample.memory_limit_source,
            cache_hit_rate=cache_hit_rate,
            db_pool_in_use=pool_in_use,
            alerts_firing=[rule.name for rule in self.rules.values() if rule.state == FIRING],
        )

    def endpoints(self, sort: SortKey = "requests", descending: bool = True) -> list[EndpointStatistics]:
        statistics = [aggregate.statistics() for aggregate in self.collector.aggregates()]
        return sorted(statistics, key=_SORT_KEYS[sort], reverse=descending)

    def slow_requests(self, threshold: float, limit: int) -> list[PerformanceMetrics]:
        """The slowest recent requests at or above `threshold` seconds, slowest first."""
        slow = [row for row in list(self.collector.recent) if row[3] >= threshold]
        slow.sort(key=lambda row: row[3], reverse=True)
        return [PerformanceMetrics.from_row(row) for row in slow[:limit]]

    def error_requests(self, min_status: int, limit: int) -> list[PerformanceMetrics]:
        """Recent requests answered with `min_status` or above, newest first."""
        found: list[PerformanceMetrics] = []
        for row in reversed(list(self.collector.recent)):
            if row[4] >= min_status:
                found.append(PerformanceMetrics.from_row(row))
                if len(found) >= limit:
                    break
        return found

    def history(self, minutes: int) -> History:
        points = self.timeline.history(minutes)
        return History(window_minutes=minutes, points=points, analysis=analyse(points))

    def alerts(self) -> list[AlertStatus]:
        return [rule.status() for rule in self.rules.values()]
