"""The per-minute history: minutes close on the wall clock, stay bounded, and flag spikes against a baseline."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from marketing_project.performance.collector import RequestCollector
from marketing_project.performance.timeline import MinutePoint, Timeline
from marketing_project.performance.trends import analyse, anomalies

MINUTE0 = 1_900_000_020.0


def _request(collector: RequestCollector, duration: float, status: int = 200) -> None:
    scope: dict[str, Any] = {"type": "http", "method": "GET", "path": "/x", "client": ("10.0.0.1", 1)}
    collector.record(scope, status, duration, 0, 10)


def _point(minute: int, requests: int = 600, p95: float = 0.02, error_rate: float = 0.0) -> MinutePoint:
    return MinutePoint(
        start=datetime.fromtimestamp(MINUTE0 + 60 * minute, UTC),
        requests=requests,
        rps=requests / 60,
        server_errors=int(requests * error_rate),
        client_errors=0,
        error_rate=error_rate,
        mean_response_time=p95 / 2,
        p50=p95 / 2,
        p95=p95,
        p99=p95,
        cpu_percent=10.0,
        memory_mb=100.0,
        peak_in_flight=3,
    )


def test_minutes_close_on_the_wall_clock_with_their_own_counts() -> None:
    collector = RequestCollector(100)
    timeline = Timeline(collector, history_hours=1, window_seconds=300)
    timeline.tick(MINUTE0 + 1, 1.0, 20.0, 100.0, (0, 0))
    for _ in range(10):
        _request(collector, 0.010)
    _request(collector, 0.500, status=503)
    timeline.tick(MINUTE0 + 30, 30.0, 40.0, 120.0, (0, 0))
    timeline.tick(MINUTE0 + 61, 61.0, 5.0, 110.0, (0, 0))  # the first minute closes here
    _request(collector, 0.020)

    first, current = timeline.history(60)
    assert (first.requests, first.server_errors, first.partial) == (11, 1, False)
    assert first.error_rate == 1 / 11
    assert 0.0099 < first.p50 < 0.0104
    assert 0.48 < first.p99 < 0.52
    assert first.cpu_percent == 30.0
    assert first.memory_mb == 120.0
    assert (current.requests, current.partial) == (1, True)


def test_history_is_bounded_by_the_hours_kept() -> None:
    timeline = Timeline(RequestCollector(10), history_hours=1, window_seconds=300)
    for minute in range(200):
        timeline.tick(MINUTE0 + 60 * minute, float(minute * 60), 1.0, 1.0, (0, 0))
    assert len(timeline.minutes) == 60
    assert len(timeline.history(1000)) == 61  # plus the current minute


def test_window_rates_come_from_the_ticks_inside_it() -> None:
    collector = RequestCollector(10)
    timeline = Timeline(collector, history_hours=1, window_seconds=300)
    timeline.tick(MINUTE0, 1000.0, 1.0, 1.0, (0, 0))
    for _ in range(30):
        _request(collector, 0.1)
    timeline.tick(MINUTE0 + 10, 1010.0, 1.0, 1.0, (8, 10))
    window = timeline.window(60, now=1010.0)
    assert window.requests == 30
    assert window.rps == 3.0
    assert window.cache_hit_rate == 0.8
    assert window.error_rate == 0.0
    assert abs((window.mean_response_time or 0) - 0.1) < 1e-9


def test_spikes_are_flagged_against_the_median_of_earlier_minutes() -> None:
    baseline = [_point(m) for m in range(10)]
    assert anomalies(_point(10), baseline) == ()
    assert anomalies(_point(10, p95=0.5), baseline) == ("latency_spike",)
    assert anomalies(_point(10, error_rate=0.2), baseline) == ("error_spike",)
    assert anomalies(_point(10, requests=6000), baseline) == ("traffic_spike",)
    assert anomalies(_point(10, requests=60), baseline) == ("traffic_drop",)
    # a few minutes are not a baseline
    assert anomalies(_point(3, p95=0.5), baseline[:3]) == ()


def test_peak_and_sustained_load_are_identified() -> None:
    rates = [60, 60, 600, 60, 300, 300, 300, 300, 300, 60]
    points = [_point(m, requests=r) for m, r in enumerate(rates)]
    points[-1] = replace(points[-1], partial=True)
    analysis = analyse(points)
    assert analysis.peak_rps == 10.0
    assert analysis.peak_minute == points[2].start.isoformat()
    assert analysis.sustained_rps == 5.0
    assert analysis.sustained_from == points[4].start.isoformat()
