"""Keys, value codec, latency histogram, circuit breaker, throttled log and the factory."""

from __future__ import annotations

import datetime
import logging
import math
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketing_project.cache import (
    Cache,
    CacheStats,
    LatencyHistogram,
    MemoryCache,
    NullCache,
    TieredCache,
    build_cache,
    make_key,
    namespace_of,
)
from marketing_project.cache.breaker import CircuitBreaker
from marketing_project.cache.codec import decode, encode
from marketing_project.cache.throttle import ThrottledLog
from tests.cache.cache_support import FakeClock

json_text = st.text(st.characters(exclude_categories=["Cs"]))
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | json_text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_text, inner, max_size=4),
    max_leaves=20,
)


# -- keys -------------------------------------------------------------------------------------------------------------


def test_make_key_is_namespaced_and_hashed() -> None:
    key = make_key("analysis", "some text", {"lang": "en"})
    namespace, _, digest = key.partition(":")
    assert namespace == "analysis"
    assert len(digest) == 32
    assert int(digest, 16) >= 0
    assert key == make_key("analysis", "some text", {"lang": "en"})


@given(st.dictionaries(st.text(max_size=5), st.integers(), min_size=2, max_size=6), st.randoms())
def test_make_key_ignores_dict_order(mapping: dict[str, int], rng: Any) -> None:
    items = list(mapping.items())
    rng.shuffle(items)
    assert make_key("ns", mapping) == make_key("ns", dict(items))


@pytest.mark.parametrize(
    ("a", "b"),
    [((1,), (1.0,)), ((1,), ("1",)), (("a", "b"), ("ab",)), ((["a", "b"],), ("a", "b")), ((None,), ())],
)
def test_make_key_separates_different_parts(a: tuple[Any, ...], b: tuple[Any, ...]) -> None:
    assert make_key("ns", *a) != make_key("ns", *b)


def test_make_key_accepts_orjson_types_and_rejects_others() -> None:
    make_key("ns", datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), uuid.UUID(int=1))
    with pytest.raises(TypeError, match="JSON-serialisable"):
        make_key("ns", {1, 2})
    # lone surrogates (legal in JSON request bodies) still give a stable key, distinct from its escaped text
    assert make_key("ns", "\ud800") == make_key("ns", "\ud800") != make_key("ns", "\\ud800")
    with pytest.raises(ValueError, match="non-empty"):
        make_key("", 1)


def test_namespace_of() -> None:
    assert namespace_of("content:list:abc") == "content"
    assert namespace_of("health") == "health"
    assert namespace_of(make_key("content:list", 3)) == "content"


# -- codec ------------------------------------------------------------------------------------------------------------


@given(json_values, st.integers(0, 2**63))
def test_json_values_round_trip(value: Any, expires_at_ms: int) -> None:
    assert decode(encode(value, expires_at_ms)) == (value, expires_at_ms)


@given(st.binary())
def test_bytes_round_trip_unchanged(value: bytes) -> None:
    assert decode(encode(value, 5)) == (value, 5)


def test_codec_documents_lossy_types_and_rejects_garbage() -> None:
    assert decode(encode((1, 2), 0))[0] == [1, 2]
    assert decode(encode(datetime.date(2024, 5, 1), 0))[0] == "2024-05-01"
    assert decode(encode(math.inf, 0))[0] is None
    with pytest.raises(TypeError):
        encode({1, 2}, 0)
    with pytest.raises(ValueError):
        decode(b"short")
    with pytest.raises(ValueError):
        decode(b"\x00" * 8 + b"?payload")


# -- latency histogram ------------------------------------------------------------------------------------------------


def test_histogram_mean_and_p95() -> None:
    histogram = LatencyHistogram()
    for ms in range(1, 101):
        histogram.observe(ms / 1000)
    assert histogram.mean == pytest.approx(0.0505)
    assert 0.05 < histogram.quantile(0.95) <= 0.1
    assert histogram.quantile(0.5) <= 0.05
    assert histogram.max == 0.1


def test_histogram_memory_is_bounded_and_overflow_is_capped_at_the_max() -> None:
    histogram = LatencyHistogram()
    slots = len(histogram.counts)
    for i in range(10_000):
        histogram.observe(20.0 + i)
    assert len(histogram.counts) == slots
    assert histogram.quantile(0.95) <= histogram.max == 10_019.0
    assert histogram.quantile(0.95) > 10.0


# -- circuit breaker and log throttling -------------------------------------------------------------------------------


def test_breaker_opens_for_the_cooldown_then_lets_one_probe_through(clock: FakeClock) -> None:
    breaker = CircuitBreaker(cooldown=2.0, clock=clock)
    assert breaker.allow()
    breaker.failure()
    assert not breaker.allow()
    clock.advance(1.9)
    assert not breaker.allow()
    clock.advance(0.2)
    assert breaker.allow()
    assert not breaker.allow()  # a second caller while the probe is in flight
    breaker.failure()
    clock.advance(2.0)
    assert breaker.allow()
    breaker.success()
    assert breaker.allow() and breaker.allow()
    assert breaker.trips == 1
    with pytest.raises(ValueError, match="cooldown"):
        CircuitBreaker(cooldown=-1)


def test_throttled_log_logs_once_per_interval(clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    log = ThrottledLog(10.0, clock=clock)
    with caplog.at_level(logging.WARNING, logger="marketing_project.cache"):
        assert log.warning("failed %s", 1)
        assert not log.warning("failed %s", 2)
        assert not log.warning("failed %s", 3)
        clock.advance(10)
        assert log.warning("failed %s", 4)
    messages = [record.getMessage() for record in caplog.records]
    assert messages == ["failed 1", "failed 4 (2 similar errors not logged)"]
    assert all(record.name == "marketing_project.cache" for record in caplog.records)


# -- stats and factory ------------------------------------------------------------------------------------------------


def test_stats_to_dict_nests_tiers() -> None:
    memory = MemoryCache().stats()
    parent = NullCache().stats()
    nested = CacheStats(**{**{f: getattr(parent, f) for f in parent.__dataclass_fields__}, "tiers": (memory,)})
    assert nested.to_dict()["tiers"][0]["name"] == "memory"


def test_build_cache_picks_the_implementation() -> None:
    assert isinstance(build_cache(enabled=False), NullCache)
    memory = build_cache(True, 60.0, 10, 1000, None, 5)
    assert isinstance(memory, MemoryCache)
    assert (memory.default_ttl, memory.max_size, memory.max_bytes) == (60.0, 10, 1000)
    tiered = build_cache(True, 600.0, 10, None, "redis://127.0.0.1:1/0", 5, local_ttl=15.0)
    assert isinstance(tiered, TieredCache)
    assert (tiered.default_ttl, tiered.local_ttl, tiered.redis.publish_invalidations) == (600.0, 15.0, True)
    for cache in (memory, tiered, NullCache()):
        assert isinstance(cache, Cache)


@pytest.mark.parametrize(
    "options",
    [{"ttl": -1.0}, {"max_size": 0}, {"ttl": math.inf * 0}, {"redis_url": "redis://h", "redis_max_connections": 0}],
)
def test_build_cache_rejects_invalid_settings(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        build_cache(**options)
