"""Peers of benchmarks/monitoring_overhead.py: the bare FastAPI app, with our monitoring, with the instrumentator.

Each has the same JSON route as benchmarks/bare_app.py and a /metrics route, so only the monitoring differs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_fastapi_instrumentator import Instrumentator
from starlette.responses import Response

from marketing_project.performance.alerts import AlertThresholds
from marketing_project.performance.middleware import MonitoringMiddleware
from marketing_project.performance.monitor import Monitor
from marketing_project.performance.prometheus import HttpCollector


def _bare(lifespan: object = None) -> FastAPI:
    app = FastAPI(lifespan=lifespan)  # type: ignore[arg-type]

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok", "version": "0.1.0"}

    return app


_monitor = Monitor(max_requests=10_000, history_hours=1, thresholds=AlertThresholds(), services=lambda: None)
_registry = CollectorRegistry(auto_describe=False)
_registry.register(HttpCollector(_monitor))


@asynccontextmanager
async def _sampling(_: FastAPI) -> AsyncIterator[None]:
    await _monitor.start()
    yield
    await _monitor.stop()


ours = _bare(_sampling)
ours.add_middleware(MonitoringMiddleware, collector=_monitor.collector)


@ours.get("/metrics")
async def metrics() -> Response:
    return Response(generate_latest(_registry), media_type="text/plain; version=0.0.4")


instrumented = _bare()
Instrumentator().instrument(instrumented).expose(instrumented)
