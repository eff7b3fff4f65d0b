"""OpenTelemetry tracing (the optional `otel` extra): off by default, spans exported over OTLP/HTTP when configured."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import make_settings, running_app
from tests.support import VIEWER


class Collector(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def otlp_endpoint() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Collector.received = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


async def test_spans_reach_the_otlp_endpoint(
    tmp_path: Path, otlp_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("opentelemetry.sdk.trace", reason="the otel extra is not installed")
    pytest.importorskip("opentelemetry.exporter.otlp.proto.http", reason="the otel extra is not installed")
    pytest.importorskip("opentelemetry.instrumentation.asgi", reason="the otel extra is not installed")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", otlp_endpoint)
    async with running_app(make_settings(tmp_path)) as client:
        assert client.app.state.tracer_provider is not None  # type: ignore[attr-defined]
        assert (await client.get("/api/v1/content/abc", headers=VIEWER)).status_code == 404
    # the lifespan's shutdown flushed the batch
    paths = [path for path, _ in Collector.received]
    assert "/v1/traces" in paths
    assert any(b"/api/v1/content/{content_id}" in body for _, body in Collector.received)


async def test_no_endpoint_means_no_tracing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    async with running_app(make_settings(tmp_path)) as client:
        assert client.app.state.tracer_provider is None  # type: ignore[attr-defined]
