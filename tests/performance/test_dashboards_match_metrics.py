"""The Grafana dashboard and the alert rules only query metrics that /metrics actually exposes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import make_settings, running_app
from tests.support import EDITOR

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
METRIC = re.compile(r"\b((?:http|process|cache|db_pool)_[a-z_]+)\b")


def _grafana_exprs() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana" / "marketing-project-api.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


async def _exposed(tmp_path: Path) -> set[str]:
    async with running_app(make_settings(tmp_path)) as client:
        await client.get("/api/v1/health")
        await client.post(
            "/api/v1/analyze", json={"content": {"title": "T", "content": "Hi.", "type": "blog_post"}}, headers=EDITOR
        )
        text = (await client.get("/metrics")).text
    return {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and not line.startswith("#")}


async def test_every_queried_metric_is_exposed(tmp_path: Path) -> None:
    exposed = await _exposed(tmp_path)
    rules = (DEPLOY / "prometheus" / "alerts.yml").read_text()
    queried = {name for expr in [*_grafana_exprs(), rules] for name in METRIC.findall(expr)}
    assert queried, "no metric names found"
    assert queried - exposed == set()


def test_the_grafana_dashboard_covers_the_guides_figures() -> None:
    titles = " ".join(
        panel["title"].lower()
        for panel in json.loads((DEPLOY / "grafana" / "marketing-project-api.json").read_text())["panels"]
    )
    for figure in ("requests per second", "percentiles", "error rate", "cpu", "memory", "cache hit rate", "pool"):
        assert figure in titles, figure
