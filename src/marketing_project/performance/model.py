"""What monitoring reports: one request (the guide's PerformanceMetrics) and per-endpoint statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from marketing_project.performance.histogram import LatencySummary

# the collector keeps each request as a plain tuple in this field order (cheaper than building an object per request)
RequestRow = tuple[float, str, str, float, int, float, float, int, int, str | None, str | None]


@dataclass(frozen=True, slots=True)
class PerformanceMetrics:
    """One request as seen by the monitoring middleware.

    `endpoint` is the route template (`/api/v1/content/{content_id}`), `memory_usage` the process RSS in MB and
    `cpu_usage` the process CPU % (of one core) from the latest one-second sample, `request_size`/`response_size` the
    body bytes actually received and sent, `user_id` the API key's id (never the key).
    """

    timestamp: datetime
    endpoint: str
    method: str
    response_time: float
    status_code: int
    memory_usage: float
    cpu_usage: float
    request_size: int
    response_size: int
    user_id: str | None = None
    ip_address: str | None = None

    @classmethod
    def from_row(cls, row: RequestRow) -> PerformanceMetrics:
        wall, endpoint, method, duration, status, rss, cpu, received, sent, user_id, ip = row
        return cls(
            datetime.fromtimestamp(wall, UTC), endpoint, method, duration, status, rss, cpu, received, sent, user_id, ip
        )


@dataclass(frozen=True, slots=True)
class EndpointStatistics:
    method: str
    endpoint: str
    requests: int
    client_errors: int
    server_errors: int
    error_rate: float
    response_time: LatencySummary
    request_bytes: int
    response_bytes: int
    statuses: dict[int, int]
