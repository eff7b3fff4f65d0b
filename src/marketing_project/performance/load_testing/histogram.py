"""HDR-style latency histogram: log-linear buckets over nanoseconds, fixed memory, ≤ 0.4 % relative error.

A value v < 512 ns has its own bucket; above, each power of two is split into 256 equal buckets, so a bucket is at
most 1/256 of its value wide. Values are clamped at 2**42 ns (about 73 minutes): 8960 counters cover everything.
`bucket_index` is inlined on the recording hot path (see recorder.py); keep both in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SUB_BITS = 8
_LINEAR = 2 << SUB_BITS  # 512: below this every nanosecond has its own bucket
MAX_VALUE = (1 << 42) - 1
SIZE = ((42 - SUB_BITS - 1) << SUB_BITS) + _LINEAR  # index of MAX_VALUE + 1
PERCENTILES = (50.0, 90.0, 95.0, 99.0, 99.9)


def bucket_index(value: int) -> int:
    if value < _LINEAR:
        return value if value > 0 else 0
    if value > MAX_VALUE:
        value = MAX_VALUE
    shift = value.bit_length() - SUB_BITS - 1
    return (shift << SUB_BITS) + (value >> shift)


def bucket_value(index: int) -> float:
    """The midpoint of a bucket, in nanoseconds."""
    if index < _LINEAR:
        return float(index)
    shift = (index >> SUB_BITS) - 1
    low = (index - (shift << SUB_BITS)) << shift
    return low + ((1 << shift) - 1) / 2


@dataclass(frozen=True)
class LatencyStats:
    """Latency figures in seconds (0.0 when nothing was measured)."""

    count: int
    mean: float
    min: float
    max: float
    p50: float
    p90: float
    p95: float
    p99: float
    p999: float

    def to_dict(self) -> dict[str, float | int]:
        return {
            "count": self.count,
            "mean": self.mean,
            "min": self.min,
            "max": self.max,
            "p50": self.p50,
            "p90": self.p90,
            "p95": self.p95,
            "p99": self.p99,
            "p99.9": self.p999,
        }


EMPTY = LatencyStats(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


class Histogram:
    """Counts per bucket plus the exact sum, min and max (all in nanoseconds)."""

    __slots__ = ("counts", "max", "min", "total")

    def __init__(self) -> None:
        self.counts = [0] * SIZE
        self.total = 0
        self.min = MAX_VALUE
        self.max = 0

    def record(self, value: int) -> None:
        self.counts[bucket_index(value)] += 1
        self.total += value
        if value < self.min:
            self.min = value
        if value > self.max:
            self.max = value

    @property
    def count(self) -> int:
        return sum(self.counts)

    def merge(self, other: Histogram) -> None:
        self.counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        self.total += other.total
        self.min = min(self.min, other.min)
        self.max = max(self.max, other.max)

    def percentiles(self, wanted: Iterable[float] = PERCENTILES) -> list[float]:
        """Values (ns) below which the wanted percentages of samples fall; the exact max for the top one."""
        wanted = list(wanted)
        count = self.count
        if count == 0:
            return [0.0 for _ in wanted]
        # rank of the sample each percentile names (nearest-rank definition)
        ranks = [max(1, -(-round(p * 10) * count // 1000)) for p in wanted]
        results = [0.0] * len(wanted)
        order = sorted(range(len(wanted)), key=lambda i: ranks[i])
        seen = 0
        position = 0
        counts = self.counts
        # start at the smallest sample's bucket: a full scan of the 8960 buckets stalls the event loop ~1 ms when the
        # per-second timeline rolls over mid-run, which shows up in the tail of the requests in flight at that moment
        first = bucket_index(self.min) if self.min <= MAX_VALUE else 0
        for index in range(first, len(counts)):
            bucket = counts[index]
            if not bucket:
                continue
            seen += bucket
            while position < len(order) and ranks[order[position]] <= seen:
                results[order[position]] = bucket_value(index)
                position += 1
            if position == len(order):
                break
        # a bucket's midpoint may lie past the true extremes: never report outside them
        return [min(max(value, float(self.min)), float(self.max)) for value in results]

    def stats(self) -> LatencyStats:
        count = self.count
        if count == 0:
            return EMPTY
        p50, p90, p95, p99, p999 = (value / 1e9 for value in self.percentiles())
        return LatencyStats(
            count=count,
            mean=self.total / count / 1e9,
            min=self.min / 1e9,
            max=self.max / 1e9,
            p50=p50,
            p90=p90,
            p95=p95,
            p99=p99,
            p999=p999,
        )
