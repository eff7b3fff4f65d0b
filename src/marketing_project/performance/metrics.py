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
    def __init__(self, services: Callable[[], Any], pools: Callable[[], Any] | None = None) -> None:
        # called at scrape time: before start-up completes there is nothing to report
        self._services = services
        self._pools = pools or (lambda: None)

    def collect(self) -> Iterator[Metric]:
        services = self._services()
        if services is None:
            return
        cache: Cache = services.cache
        database: Database = services.database
        yield from self._cache_metrics(_tiers(cache.stats()))
        registry = self._pools()
        yield from self._pool_metrics(_registry_stats(registry) if registry else [database.pool_stats()])

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
    def _pool_metrics(pools: list[dict[str, Any]]) -> Iterator[Metric]:
        """One sample per pool, labelled by its backend (sqlite or postgresql, redis, mongodb): each appears once."""
        for kind, key, documentation in _POOL_METRICS:
            family_type = GaugeMetricFamily if kind == "gauge" else CounterMetricFamily
            family = family_type(f"db_pool_{key}", documentation, labels=["backend"])
            for stats in pools:
                if stats.get(key) is not None:
                    family.add_metric([stats["backend"]], stats[key])
            yield family


def _registry_stats(registry: Any) -> list[dict[str, Any]]:
    pools = []
    for pool in registry.snapshot():
        counts, health = pool.counts, pool.health
        pools.append(
            {
                "backend": pool.backend,
                "size": counts.size,
                "max_size": counts.max_size,
                "checked_out": counts.in_use,
                "checked_in": counts.idle,
                "overflow": counts.overflow,
                "connect_errors": counts.errors,
                "retries": counts.retries,
                "checkout_timeouts": counts.timeouts,
                "waits": counts.waits,
                "healthy": None if health is None else int(health.ok),
                "last_health_check_timestamp_seconds": None if health is None else health.at,
            }
        )
    return pools


_POOL_METRICS = (
    ("gauge", "size", "Connections the pool keeps (SQL: its persistent size; Redis, MongoDB: open now)."),
    ("gauge", "max_size", "Most connections the pool opens."),
    ("gauge", "checked_out", "Connections in use."),
    ("gauge", "checked_in", "Idle connections in the pool."),
    ("gauge", "overflow", "Connections open beyond the persistent size."),
    ("gauge", "healthy", "1 when the pool's last health check passed, else 0."),
    ("gauge", "last_health_check_timestamp_seconds", "When the pool was last health-checked (Unix time)."),
    ("counter", "connect_errors", "Failed attempts to connect (Redis: failed commands)."),
    ("counter", "retries", "Connection attempts retried after a transient error."),
    ("counter", "checkout_timeouts", "Requests that found no free connection within DATABASE_POOL_TIMEOUT."),
    ("counter", "waits", "Checkouts that found every connection busy and had to wait."),
)


def build_registry(*collectors: Collector) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        registry.register(collector)
    return registry


def exposition(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
