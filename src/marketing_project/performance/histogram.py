"""HDR-style log-linear histogram of durations: fixed memory, about 3% relative precision, merge by addition.

Durations are counted in whole microseconds. Below 64 µs every microsecond has its own bucket; above, each power of
two is split into 32 equal buckets, so a bucket is never wider than 1/32 of its lower bound. Durations above one hour
share the last bucket. The index is computed with integer bit arithmetic, cheap enough for every request.
"""

from __future__ import annotations

from dataclasses import dataclass

_SUB_BUCKETS = 32
_MAX_MICROS = 3_600_000_000
BUCKETS = ((_MAX_MICROS.bit_length() - 6) << 5) + 2 * _SUB_BUCKETS


def bucket_index(seconds: float) -> int:
    micros = int(seconds * 1_000_000)
    if micros < 64:
        return micros if micros > 0 else 0
    if micros > _MAX_MICROS:
        micros = _MAX_MICROS
    shift = micros.bit_length() - 6
    return (shift << 5) + (micros >> shift)


def bucket_bounds(index: int) -> tuple[float, float]:
    """The [lower, upper) range of bucket `index`, in seconds."""
    if index < 64:
        return index / 1e6, (index + 1) / 1e6
    shift = index // _SUB_BUCKETS - 1
    mantissa = index - _SUB_BUCKETS * shift
    return (mantissa << shift) / 1e6, ((mantissa + 1) << shift) / 1e6


def empty() -> list[int]:
    return [0] * BUCKETS


def merge_into(total: list[int], counts: list[int]) -> None:
    for index, count in enumerate(counts):
        if count:
            total[index] += count


def difference(now: list[int], before: list[int]) -> list[int]:
    return [a - b for a, b in zip(now, before, strict=True)]


def quantiles(counts: list[int], qs: tuple[float, ...], low: float = 0.0, high: float = float("inf")) -> list[float]:
    """Estimates of the quantiles `qs` (ascending), each the midpoint of its bucket clamped to [low, high]."""
    total = sum(counts)
    if not total:
        return [0.0 for _ in qs]
    results: list[float] = []
    targets = iter(qs)
    target = next(targets, None)
    seen = 0
    for index, count in enumerate(counts):
        if not count:
            continue
        seen += count
        while target is not None and seen >= target * total:
            lower, upper = bucket_bounds(index)
            results.append(min(max((lower + upper) / 2, low), high))
            target = next(targets, None)
        if target is None:
            break
    while len(results) < len(qs):
        results.append(min(high, bucket_bounds(BUCKETS - 1)[1]))
    return results


@dataclass(frozen=True, slots=True)
class LatencySummary:
    """Response times in seconds."""

    count: int
    mean: float
    min: float
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, counts: list[int], count: int, total: float, low: float, high: float) -> LatencySummary:
        if not count:
            return cls(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        p50, p95, p99 = quantiles(counts, (0.5, 0.95, 0.99), low, high)
        return cls(count, total / count, low, p50, p95, p99, high)
