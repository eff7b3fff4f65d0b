"""The monitoring middleware on a tiny app: bytes counted from ASGI messages, failures recorded, access lines."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from marketing_project.logs import JsonFormatter
from marketing_project.performance.collector import RequestCollector
from marketing_project.performance.middleware import MonitoringMiddleware
from tests.conftest import make_settings, running_app
from tests.support import VIEWER


async def stream(request: Request) -> StreamingResponse:
    async def chunks() -> AsyncIterator[bytes]:
        for size in (1000, 2000, 3000):
            yield b"x" * size

    return StreamingResponse(chunks())


async def echo(request: Request) -> Response:
    return Response(await request.body())


async def boom(request: Request) -> Response:
    raise RuntimeError("broken")


def _client(collector: RequestCollector) -> httpx.AsyncClient:
    app = Starlette(
        routes=[Route("/stream", stream), Route("/echo/{name}", echo, methods=["POST"]), Route("/boom", boom)]
    )
    app.add_middleware(MonitoringMiddleware, collector=collector)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_streamed_responses_and_chunked_bodies_are_counted_in_bytes() -> None:
    collector = RequestCollector(10)
    async with _client(collector) as client:
        assert len((await client.get("/stream")).content) == 6000

        async def body() -> AsyncIterator[bytes]:
            yield b"a" * 700
            yield b"b" * 300

        assert (await client.post("/echo/one", content=body())).content == b"a" * 700 + b"b" * 300
    stream_row, echo_row = collector.recent
    assert (stream_row[1], stream_row[7], stream_row[8]) == ("/stream", 0, 6000)
    assert (echo_row[1], echo_row[7], echo_row[8]) == ("/echo/{name}", 1000, 1000)
    assert collector.endpoints[("POST", "/echo/{name}")].received == 1000
    assert collector.in_flight == 0


async def test_a_failing_request_is_recorded_as_a_500() -> None:
    collector = RequestCollector(10)
    async with _client(collector) as client:
        assert (await client.get("/boom")).status_code == 500
    aggregate = collector.endpoints[("GET", "/boom")]
    assert (aggregate.requests, aggregate.server_errors, aggregate.statuses) == (1, 1, {500: 1})
    assert collector.in_flight == 0


async def test_unknown_methods_do_not_create_new_series() -> None:
    collector = RequestCollector(10)
    async with _client(collector) as client:
        for method in ("BREW", "WHEN", "PROPFIND"):
            await client.request(method, "/nowhere")
    assert list(collector.endpoints) == [("OTHER", "<unmatched>")]
    assert collector.endpoints[("OTHER", "<unmatched>")].requests == 3


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(orjson.loads(self.format(record)))


@pytest.fixture
def access_lines() -> Iterator[list[dict[str, Any]]]:
    # a handler of our own: whether earlier tests configured logging must not matter
    logger = logging.getLogger("marketing_project.access")
    handler, level = Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(level)


async def test_json_logs_carry_one_access_line_per_request(tmp_path: Path, access_lines: list[dict[str, Any]]) -> None:
    settings = make_settings(tmp_path, log_format="json")
    async with running_app(settings) as client:
        response = await client.get("/api/v1/content/abc", headers={**VIEWER, "X-Request-ID": "req-42"})
    lines = access_lines
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "req-42"
    assert line["route"] == "/api/v1/content/{content_id}"
    assert line["status"] == response.status_code == 404
    assert line["duration_ms"] > 0
    assert line["user_id"].startswith("viewer-")
    assert "viewer-key" not in str(line)


async def test_text_logs_have_no_access_lines(tmp_path: Path, access_lines: list[dict[str, Any]]) -> None:
    async with running_app(make_settings(tmp_path)) as client:
        await client.get("/api/v1/health")
    assert access_lines == []
