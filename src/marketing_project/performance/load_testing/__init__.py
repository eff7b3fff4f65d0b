"""Load testing: closed and open models, HDR percentiles, stages, SLO gates and reports (see cli.py for the CLI)."""

from __future__ import annotations

from marketing_project.performance.load_testing.config import ConfigError, EndpointSpec, LoadTestConfig
from marketing_project.performance.load_testing.histogram import LatencyStats
from marketing_project.performance.load_testing.stats import EndpointResult, LoadTestResult
from marketing_project.performance.load_testing.tester import LoadTester

__all__ = [
    "ConfigError",
    "EndpointResult",
    "EndpointSpec",
    "LatencyStats",
    "LoadTestConfig",
    "LoadTestResult",
    "LoadTester",
]
