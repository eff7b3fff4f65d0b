"""The log-linear histogram: percentiles within its stated 1/32 relative precision, whatever the distribution."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from marketing_project.performance import histogram

durations = st.lists(st.floats(min_value=1e-4, max_value=30.0, allow_nan=False), min_size=1, max_size=300)


def _exact(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


@given(durations)
@settings(max_examples=200, deadline=None)
def test_quantiles_are_within_a_bucket_of_the_exact_value(values: list[float]) -> None:
    counts = histogram.empty()
    for value in values:
        counts[histogram.bucket_index(value)] += 1
    estimates = histogram.quantiles(counts, (0.5, 0.95, 0.99), min(values), max(values))
    for q, estimate in zip((0.5, 0.95, 0.99), estimates, strict=True):
        exact = _exact(values, q)
        assert abs(estimate - exact) <= exact / 32 + 1e-6, (q, estimate, exact)


@given(st.floats(min_value=0.0, max_value=7200.0, allow_nan=False))
def test_every_duration_falls_inside_its_bucket(seconds: float) -> None:
    index = histogram.bucket_index(seconds)
    lower, upper = histogram.bucket_bounds(index)
    assert 0 <= index < histogram.BUCKETS
    if seconds <= 3600:
        assert lower <= int(seconds * 1e6) / 1e6 < upper


def test_merging_is_adding_and_difference_undoes_it() -> None:
    a, b = histogram.empty(), histogram.empty()
    a[histogram.bucket_index(0.010)] += 3
    b[histogram.bucket_index(0.200)] += 1
    total = histogram.empty()
    histogram.merge_into(total, a)
    histogram.merge_into(total, b)
    assert sum(total) == 4
    assert histogram.difference(total, a) == b
    assert histogram.quantiles(total, (0.5, 0.99)) == [
        sum(histogram.bucket_bounds(histogram.bucket_index(0.010))) / 2,
        sum(histogram.bucket_bounds(histogram.bucket_index(0.200))) / 2,
    ]


def test_an_empty_histogram_summarises_to_zeros() -> None:
    summary = histogram.LatencySummary.of(histogram.empty(), 0, 0.0, 0.0, 0.0)
    assert (summary.count, summary.p95, summary.max) == (0, 0.0, 0.0)
