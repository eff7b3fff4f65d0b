"""Optional OpenTelemetry tracing: one span per request, exported over OTLP/HTTP (to Jaeger, a collector, ...).

Off unless the `otel` extra is installed (`pip install 'marketing-project[otel]'`) and OTEL_EXPORTER_OTLP_ENDPOINT
is set; the exporter reads the standard OTEL_* variables itself (headers, service name, sampling).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

logger = logging.getLogger("marketing_project.performance")


def build_tracer_provider() -> Any | None:
    """A tracer provider exporting over OTLP/HTTP, or None when tracing is off or the extra is missing."""
    if not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return None
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        logger.warning(
            "OTEL_EXPORTER_OTLP_ENDPOINT is set but the otel extra is not installed: "
            "pip install 'marketing-project[otel]' to export traces"
        )
        return None
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", "marketing-project-api")})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    logger.info("OpenTelemetry tracing on: spans exported to %s", os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"])
    return provider


def add_tracing_middleware(app: FastAPI, provider: Any) -> None:
    """Outermost, so a span covers everything the app does for the request."""
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    app.add_middleware(OpenTelemetryMiddleware, tracer_provider=provider, excluded_urls="metrics,api/v1/health")


def route_namer() -> Callable[[str, str], None]:
    """Names the request's span after its route template once routing is known (the span starts before it is)."""
    from opentelemetry import trace

    def name(method: str, endpoint: str) -> None:
        span = trace.get_current_span()
        if span.is_recording():
            span.update_name(f"{method} {endpoint}")
            span.set_attribute("http.route", endpoint)

    return name
