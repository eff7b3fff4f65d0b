"""Prometheus metrics read from the live services at scrape time: nothing is paid on the request path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from marketing_project.cache import Cache, CacheStats
from marketing_project.db.sql import Database

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_CACHE_COUNTERS = (
    ("cache_hits", "hits", "Cache lookups that found a value."),
    ("cache_misses", "misses", "Cache lookups that found nothing."),
    ("cache_evictions", "evictions", "Entries evicted to respect the size limit."),
    ("cache_expirations", "expirations", "Entries dropped because their TTL passed."),
    ("cache_errors", "errors", "Cache backend errors (the request went on without the cache)."),
    ("cache_sets", "sets", "Values written to the cache."),
)


def _tiers(stats: CacheStats) -> tuple[CacheStats, ...]:
    return stats.tiers or (stats,)


class ServiceCollector(Collector):
    def __init__(self, services: Callable[[], Any]) -> None:
        # called at scrape time: before start-up completes there is nothing to report
        self._services = services

    def collect(self) -> Iterator[Metric]:
        services = self._services()
        if services is None:
            return
        cache: Cache = services.cache
        database: Database = services.database
        yield from self._cache_metrics(_tiers(cache.stats()))
        yield from self._pool_metrics(database.pool_stats())

    @staticmethod
    def _cache_metrics(tiers: tuple[CacheStats, ...]) -> Iterator[Metric]:
        for name, attribute, documentation in _CACHE_COUNTERS:
            family = CounterMetricFamily(name, documentation, labels=["tier"])
            for tier in tiers:
                family.add_metric([tier.name], getattr(tier, attribute))
            yield family
        size = GaugeMetricFamily("cache_size", "Live entries (tiers that can count them cheaply).", labels=["tier"])
        for tier in tiers:
            if tier.size is not None:
                size.add_metric([tier.name], tier.size)
        yield size

    @staticmethod
    def _pool_metrics(stats: dict[str, Any]) -> Iterator[Metric]:
        labels = [stats["backend"]]
        for key, documentation in (
            ("size", "Persistent connections the pool keeps."),
            ("checked_out", "Connections in use."),
            ("checked_in", "Idle connections in the pool."),
            ("overflow", "Connections open beyond the persistent size."),
        ):
            if key in stats:
                gauge = GaugeMetricFamily(f"db_pool_{key}", documentation, labels=["backend"])
                gauge.add_metric(labels, stats[key])
                yield gauge
        for key, documentation in (
            ("connect_errors", "Failed attempts to connect to the database."),
            ("retries", "Connection attempts retried after a transient error."),
            ("checkout_timeouts", "Requests that found no free connection within DATABASE_POOL_TIMEOUT."),
        ):
            counter = CounterMetricFamily(f"db_pool_{key}", documentation, labels=["backend"])
            counter.add_metric(labels, stats[key])
            yield counter


def build_registry(collector: Collector) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    return registry


def exposition(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
