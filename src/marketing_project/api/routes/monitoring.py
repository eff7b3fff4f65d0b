"""Monitoring endpoints (any valid key) and the built-in dashboard page.

The page itself needs no key: it is static and holds no data. Its data calls go to the endpoints below with the key
the user types into the page, because the figures name client IPs and key ids.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from marketing_project.api.deps import Viewer
from marketing_project.api.responses import FastJSONResponse
from marketing_project.errors import InvalidInput, ServiceUnavailable
from marketing_project.performance.dashboard import asset
from marketing_project.performance.monitor import Monitor, SortKey

router = APIRouter(tags=["performance"])

_KEYED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid API key"},
    503: {"description": "Monitoring is off (PERFORMANCE_MONITORING_ENABLED=false)"},
}
_WINDOW = re.compile(r"(\d{1,5})([mh])")
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


async def get_monitor(request: Request) -> Monitor:
    monitor: Monitor | None = getattr(request.app.state, "monitor", None)
    if monitor is None:
        raise ServiceUnavailable("Performance monitoring is off: set PERFORMANCE_MONITORING_ENABLED=true to use it")
    return monitor


MonitorDep = Annotated[Monitor, Depends(get_monitor)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Most requests to return.")]


@router.get("/api/v1/performance/summary", summary="Totals, rates, latency, load and resources", responses=_KEYED)
async def summary(monitor: MonitorDep, _: Viewer) -> Response:
    """Uptime; requests, 4xx and 5xx since start; RPS over 1 and 5 minutes; response time (mean, p50, p95, p99,
    max, in seconds) since start and the last 5 minutes' mean; in-flight and peak concurrent requests; distinct
    callers in the last 5 minutes; process CPU (% of one core) and memory (RSS MB, % of the container limit);
    cache hit rate since start; database connections in use; names of the firing alerts."""
    return FastJSONResponse(monitor.summary())


@router.get("/api/v1/performance/endpoints", summary="Statistics per route template, sortable", responses=_KEYED)
async def endpoints(
    monitor: MonitorDep,
    _: Viewer,
    sort: Annotated[SortKey, Query(description="Sort key (response-time keys are in seconds).")] = "requests",
    order: Annotated[Literal["asc", "desc"], Query(description="Sort order.")] = "desc",
) -> Response:
    """Per (method, route template): requests, 4xx/5xx counts, 5xx rate, response time (min, mean, p50, p95, p99,
    max), body bytes received and sent, and the count of each status code. Unrouted requests share `<unmatched>`."""
    rows = monitor.endpoints(sort, descending=order == "desc")
    return FastJSONResponse({"sort": sort, "order": order, "endpoints": rows})


@router.get("/api/v1/performance/slow-requests", summary="Recent requests slower than a threshold", responses=_KEYED)
async def slow_requests(
    monitor: MonitorDep,
    _: Viewer,
    threshold: Annotated[float, Query(ge=0, le=86_400, description="Seconds.")] = 1.0,
    limit: Limit = 50,
) -> Response:
    """Among the last PERFORMANCE_METRICS_MAX_REQUESTS requests, those taking `threshold` seconds or more,
    slowest first, each with the guide's PerformanceMetrics fields."""
    rows = monitor.slow_requests(threshold, limit)
    return FastJSONResponse({"threshold": threshold, "count": len(rows), "requests": rows})


@router.get("/api/v1/performance/error-requests", summary="Recent requests that failed", responses=_KEYED)
async def error_requests(
    monitor: MonitorDep,
    _: Viewer,
    min_status: Annotated[int, Query(ge=400, le=599, description="Lowest status counted (500: server errors).")] = 400,
    limit: Limit = 50,
) -> Response:
    """Among the last PERFORMANCE_METRICS_MAX_REQUESTS requests, those answered with `min_status` or above,
    newest first."""
    rows = monitor.error_requests(min_status, limit)
    return FastJSONResponse({"min_status": min_status, "count": len(rows), "requests": rows})


@router.get("/api/v1/performance/history", summary="Per-minute series, peaks and anomalies", responses=_KEYED)
async def history(
    monitor: MonitorDep,
    _: Viewer,
    window: Annotated[str, Query(description="How far back: minutes or hours, e.g. 30m, 1h, 24h.")] = "1h",
) -> Response:
    """One point per minute (the current minute last, marked `partial`): requests, RPS, 4xx/5xx, 5xx rate, mean,
    p50, p95 and p99 response time, mean CPU, peak RSS, peak in-flight, and anomaly flags (`latency_spike`,
    `error_spike`, `traffic_spike`, `traffic_drop`) against the median of the 30 minutes before. `analysis` gives
    the peak minute and the sustained RPS (the highest rate held through 5 consecutive minutes)."""
    match = _WINDOW.fullmatch(window.strip())
    most = monitor.history_hours * 60
    minutes = int(match.group(1)) * (60 if match.group(2) == "h" else 1) if match else 0
    if not 1 <= minutes <= most:
        raise InvalidInput(
            f"window: use minutes or hours such as 30m or 1h, at most {monitor.history_hours}h "
            f"(PERFORMANCE_HISTORY_HOURS); got {window!r}",
            details=[{"field": "window", "in": "query", "message": "must look like 30m or 1h"}],
        )
    return FastJSONResponse(monitor.history(minutes))


@router.get("/api/v1/performance/alerts", summary="The guide's alert thresholds and their state", responses=_KEYED)
async def alerts(monitor: MonitorDep, _: Viewer) -> Response:
    """Each rule (HighResponseTime, HighErrorRate, HighCpuUsage, HighMemoryUsage, LowCacheHitRate) with its
    threshold, `for` duration, latest value, state (ok, pending, firing, resolved) and since when."""
    statuses = monitor.alerts()
    return FastJSONResponse({"firing": [s.name for s in statuses if s.state == "firing"], "alerts": statuses})


@router.get("/dashboard", summary="Live performance dashboard (HTML; its data calls need a key)")
async def dashboard() -> Response:
    return Response(asset("index.html"), media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)


@router.get("/dashboard/{name}", include_in_schema=False)
async def dashboard_asset(name: Literal["dashboard.js", "dashboard.css"]) -> Response:
    media_type = "text/javascript" if name.endswith(".js") else "text/css"
    return Response(asset(name), media_type=f"{media_type}; charset=utf-8", headers=_PAGE_HEADERS)
