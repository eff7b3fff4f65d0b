"""Counters and latency histograms the caches update in place, and the frozen snapshots ``stats()`` returns.

The live objects (:class:`CacheCounters`, :class:`LatencyHistogram`) are plain attributes so a Prometheus collector
can read them directly; the snapshots (:class:`CacheStats`) are for JSON endpoints and tests.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from typing import Any

# 1-2-5 steps from 1 µs to 10 s: fine enough for a p95 of both a dict lookup and a network round trip.
_DEFAULT_BOUNDS: tuple[float, ...] = (*(m * 10.0**e for e in range(-6, 1) for m in (1.0, 2.0, 5.0)), 10.0)


class LatencyHistogram:
    """Cumulative histogram of durations in seconds with fixed buckets: bounded memory whatever the traffic.

    ``counts[i]`` counts observations ``<= bounds[i]`` and ``> bounds[i-1]``; the last slot counts the overflow.
    """

    __slots__ = ("bounds", "count", "counts", "max", "sum")

    def __init__(self, bounds: tuple[float, ...] = _DEFAULT_BOUNDS) -> None:
        self.bounds = bounds
        self.counts = [0] * (len(bounds) + 1)
        self.count = 0
        self.sum = 0.0
        self.max = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(self.bounds, seconds)] += 1
        self.count += 1
        self.sum += seconds
        if seconds > self.max:
            self.max = seconds

    @property
    def mean(self) -> float:
        return self.sum / self.count if self.count else 0.0

    def quantile(self, q: float) -> float:
        """Estimate of the ``q`` quantile, interpolated linearly inside its bucket (capped at the observed max)."""
        if not self.count:
            return 0.0
        rank = q * self.count
        seen = 0
        for index, bucket in enumerate(self.counts):
            if bucket and seen + bucket >= rank:
                lower = self.bounds[index - 1] if index else 0.0
                upper = self.bounds[index] if index < len(self.bounds) else self.max
                estimate = lower + (upper - lower) * (rank - seen) / bucket
                return min(estimate, self.max)
            seen += bucket
        return self.max

    def snapshot(self) -> LatencyStats:
        return LatencyStats(count=self.count, mean=self.mean, p95=self.quantile(0.95), max=self.max)


@dataclasses.dataclass(frozen=True, slots=True)
class LatencyStats:
    """Latency summary in seconds. For the memory tier it is sampled (one operation in 32), see MemoryCache."""

    count: int
    mean: float
    p95: float
    max: float


class CacheCounters:
    """Mutable counters of one cache tier, updated on the hot path.

    ``hits``/``misses``: lookups (``get``, ``get_many`` per key, the lookup inside ``get_or_set``).
    ``coalesced``: ``get_or_set`` callers that waited for another caller's computation instead of computing.
    ``skipped``: operations not sent to Redis because its circuit breaker was open (they count as misses/no-ops).
    ``invalidations``: namespace invalidations issued here; ``remote_invalidations``: ones received from replicas.
    """

    __slots__ = (
        "coalesced",
        "deletes",
        "errors",
        "evictions",
        "expirations",
        "get_latency",
        "hits",
        "invalidations",
        "misses",
        "remote_invalidations",
        "resyncs",
        "set_latency",
        "sets",
        "skipped",
    )

    def __init__(self) -> None:
        self.hits = 0
        self.misses = 0
        self.sets = 0
        self.deletes = 0
        self.evictions = 0
        self.expirations = 0
        self.errors = 0
        self.skipped = 0
        self.coalesced = 0
        self.invalidations = 0
        self.remote_invalidations = 0
        self.resyncs = 0
        self.get_latency = LatencyHistogram()
        self.set_latency = LatencyHistogram()

    def snapshot(
        self,
        name: str,
        *,
        size: int | None,
        size_bytes: int | None = None,
        tiers: tuple[CacheStats, ...] = (),
    ) -> CacheStats:
        lookups = self.hits + self.misses
        return CacheStats(
            name=name,
            hits=self.hits,
            misses=self.misses,
            hit_rate=self.hits / lookups if lookups else 0.0,
            miss_rate=self.misses / lookups if lookups else 0.0,
            size=size,
            size_bytes=size_bytes,
            sets=self.sets,
            deletes=self.deletes,
            evictions=self.evictions,
            expirations=self.expirations,
            errors=self.errors,
            skipped=self.skipped,
            coalesced=self.coalesced,
            invalidations=self.invalidations,
            remote_invalidations=self.remote_invalidations,
            resyncs=self.resyncs,
            get_latency=self.get_latency.snapshot(),
            set_latency=self.set_latency.snapshot(),
            tiers=tiers,
        )


@dataclasses.dataclass(frozen=True, slots=True)
class CacheStats:
    """Point-in-time statistics of one cache; a tiered cache lists its tiers (memory first) in ``tiers``.

    ``size`` is the number of live entries, or ``None`` when it cannot be known cheaply (Redis: counting the keys
    under our prefix needs a full ``SCAN`` of the keyspace, and the database may be shared).
    ``size_bytes`` is the estimated payload size when the memory tier enforces ``max_bytes``, else ``None``.
    """

    name: str
    hits: int
    misses: int
    hit_rate: float
    miss_rate: float
    size: int | None
    size_bytes: int | None
    sets: int
    deletes: int
    evictions: int
    expirations: int
    errors: int
    skipped: int
    coalesced: int
    invalidations: int
    remote_invalidations: int
    resyncs: int
    get_latency: LatencyStats
    set_latency: LatencyStats
    tiers: tuple[CacheStats, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["tiers"] = [tier.to_dict() for tier in self.tiers]
        return data
