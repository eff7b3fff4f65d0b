"""Configuration errors, SLO text and the histogram: what users type and the numbers they read."""

from __future__ import annotations

import dataclasses
import math
import random

import pytest

from marketing_project.performance.load_testing import ConfigError, LatencyStats, LoadTestConfig
from marketing_project.performance.load_testing.analysis import analyze
from marketing_project.performance.load_testing.histogram import SIZE, Histogram
from marketing_project.performance.load_testing.recorder import Recorder, ok_table
from marketing_project.performance.load_testing.slo import SloError, SloReport, evaluate, parse_slo
from marketing_project.performance.load_testing.stages import StageResult
from marketing_project.performance.load_testing.summary import unreachable_result


def test_config_reports_every_problem_naming_the_field() -> None:
    with pytest.raises(ConfigError) as caught:
        LoadTestConfig(
            base_url="ftp://x",
            endpoints=[{"path": "health", "method": "FETCH"}, {"path": "/a", "colour": "red"}],
            concurrent_users=0,
            duration_seconds=-1,
            timeout_seconds=0,
            rate=-5,
        )
    message = str(caught.value)
    for expected in (
        "base_url: expected http://host",
        "endpoints[0].path: must start with '/'",
        "endpoints[0].method: 'FETCH'",
        "endpoints[1]: unknown key(s) colour",
        "concurrent_users: must be a whole number ≥ 1",
        "duration_seconds: must be > 0 (got -1)",
        "timeout_seconds: must be > 0",
        "rate: must be > 0",
    ):
        assert expected in message


def test_config_refuses_header_injection_and_an_empty_endpoint_list() -> None:
    with pytest.raises(ConfigError, match="line break"):
        LoadTestConfig("http://h", [{"path": "/", "headers": {"X-A": "1\r\nX-B: 2"}}])
    with pytest.raises(ConfigError, match="at least one endpoint"):
        LoadTestConfig("http://h", [])


def test_the_guides_config_is_valid() -> None:
    config = LoadTestConfig(
        base_url="http://localhost:8000",
        endpoints=[{"path": "/api/v1/analyze", "method": "POST", "headers": {"X-API-Key": "k"}, "data": {"a": 1}}],
        concurrent_users=50,
        duration_seconds=300,
    )
    assert (config.ramp_up_seconds, config.think_time_seconds, config.timeout_seconds) == (10, 1.0, 30)
    assert config.endpoint_specs[0].label == "POST /api/v1/analyze"


def test_slo_text_is_parsed_with_units() -> None:
    objectives = parse_slo("p95<200ms, error_rate<=1%,p99.9 < 2s,rps>=500,max<900us")
    assert [(o.metric, o.op, o.threshold) for o in objectives] == [
        ("p95_response_time", "<", pytest.approx(0.2)),
        ("error_rate", "<=", 1.0),
        ("p999_response_time", "<", 2.0),
        ("requests_per_second", ">=", 500.0),
        ("max_response_time", "<", pytest.approx(0.0009)),
    ]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("p95<200", "a latency needs a unit"),
        ("p97<2ms", "unknown metric 'p97'"),
        ("error_rate<1", "error_rate is a percentage"),
        ("p95 = 2ms", "expected METRIC OPERATOR VALUE"),
        ("", "empty SLO"),
        ("p95<2ms,", "expected METRIC OPERATOR VALUE"),
    ],
)
def test_invalid_slo_text_says_what_is_wrong(text: str, complaint: str) -> None:
    with pytest.raises(SloError, match=complaint):
        parse_slo(text)


def test_slo_fails_when_nothing_answered() -> None:
    result = unreachable_result("basic", "cannot connect (connection refused)", "closed", 1, None)
    report = evaluate(parse_slo("p95<200ms,error_rate<1%"), result)
    assert not report.passed
    assert [check.passed for check in report.checks] == [False, False]
    assert math.isnan(report.checks[0].actual)


def test_histogram_percentiles_match_exact_ones_within_half_a_percent() -> None:
    rng = random.Random(7)
    values = [int(rng.lognormvariate(15, 1.2)) for _ in range(50_000)] + [10_000_000, 1_000_000_000]
    histogram = Histogram()
    for value in values:
        histogram.record(value)
    ordered = sorted(values)
    wanted = (50.0, 90.0, 95.0, 99.0, 99.9)
    for percentile, reported in zip(wanted, histogram.percentiles(wanted), strict=True):
        exact = ordered[math.ceil(percentile / 100 * len(ordered)) - 1]
        assert abs(reported - exact) <= 0.005 * exact
    stats = histogram.stats()
    assert stats.count == len(values)
    assert stats.max == 1.0 and stats.min == min(values) / 1e9
    assert len(histogram.counts) == SIZE  # fixed memory, whatever was recorded


def test_histogram_merge_adds_counts() -> None:
    a, b = Histogram(), Histogram()
    a.record(1_000)
    b.record(3_000_000)
    a.merge(b)
    assert a.count == 2 and a.max == 3_000_000 and a.min == 1_000


def test_each_second_gets_its_own_percentiles_and_failures() -> None:
    recorder = Recorder(["GET /"], [ok_table(())], started_ns=0)
    for i in range(98):
        recorder.response(0, 200, 1_000_000, now=1_000 + i, size=10)  # second 0: 1 ms each
    recorder.response(0, 200, 100_000_000, now=500_000_000, size=10)  # and one of 100 ms
    recorder.response(0, 503, 2_000_000, now=900_000_000, size=10)
    recorder.failure(0, "timeout", now=2_500_000_000, latency=30_000_000)  # second 2, after an empty second
    segments = recorder.finish(now=3_000_000_000)

    first, empty, third = recorder.seconds
    assert (first.second, first.requests, first.failures) == (0, 100, 1)
    assert first.p50 == pytest.approx(0.001, rel=0.005) and first.max == pytest.approx(0.1)
    assert first.p99 == pytest.approx(0.002, rel=0.005)
    assert (empty.second, empty.requests) == (1, 0)
    assert (third.second, third.requests, third.failures, third.max) == (2, 1, 1, pytest.approx(0.03))
    tally = segments[0].tallies[0]
    assert (tally.successes, tally.failures) == (99, 2)
    assert tally.reasons == {"HTTP 503": 1, "timeout": 1}
    assert tally.histogram.count == 101


def _open_stage(schedule_lag_p99: float, generator_lag_p99: float) -> StageResult:
    def lag(p99: float) -> LatencyStats:
        return LatencyStats(1000, p99 / 2, 0.0, p99, p99 / 2, p99, p99, p99, p99)

    base = unreachable_result("basic", "test", "open", 10, 50.0)
    result = dataclasses.replace(
        base,
        status="completed",
        model="open",
        schedule_lag=lag(schedule_lag_p99),
        generator_lag=lag(generator_lag_p99),
    )
    return StageResult("basic", "steady", result, SloReport(()))


def test_advice_tells_a_late_generator_from_a_server_that_held_every_connection() -> None:
    generator = " ".join(analyze([_open_stage(0.05, 0.05)])["recommendations"])
    assert "the load generator itself sent requests up to 50 ms (p99) late" in generator
    assert "not in the latencies" in generator
    server = " ".join(analyze([_open_stage(0.05, 0.0)])["recommendations"])
    assert "waited up to 50 ms (p99) for a free connection" in server and "raise --users" in server
    quiet = " ".join(analyze([_open_stage(0.001, 0.001)])["recommendations"])
    assert "late" not in quiet and "free connection" not in quiet
