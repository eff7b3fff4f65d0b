"""Where every outcome lands: per-endpoint histograms and counts, and a per-second timeline, in bounded memory.

The recording methods run once per request at tens of thousands of requests per second, so they inline the
histogram's bucket arithmetic and touch only lists and local names. Memory is fixed per endpoint and segment, plus
one small record per second of the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from marketing_project.performance.load_testing.histogram import MAX_VALUE, SUB_BITS, Histogram

_LINEAR = 2 << SUB_BITS
_SECOND = 1_000_000_000
_HTTP_REASONS = [f"HTTP {code}" for code in range(1000)]


@dataclass(frozen=True)
class SecondStats:
    """One second of the run (by completion time): throughput, failures and latency in seconds."""

    second: int
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    max: float
    mean: float
    target_rate: float | None = None


@dataclass
class Tally:
    """What one endpoint did during one segment."""

    name: str
    histogram: Histogram = field(default_factory=Histogram)
    successes: int = 0
    failures: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass
class Segment:
    name: str
    started_ns: int
    ended_ns: int
    tallies: list[Tally]


def ok_table(expected: Sequence[int]) -> bytes:
    """Index by status code: 1 where the status counts as a success (< 400 or explicitly expected)."""
    table = bytearray(1000)
    for code in range(100, 400):
        table[code] = 1
    for code in expected:
        table[code] = 1
    return bytes(table)


class Recorder:
    def __init__(self, names: Sequence[str], ok_tables: Sequence[bytes], started_ns: int) -> None:
        self.names = list(names)
        self.ok = list(ok_tables)
        self.started_ns = started_ns
        self.segments: list[Segment] = []
        self.seconds: list[SecondStats] = []
        self.lag = Histogram()  # open model: how late each send was against its schedule
        self.generator_lag = Histogram()  # the part of that lag that was the generator's own (not in latencies)
        self.bytes_received = 0
        self.last_response_ns = started_ns
        self.target_rate: float | None = None
        self._segment_name = "run"
        self._segment_started = started_ns
        self._reset_segment()
        self._second = Histogram()
        self._second_requests = 0
        self._second_failures = 0
        self._second_end = started_ns + _SECOND

    def _reset_segment(self) -> None:
        self._tallies = [Tally(name) for name in self.names]
        self._counts = [tally.histogram.counts for tally in self._tallies]
        self._sums = [0] * len(self.names)
        self._mins = [MAX_VALUE] * len(self.names)
        self._maxs = [0] * len(self.names)
        self._successes = [0] * len(self.names)
        self._failures = [0] * len(self.names)

    def begin_segment(self, name: str, now: int) -> None:
        self._close_segment(now)
        self._segment_name = name
        self._segment_started = now
        self._reset_segment()

    def _close_segment(self, now: int) -> None:
        for i, tally in enumerate(self._tallies):
            tally.histogram.total, tally.histogram.min, tally.histogram.max = (
                self._sums[i],
                self._mins[i],
                self._maxs[i],
            )
            tally.successes, tally.failures = self._successes[i], self._failures[i]
        self.segments.append(Segment(self._segment_name, self._segment_started, now, self._tallies))

    def finish(self, now: int) -> list[Segment]:
        self.tick(now)
        if self._second_requests:
            self._roll(now)
        self._close_segment(now)
        return self.segments

    def response(self, endpoint: int, status: int, latency: int, now: int, size: int) -> None:
        if now >= self._second_end:
            self._roll(now)
        if latency < _LINEAR:
            index = latency if latency > 0 else 0
        else:
            if latency > MAX_VALUE:
                latency = MAX_VALUE
            shift = latency.bit_length() - 9
            index = (shift << 8) + (latency >> shift)
        self._counts[endpoint][index] += 1
        self._sums[endpoint] += latency
        if latency > self._maxs[endpoint]:
            self._maxs[endpoint] = latency
        if latency < self._mins[endpoint]:
            self._mins[endpoint] = latency
        statuses = self._tallies[endpoint].statuses
        statuses[status] = statuses.get(status, 0) + 1
        if self.ok[endpoint][status]:
            self._successes[endpoint] += 1
        else:
            self._failures[endpoint] += 1
            self._second_failures += 1
            reasons = self._tallies[endpoint].reasons
            reason = _HTTP_REASONS[status]
            reasons[reason] = reasons.get(reason, 0) + 1
        second = self._second
        second.counts[index] += 1
        second.total += latency
        if latency > second.max:
            second.max = latency
        if latency < second.min:
            second.min = latency
        self._second_requests += 1
        self.bytes_received += size
        self.last_response_ns = now

    def failure(self, endpoint: int, reason: str, now: int, latency: int | None = None) -> None:
        """A request that got no usable response; a timeout still records how long it was waited for."""
        if now >= self._second_end:
            self._roll(now)
        self._failures[endpoint] += 1
        reasons = self._tallies[endpoint].reasons
        reasons[reason] = reasons.get(reason, 0) + 1
        self._second_requests += 1
        self._second_failures += 1
        if latency is not None:
            latency = min(max(latency, 0), MAX_VALUE)
            self._tallies[endpoint].histogram.record(latency)
            # the inlined lists are the truth for counts; fold the recorded sample back into them
            self._sums[endpoint] += latency
            self._maxs[endpoint] = max(self._maxs[endpoint], latency)
            self._mins[endpoint] = min(self._mins[endpoint], latency)
            self._second.record(latency)

    def tick(self, now: int) -> None:
        """Close any seconds that ended with no traffic in them."""
        if now >= self._second_end:
            self._roll(now)

    def _roll(self, now: int) -> None:
        second = self._second
        index = (self._second_end - self.started_ns) // _SECOND - 1
        requests = self._second_requests
        measured = second.count
        p50, p95, p99 = (v / 1e9 for v in second.percentiles((50.0, 95.0, 99.0)))
        self.seconds.append(
            SecondStats(
                second=index,
                requests=requests,
                failures=self._second_failures,
                p50=p50,
                p95=p95,
                p99=p99,
                max=second.max / 1e9,
                mean=second.total / measured / 1e9 if measured else 0.0,
                target_rate=self.target_rate,
            )
        )
        self._second = Histogram()
        self._second_requests = self._second_failures = 0
        self._second_end += _SECOND
        while now >= self._second_end:
            index += 1
            self.seconds.append(SecondStats(index, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, self.target_rate))
            self._second_end += _SECOND

    @property
    def totals(self) -> tuple[int, int]:
        """Successes and failures of the current segment so far (for live progress)."""
        return sum(self._successes), sum(self._failures)
