"""Prometheus for real: promtool accepts our exposition, scrape config and alert rules (and the rules' own unit
tests), and a real Prometheus scraping a running server finds http_requests_total through its query API."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from tests.conftest import make_settings, running_app
from tests.performance.servers import api_server, free_port, tool, wait_until
from tests.support import EDITOR

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"


def _promtool(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    promtool = tool("promtool", "prometheus")
    return subprocess.run([promtool, *args], input=stdin, capture_output=True, text=True, cwd=DEPLOY, timeout=60)


def test_alert_rules_and_scrape_config_pass_promtool() -> None:
    rules = _promtool("check", "rules", "alerts.yml")
    assert rules.returncode == 0, rules.stdout + rules.stderr
    assert "5 rules found" in rules.stdout
    config = _promtool("check", "config", "prometheus.yml")
    assert config.returncode == 0, config.stdout + config.stderr


def test_each_alert_rule_fires_on_a_breaking_series() -> None:
    result = _promtool("test", "rules", "alerts.test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


async def test_our_metrics_pass_promtool_check_metrics(tmp_path: Path) -> None:
    tool("promtool", "prometheus")
    async with running_app(make_settings(tmp_path)) as client:
        await client.get("/api/v1/health")
        await client.get("/missing")
        await client.post(
            "/api/v1/analyze", json={"content": {"title": "T", "content": "Hi.", "type": "blog_post"}}, headers=EDITOR
        )
        exposition = (await client.get("/metrics")).text
    for name in (
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "http_request_size_bytes_sum",
        "http_response_size_bytes_count",
        "http_requests_in_progress",
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
        "process_memory_limit_bytes",
        "cache_requests_total",
        "cache_hits_total",
        "db_pool_checked_out",
    ):
        assert f"\n{name}" in exposition, name
    result = _promtool("check", "metrics", stdin=exposition)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_real_prometheus_scrapes_http_requests_total(tmp_path: Path) -> None:
    prometheus = tool("prometheus", "prometheus")
    (tmp_path / "api").mkdir()
    with api_server(tmp_path / "api") as base:
        for _ in range(7):
            httpx.get(f"{base}/api/v1/health")
        target = base.removeprefix("http://")
        config = tmp_path / "prometheus.yml"
        config.write_text(
            "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            f"scrape_configs: [{{job_name: api, static_configs: [{{targets: ['{target}']}}]}}]\n"
        )
        port = free_port()
        server = subprocess.Popen(
            [
                prometheus,
                f"--config.file={config}",
                f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        query = 'http_requests_total{job="api", handler="/api/v1/health", method="GET", status="200"}'
        found: list[dict[str, object]] = []

        def scraped() -> bool:
            if server.poll() is not None:
                raise AssertionError("prometheus exited")
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/query", params={"query": query}, timeout=2)
            except httpx.TransportError:
                return False
            found[:] = response.json()["data"]["result"]
            return bool(found)

        try:
            wait_until(scraped, "Prometheus to scrape the API", seconds=60)
        finally:
            server.terminate()
            server.wait(timeout=20)
    value = float(found[0]["value"][1])  # type: ignore[index]
    assert value >= 7
