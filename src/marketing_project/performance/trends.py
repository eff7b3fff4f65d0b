"""Reading the per-minute series: anomaly flags against a recent baseline, peak and sustained load."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from marketing_project.performance.timeline import MinutePoint

BASELINE_MINUTES = 30
MIN_BASELINE_MINUTES = 5
SPIKE_FACTOR = 3.0
# below these, a "spike" is noise: 3x of 2 ms is still fast, 3x of a handful of requests is still idle
MIN_LATENCY_EXCESS_SECONDS = 0.05
MIN_SPIKE_RPS = 1.0
SUSTAINED_MINUTES = 5


def anomalies(point: MinutePoint, previous: Sequence[MinutePoint]) -> tuple[str, ...]:
    """Flags for `point` against the median of up to 30 earlier minutes that had traffic."""
    baseline = [p for p in previous[-BASELINE_MINUTES:] if p.requests]
    if len(baseline) < MIN_BASELINE_MINUTES or not point.requests:
        return ()
    flags: list[str] = []
    p95 = statistics.median(p.p95 for p in baseline)
    if point.p95 > SPIKE_FACTOR * p95 and point.p95 - p95 > MIN_LATENCY_EXCESS_SECONDS:
        flags.append("latency_spike")
    errors = statistics.median(p.error_rate for p in baseline)
    if point.error_rate > 0.05 and point.error_rate > SPIKE_FACTOR * errors:
        flags.append("error_spike")
    rps = statistics.median(p.rps for p in baseline)
    if point.rps > SPIKE_FACTOR * rps and point.rps > MIN_SPIKE_RPS:
        flags.append("traffic_spike")
    elif not point.partial and point.rps < rps / SPIKE_FACTOR and rps > MIN_SPIKE_RPS:
        flags.append("traffic_drop")
    return tuple(flags)


@dataclass(frozen=True, slots=True)
class LoadAnalysis:
    """`peak_rps`: the busiest minute; `sustained_rps`: the highest rate held in each of 5 consecutive minutes."""

    peak_rps: float
    peak_minute: str | None
    sustained_rps: float
    sustained_from: str | None
    peak_p95: float
    peak_in_flight: int
    anomalous_minutes: int


def analyse(points: Sequence[MinutePoint]) -> LoadAnalysis:
    complete = [p for p in points if not p.partial] or list(points)
    if not complete:
        return LoadAnalysis(0.0, None, 0.0, None, 0.0, 0, 0)
    peak = max(complete, key=lambda p: p.rps)
    span = min(SUSTAINED_MINUTES, len(complete))
    best_index, best_held = 0, -1.0
    for index in range(len(complete) - span + 1):
        held = min(p.rps for p in complete[index : index + span])
        if held > best_held:
            best_index, best_held = index, held
    return LoadAnalysis(
        peak_rps=peak.rps,
        peak_minute=peak.start.isoformat() if peak.requests else None,
        sustained_rps=best_held,
        sustained_from=complete[best_index].start.isoformat() if best_held > 0 else None,
        peak_p95=max(p.p95 for p in points),
        peak_in_flight=max(p.peak_in_flight for p in points),
        anomalous_minutes=sum(1 for p in points if p.anomalies),
    )
