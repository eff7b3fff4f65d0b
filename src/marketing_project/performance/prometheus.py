"""HTTP and process metrics for Prometheus, read from the monitor's aggregates at scrape time.

The request path only touches plain Python counters (see collector.py); the metric families are built here, when
Prometheus asks. Names follow the conventions: base units, route templates as the `handler` label.

One process, one set of figures: run one worker per container and scale out with replicas (each scraped on its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.registry import Collector

from marketing_project.performance.collector import PROMETHEUS_BOUNDS
from marketing_project.performance.monitor import Monitor

_LE = [*(f"{bound:g}" for bound in PROMETHEUS_BOUNDS), "+Inf"]


class HttpCollector(Collector):
    def __init__(self, monitor: Monitor) -> None:
        self.monitor = monitor

    def collect(self) -> Iterator[Metric]:
        monitor = self.monitor
        collector = monitor.collector
        aggregates = collector.aggregates()
        requests = CounterMetricFamily(
            "http_requests",
            "HTTP requests answered, by route template and status.",
            labels=["method", "handler", "status"],
        )
        duration = HistogramMetricFamily(
            "http_request_duration_seconds", "Time to answer an HTTP request.", labels=["method", "handler"]
        )
        request_size = SummaryMetricFamily(
            "http_request_size_bytes", "Request body bytes received.", labels=["method", "handler"]
        )
        response_size = SummaryMetricFamily(
            "http_response_size_bytes", "Response body bytes sent.", labels=["method", "handler"]
        )
        for aggregate in aggregates:
            labels = [aggregate.method, aggregate.endpoint]
            for status, count in list(aggregate.statuses.items()):
                requests.add_metric([*labels, str(status)], count)
            cumulative = list(accumulate(aggregate.le_counts))
            duration.add_metric(
                labels, list(zip(_LE, (float(c) for c in cumulative), strict=True)), sum_value=aggregate.duration_sum
            )
            request_size.add_metric(labels, count_value=aggregate.requests, sum_value=aggregate.received)
            response_size.add_metric(labels, count_value=aggregate.requests, sum_value=aggregate.sent)
        yield requests
        yield duration
        yield request_size
        yield response_size
        yield GaugeMetricFamily(
            "http_requests_in_progress", "HTTP requests being answered now.", value=collector.in_flight
        )
        yield from self._resources()

    def _resources(self) -> Iterator[Metric]:
        sample = self.monitor.sampler.latest
        yield GaugeMetricFamily(
            "process_memory_limit_bytes",
            "Memory the process may use: the container (cgroup) limit when there is one, else the machine's total.",
            value=self.monitor.sampler.memory_limit,
        )
        yield GaugeMetricFamily(
            "process_cpu_usage_percent",
            "Process CPU over the last second, in % of one core (sampled once a second).",
            value=sample.cpu_percent,
        )
        cache = self.monitor.services_cache_counts()
        if cache is not None:
            hits, lookups = cache
            family = CounterMetricFamily(
                "cache_requests", "Cache lookups across all tiers, by result (for the hit rate).", labels=["result"]
            )
            family.add_metric(["hit"], hits)
            family.add_metric(["miss"], lookups - hits)
            yield family
