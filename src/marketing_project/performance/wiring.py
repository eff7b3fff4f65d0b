"""How create_app plugs monitoring in, kept here so app.py stays a list of parts.

PERFORMANCE_MONITORING_ENABLED=false: no monitor, no sampler, no middleware. PERFORMANCE_METRICS_ENABLED=false: the
sampler and alerts run but the middleware is not added, so requests pay nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from prometheus_client import ProcessCollector
from prometheus_client.registry import Collector

from marketing_project.performance.alerts import AlertThresholds
from marketing_project.performance.middleware import MonitoringMiddleware
from marketing_project.performance.monitor import Monitor
from marketing_project.performance.prometheus import HttpCollector
from marketing_project.performance.tracing import add_tracing_middleware, build_tracer_provider, route_namer
from marketing_project.settings import Settings

logger = logging.getLogger("marketing_project.performance")


def create_monitor(settings: Settings, services: Callable[[], Any]) -> Monitor | None:
    if not settings.performance_monitoring_enabled:
        return None
    thresholds = AlertThresholds(
        response_time_seconds=settings.alert_response_time_seconds,
        error_rate=settings.alert_error_rate,
        cpu_percent=settings.alert_cpu_percent,
        memory_percent=settings.alert_memory_percent,
        cache_hit_rate=settings.alert_cache_hit_rate,
        for_seconds=settings.alert_for_seconds,
        window_seconds=settings.alert_window_seconds,
    )
    return Monitor(
        max_requests=settings.performance_metrics_max_requests,
        history_hours=settings.performance_history_hours,
        thresholds=thresholds,
        services=services,
    )


def metric_collectors(settings: Settings, monitor: Monitor | None) -> tuple[Collector, ...]:
    """Collectors for /metrics beyond the services': process figures always, HTTP figures when recorded."""
    process = ProcessCollector(registry=None)
    if monitor is None or not settings.performance_metrics_enabled:
        return (process,)
    return (process, HttpCollector(monitor))


def install_middleware(app: FastAPI, settings: Settings, monitor: Monitor | None) -> None:
    """Call after every other add_middleware: the last added is the outermost, and this must see every request."""
    provider = build_tracer_provider()
    if monitor is not None and settings.performance_metrics_enabled:
        app.add_middleware(
            MonitoringMiddleware,
            collector=monitor.collector,
            access_log=settings.log_format == "json",
            span_namer=route_namer() if provider is not None else None,
        )
    if provider is not None:
        add_tracing_middleware(app, provider)
    app.state.tracer_provider = provider


async def start_monitoring(app: FastAPI) -> None:
    monitor: Monitor | None = app.state.monitor
    if monitor is None:
        return
    settings: Settings = app.state.settings
    if settings.workers > 1:
        logger.warning(
            "WORKERS=%d: each worker process monitors only the requests it serves, and /metrics shows the worker "
            "that answers the scrape; run one worker per container and scale out with replicas",
            settings.workers,
        )
    await monitor.start()


async def stop_monitoring(app: FastAPI) -> None:
    monitor: Monitor | None = app.state.monitor
    if monitor is not None:
        await monitor.stop()
    provider = getattr(app.state, "tracer_provider", None)
    if provider is not None:
        # flushes the spans still batched
        provider.shutdown()
