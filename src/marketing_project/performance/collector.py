"""Per-request aggregates in bounded memory, updated in place by the middleware.

`record()` is the whole per-request cost: a few attribute updates, two list increments and a bounded deque append.
Everything derived (percentiles, rates, windows, the per-minute series) is computed when someone reads it, or by the
once-a-second sampler, never on the request path.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any

from marketing_project.performance import histogram
from marketing_project.performance.histogram import LatencySummary, bucket_index
from marketing_project.performance.model import EndpointStatistics, PerformanceMetrics, RequestRow

UNMATCHED = "<unmatched>"
# the label Prometheus sees for methods outside the standard set, so clients cannot mint new series
OTHER_METHOD = "OTHER"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})
# Prometheus histogram buckets (the common defaults for web latency), counted exactly: `le` is inclusive
PROMETHEUS_BOUNDS: tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)


class EndpointAggregate:
    """Streaming statistics of one (method, route template): constant size whatever the traffic."""

    __slots__ = (
        "client_errors",
        "counts",
        "duration_sum",
        "endpoint",
        "le_counts",
        "max",
        "method",
        "min",
        "received",
        "requests",
        "sent",
        "server_errors",
        "statuses",
    )

    def __init__(self, method: str, endpoint: str) -> None:
        self.method = method
        self.endpoint = endpoint
        self.requests = 0
        self.client_errors = 0
        self.server_errors = 0
        self.duration_sum = 0.0
        self.min = float("inf")
        self.max = 0.0
        self.received = 0
        self.sent = 0
        self.counts = histogram.empty()
        self.le_counts = [0] * (len(PROMETHEUS_BOUNDS) + 1)
        self.statuses: dict[int, int] = {}

    def statistics(self) -> EndpointStatistics:
        requests = self.requests
        return EndpointStatistics(
            method=self.method,
            endpoint=self.endpoint,
            requests=requests,
            client_errors=self.client_errors,
            server_errors=self.server_errors,
            error_rate=self.server_errors / requests if requests else 0.0,
            response_time=LatencySummary.of(self.counts, requests, self.duration_sum, self.min, self.max),
            request_bytes=self.received,
            response_bytes=self.sent,
            statuses=dict(sorted(self.statuses.items())),
        )


class RequestCollector:
    def __init__(self, max_requests: int) -> None:
        self.recent: deque[RequestRow] = deque(maxlen=max_requests)
        self.endpoints: dict[tuple[str, str], EndpointAggregate] = {}
        self.in_flight = 0
        # the highest in-flight count since the sampler last collected it (it folds it into the per-minute series)
        self.peak_in_flight = 0
        # the latest resource sample, stamped on every request
        self.rss_mb = 0.0
        self.cpu_percent = 0.0
        self._static_paths: dict[str, str] | None = None

    def record(self, scope: MutableMapping[str, Any], status: int, duration: float, received: int, sent: int) -> str:
        """Count one finished request; returns the endpoint (route template) it was counted under."""
        method = scope["method"]
        if method not in METHODS:
            method = OTHER_METHOD
        route = scope.get("route")
        endpoint = route.path if route is not None else self._unrouted(scope, status)
        aggregate = self.endpoints.get((method, endpoint))
        if aggregate is None:
            aggregate = self.endpoints[(method, endpoint)] = EndpointAggregate(method, endpoint)
        aggregate.requests += 1
        aggregate.duration_sum += duration
        if duration > aggregate.max:
            aggregate.max = duration
        if duration < aggregate.min:
            aggregate.min = duration
        aggregate.counts[bucket_index(duration)] += 1
        aggregate.le_counts[bisect_left(PROMETHEUS_BOUNDS, duration)] += 1
        statuses = aggregate.statuses
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 400:
            if status >= 500:
                aggregate.server_errors += 1
            else:
                aggregate.client_errors += 1
        aggregate.received += received
        aggregate.sent += sent
        state = scope.get("state")
        client = scope.get("client")
        self.recent.append(
            (
                time.time(),
                endpoint,
                method,
                duration,
                status,
                self.rss_mb,
                self.cpu_percent,
                received,
                sent,
                state.get("user_id") if state else None,
                client[0] if client else None,
            )
        )
        return endpoint

    def endpoint_of(self, scope: MutableMapping[str, Any]) -> str:
        route = scope.get("route")
        return str(route.path) if route is not None else self._unrouted(scope, 0)

    def _unrouted(self, scope: MutableMapping[str, Any], status: int) -> str:
        """The template of a request answered before routing (a cache hit, a 413): static paths map to themselves."""
        if self._static_paths is None:
            router = getattr(scope.get("app"), "router", None)
            self._static_paths = {path: path for path in _route_paths(router, "") if "{" not in path}
        return self._static_paths.get(scope["path"], UNMATCHED)

    # --- reading (never on the request path) ---

    def aggregates(self) -> list[EndpointAggregate]:
        return list(self.endpoints.values())

    def totals(self) -> tuple[int, int, int, float]:
        """(requests, client errors, server errors, summed duration) across endpoints."""
        requests = client = server = 0
        duration = 0.0
        for aggregate in self.aggregates():
            requests += aggregate.requests
            client += aggregate.client_errors
            server += aggregate.server_errors
            duration += aggregate.duration_sum
        return requests, client, server, duration

    def merged_counts(self) -> list[int]:
        total = histogram.empty()
        for aggregate in self.aggregates():
            histogram.merge_into(total, aggregate.counts)
        return total

    def latency(self) -> LatencySummary:
        aggregates = self.aggregates()
        requests = sum(a.requests for a in aggregates)
        if not requests:
            return LatencySummary.of([], 0, 0.0, 0.0, 0.0)
        return LatencySummary.of(
            self.merged_counts(),
            requests,
            sum(a.duration_sum for a in aggregates),
            min(a.min for a in aggregates if a.requests),
            max(a.max for a in aggregates),
        )

    def recent_requests(self) -> Iterator[PerformanceMetrics]:
        """Newest first."""
        for row in reversed(list(self.recent)):
            yield PerformanceMetrics.from_row(row)

    def active_clients(self, since: float) -> int:
        """Distinct callers (key id, else IP) among the recent requests newer than `since` (wall clock)."""
        return len(_callers(row for row in list(self.recent) if row[0] >= since))


def _route_paths(router: Any, prefix: str) -> Iterator[str]:
    """Every route path of `router`, descending into included routers (FastAPI keeps them nested)."""
    for route in getattr(router, "routes", ()):
        path = getattr(route, "path", None)
        if isinstance(path, str):
            yield prefix + path
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            yield from _route_paths(included, prefix + str(getattr(context, "prefix", "")))


def _callers(rows: Iterable[RequestRow]) -> set[str | None]:
    return {row[9] or row[10] for row in rows}
