"""Monitoring as API users see it: every request recorded with real figures, the endpoints that report them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from marketing_project.performance.middleware import MonitoringMiddleware
from tests.conftest import make_settings, running_app
from tests.support import ADMIN_KEY, EDITOR, EDITOR_KEY, VIEWER

ANALYZE = {
    "content": {"title": "Launch", "content": "We launched a new product today. Try it now!", "type": "blog_post"}
}
POST = {"id": "p1", "type": "blog_post", "title": "First", "content": "Hello world."}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(tmp_path)) as client:
        yield client


async def _get(client: httpx.AsyncClient, path: str) -> Any:
    response = await client.get(f"/api/v1/performance/{path}", headers=VIEWER)
    assert response.status_code == 200, response.text
    return response.json()


def _endpoint(endpoints: list[dict[str, Any]], method: str, route: str) -> dict[str, Any]:
    return next(e for e in endpoints if e["method"] == method and e["endpoint"] == route)


async def test_a_request_is_recorded_with_real_sizes_route_template_and_caller(client: httpx.AsyncClient) -> None:
    body = orjson.dumps(POST)
    created = await client.post("/api/v1/content", content=body, headers={**EDITOR, "content-type": "application/json"})
    read = await client.get("/api/v1/content/p1", headers=VIEWER)
    assert created.status_code == 201 and read.status_code == 200

    recent = (await _get(client, "slow-requests?threshold=0&limit=1000"))["requests"]
    post = next(r for r in recent if r["method"] == "POST")
    assert post["endpoint"] == "/api/v1/content"
    assert post["status_code"] == 201
    assert post["request_size"] == len(body)
    assert post["response_size"] == len(created.content)
    assert post["user_id"].startswith("editor-")
    assert EDITOR_KEY not in str(recent)
    assert post["ip_address"] == "127.0.0.1"
    assert post["memory_usage"] > 1
    assert post["response_time"] > 0
    get = next(r for r in recent if r["endpoint"] == "/api/v1/content/{content_id}")
    assert get["response_size"] == len(read.content)
    assert get["user_id"].startswith("viewer-")


async def test_cached_analyses_and_413s_answered_before_routing_are_counted(client: httpx.AsyncClient) -> None:
    await client.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)
    hit = await client.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)
    assert hit.headers["x-cache"] == "HIT"
    huge = await client.post(
        "/api/v1/content", content=b"x" * 2_000_000, headers={**EDITOR, "content-type": "application/json"}
    )
    assert huge.status_code == 413
    assert huge.headers["x-request-id"]

    endpoints = (await _get(client, "endpoints"))["endpoints"]
    analyze = _endpoint(endpoints, "POST", "/api/v1/analyze")
    assert analyze["requests"] == 2
    assert analyze["response_bytes"] > 0
    assert _endpoint(endpoints, "POST", "/api/v1/content")["statuses"] == {"413": 1}
    recent = (await _get(client, "slow-requests?threshold=0&limit=1000"))["requests"]
    assert [r["user_id"][:7] for r in recent if r["endpoint"] == "/api/v1/analyze"] == ["editor-", "editor-"]


async def test_unmatched_paths_share_one_endpoint(client: httpx.AsyncClient) -> None:
    for n in range(5):
        assert (await client.get(f"/scanner/probe-{n}")).status_code == 404
    endpoints = (await _get(client, "endpoints"))["endpoints"]
    unmatched = [e for e in endpoints if "probe" in e["endpoint"] or e["endpoint"] == "<unmatched>"]
    assert [(e["endpoint"], e["requests"], e["client_errors"]) for e in unmatched] == [("<unmatched>", 5, 5)]


async def test_summary_reports_totals_latency_load_and_resources(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        await client.get("/api/v1/health")
    await client.get("/missing")
    await client.get("/api/v1/content/nope", headers=VIEWER)
    client.app.state.monitor.tick()  # type: ignore[attr-defined]
    summary = await _get(client, "summary")
    assert summary["requests_total"] == 5
    assert summary["client_errors_total"] == 2
    assert summary["server_errors_total"] == 0
    assert summary["error_rate"] == 0
    assert summary["rps_1m"] > 0
    latency = summary["response_time"]
    assert latency["count"] == 5
    assert 0 < latency["min"] <= latency["p50"] <= latency["p95"] <= latency["p99"] <= latency["max"]
    assert summary["in_flight"] == 1  # this request
    assert summary["peak_in_flight"] >= 1
    assert summary["active_clients_5m"] == 2  # the viewer key and an anonymous IP
    assert summary["memory_mb"] > 1
    assert 0 < summary["memory_percent"] < 100
    assert summary["db_pool_in_use"] >= 0  # a number, not null: the SQLite store is pooled
    assert summary["cache_hit_rate"] is not None


async def test_endpoints_sort_and_reject_an_unknown_key(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        await client.get("/api/v1/health")
    await client.get("/api/v1/ready")
    by_requests = (await _get(client, "endpoints?sort=requests&order=desc"))["endpoints"]
    assert by_requests[0]["endpoint"] == "/api/v1/health"
    ascending = (await _get(client, "endpoints?sort=requests&order=asc"))["endpoints"]
    assert [e["requests"] for e in ascending] == sorted(e["requests"] for e in ascending)
    by_name = (await _get(client, "endpoints?sort=endpoint&order=asc"))["endpoints"]
    assert [e["endpoint"] for e in by_name] == sorted(e["endpoint"] for e in by_name)
    bad = await client.get("/api/v1/performance/endpoints?sort=colour", headers=VIEWER)
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "validation_error"


async def test_slow_and_error_requests_filter_and_limit(client: httpx.AsyncClient) -> None:
    for n in range(4):
        await client.get(f"/missing-{n}")
    await client.get("/api/v1/content/nope", headers=VIEWER)
    await client.get("/api/v1/health")
    errors = await _get(client, "error-requests?limit=3")
    assert errors["count"] == 3
    assert all(r["status_code"] >= 400 for r in errors["requests"])
    assert errors["requests"][0]["endpoint"] == "/api/v1/content/{content_id}"  # newest first
    assert (await _get(client, "error-requests?min_status=500"))["count"] == 0
    assert (await _get(client, "slow-requests?threshold=3600"))["count"] == 0
    slowest = (await _get(client, "slow-requests?threshold=0&limit=1000"))["requests"]
    times = [r["response_time"] for r in slowest]
    assert times == sorted(times, reverse=True)
    too_many = await client.get("/api/v1/performance/slow-requests?limit=100000", headers=VIEWER)
    assert too_many.status_code == 422


async def test_history_has_the_current_minute_and_rejects_a_bad_window(client: httpx.AsyncClient) -> None:
    for _ in range(4):
        await client.get("/api/v1/health")
    client.app.state.monitor.tick()  # type: ignore[attr-defined]
    history = await _get(client, "history?window=30m")
    assert history["window_minutes"] == 30
    current = history["points"][-1]
    assert current["partial"] is True
    assert current["requests"] >= 4
    assert current["p95"] > 0
    assert current["memory_mb"] > 1
    assert history["analysis"]["peak_rps"] > 0
    for window in ("abc", "0m", "25h", "-1h"):
        response = await client.get(f"/api/v1/performance/history?window={window}", headers=VIEWER)
        assert response.status_code == 422, window
        assert "window" in response.json()["error"]["message"]


async def test_monitoring_endpoints_need_a_key_but_the_dashboard_page_does_not(client: httpx.AsyncClient) -> None:
    for path in ("summary", "endpoints", "slow-requests", "error-requests", "history", "alerts"):
        response = await client.get(f"/api/v1/performance/{path}")
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "unauthorized"
    page = await client.get("/dashboard")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "/dashboard/dashboard.js" in page.text
    assert all(link.startswith("/dashboard/") for link in re.findall(r'(?:src|href)="([^"]+)"', page.text))
    script = await client.get("/dashboard/dashboard.js")
    assert script.status_code == 200
    assert "X-API-Key" in script.text
    assert (await client.get("/dashboard/secrets.txt")).status_code == 422


async def test_the_ring_buffer_keeps_only_the_latest_requests(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path, performance_metrics_max_requests=5)) as client:
        for n in range(12):
            await client.get(f"/api/v1/health?n={n}")
        monitor = client.app.state.monitor  # type: ignore[attr-defined]
        assert len(monitor.collector.recent) == 5
        summary = await _get(client, "summary")
        assert summary["requests_total"] == 12
        assert (await _get(client, "slow-requests?threshold=0&limit=1000"))["count"] == 5


async def test_monitoring_off_adds_no_middleware_and_reports_503(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, performance_monitoring_enabled=False)
    async with running_app(settings) as client:
        app = client.app  # type: ignore[attr-defined]
        assert all(m.cls is not MonitoringMiddleware for m in app.user_middleware)
        assert (await client.get("/api/v1/health")).headers["x-request-id"]
        response = await client.get("/api/v1/performance/summary", headers=VIEWER)
        assert response.status_code == 503
        assert "PERFORMANCE_MONITORING_ENABLED" in response.json()["error"]["message"]
        metrics = (await client.get("/metrics")).text
        assert "http_requests_total" not in metrics
        assert "cache_hits_total" in metrics


async def test_metrics_off_keeps_the_sampler_but_adds_no_middleware(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path, performance_metrics_enabled=False)) as client:
        app = client.app  # type: ignore[attr-defined]
        assert all(m.cls is not MonitoringMiddleware for m in app.user_middleware)
        await client.get("/api/v1/health")
        summary = await _get(client, "summary")
        assert summary["requests_total"] == 0
        assert summary["memory_mb"] > 1


async def test_request_ids_survive_with_monitoring_outermost(client: httpx.AsyncClient) -> None:
    app = client.app  # type: ignore[attr-defined]
    assert app.user_middleware[0].cls is MonitoringMiddleware  # the last added is the outermost
    response = await client.get("/api/v1/health", headers={"X-Request-ID": "trace-123"})
    assert response.headers["x-request-id"] == "trace-123"
    missing = await client.get("/nowhere")
    assert missing.headers["x-request-id"]
    assert missing.json()["error"]["request_id"] == missing.headers["x-request-id"]


async def test_alerts_list_the_guides_five_rules(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/performance/alerts", headers={"X-API-Key": ADMIN_KEY})
    assert response.status_code == 200
    assert {a["name"] for a in response.json()["alerts"]} == {
        "HighResponseTime",
        "HighErrorRate",
        "HighCpuUsage",
        "HighMemoryUsage",
        "LowCacheHitRate",
    }
