"""Alert rules: ok -> pending -> firing after `for`, resolved when the condition clears, evaluated by the monitor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from marketing_project.performance.alerts import AlertRule, AlertThresholds, guide_rules
from tests.conftest import make_settings, running_app
from tests.support import EDITOR, VIEWER

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_rule_fires_only_after_holding_for_its_duration_and_then_resolves() -> None:
    rule = AlertRule("HighErrorRate", "5xx share", ">", 0.05, for_seconds=60)
    rule.evaluate(0.01, at(0))
    assert rule.state == "ok"
    rule.evaluate(0.2, at(10))
    assert (rule.state, rule.since) == ("pending", at(10))
    rule.evaluate(0.2, at(69))
    assert rule.state == "pending"
    rule.evaluate(0.3, at(70))
    assert (rule.state, rule.since, rule.fired_at) == ("firing", at(70), at(70))
    rule.evaluate(0.3, at(100))
    assert rule.since == at(70)
    rule.evaluate(0.0, at(130))
    assert (rule.state, rule.since, rule.fired_at) == ("resolved", at(130), at(70))


def test_a_pending_rule_that_clears_goes_back_to_ok_and_no_data_never_fires() -> None:
    rule = AlertRule("LowCacheHitRate", "hits", "<", 0.7, for_seconds=30)
    rule.evaluate(0.5, at(0))
    rule.evaluate(0.9, at(20))
    assert rule.state == "ok"
    rule.evaluate(0.5, at(25))
    rule.evaluate(0.5, at(50))
    assert rule.state == "pending"  # the clock restarted at 25
    for second in range(100, 200, 10):
        rule.evaluate(None, at(second))
    assert rule.state == "ok"


def test_the_guides_thresholds_are_the_defaults() -> None:
    rules = guide_rules(AlertThresholds())
    assert {name: (r.comparison, r.threshold, r.for_seconds) for name, r in rules.items()} == {
        "HighResponseTime": (">", 2.0, 300.0),
        "HighErrorRate": (">", 0.05, 300.0),
        "HighCpuUsage": (">", 80.0, 300.0),
        "HighMemoryUsage": (">", 90.0, 300.0),
        "LowCacheHitRate": ("<", 0.70, 300.0),
    }


async def test_the_monitor_fires_configured_alerts_from_live_traffic(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        alert_response_time_seconds=1e-9,
        alert_cache_hit_rate=0.99,
        alert_memory_percent=99.9,
        alert_for_seconds=0,
    )
    async with running_app(settings) as client:
        for n in range(3):
            body = {
                "content": {
                    "title": f"T{n}",
                    "content": "Every analysis is new, so every lookup misses.",
                    "type": "blog_post",
                }
            }
            await client.post("/api/v1/analyze", json=body, headers=EDITOR)
        client.app.state.monitor.tick()  # type: ignore[attr-defined]
        body = (await client.get("/api/v1/performance/alerts", headers=VIEWER)).json()
        states = {a["name"]: a for a in body["alerts"]}
        assert states["HighResponseTime"]["state"] == "firing"
        assert states["HighResponseTime"]["value"] > 0
        assert states["LowCacheHitRate"]["state"] == "firing"
        assert states["LowCacheHitRate"]["value"] < 0.99
        assert states["HighMemoryUsage"]["state"] == "ok"
        assert states["HighErrorRate"]["state"] == "ok"
        assert {"HighResponseTime", "LowCacheHitRate"} <= set(body["firing"])
        summary = (await client.get("/api/v1/performance/summary", headers=VIEWER)).json()
        assert {"HighResponseTime", "LowCacheHitRate"} <= set(summary["alerts_firing"])
