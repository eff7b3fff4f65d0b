"""Monitoring: per-request metrics (model, histogram, collector, middleware), the resource sampler, per-minute
history and trends, alerts, Prometheus exposition (metrics for the services, prometheus for HTTP and process), the
built-in dashboard, optional tracing; and load_testing/."""

from marketing_project.performance.model import PerformanceMetrics

__all__ = ["PerformanceMetrics"]
