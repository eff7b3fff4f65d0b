from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_settings, running_app
from tests.support import EDITOR

SMALL_LIMIT = 2048


@pytest.fixture
async def small_client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(tmp_path, max_request_size=SMALL_LIMIT)) as client:
        yield client


def _assert_error_shape(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["request_id"] == response.headers["x-request-id"]


async def test_unknown_route_and_method_use_the_error_shape(small_client: httpx.AsyncClient) -> None:
    _assert_error_shape(await small_client.get("/nope"), 404, "not_found")
    _assert_error_shape(await small_client.delete("/api/v1/health"), 405, "method_not_allowed")


async def test_request_id_is_echoed_when_valid_and_replaced_when_not(small_client: httpx.AsyncClient) -> None:
    ok = await small_client.get("/api/v1/health", headers={"X-Request-ID": "trace-123"})
    assert ok.headers["x-request-id"] == "trace-123"
    bad = await small_client.get("/api/v1/health", headers={"X-Request-ID": "has spaces\tand tabs"})
    assert bad.headers["x-request-id"] != "has spaces\tand tabs"
    ids = {(await small_client.get("/api/v1/health")).headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


async def test_declared_oversized_body_is_413_before_reading(small_client: httpx.AsyncClient) -> None:
    body = b'{"type": "blog_post", "title": "T", "content": "' + b"x" * SMALL_LIMIT + b'"}'
    response = await small_client.post(
        "/api/v1/content", content=body, headers={**EDITOR, "Content-Type": "application/json"}
    )
    _assert_error_shape(response, 413, "payload_too_large")
    assert "MAX_REQUEST_SIZE" in response.json()["error"]["message"]


async def test_chunked_oversized_body_is_413(small_client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"type": "blog_post", "title": "T", "content": "'
        for _ in range(10):
            yield b"x" * 512
        yield b'"}'

    response = await small_client.post(
        "/api/v1/content", content=chunks(), headers={**EDITOR, "Content-Type": "application/json"}
    )
    _assert_error_shape(response, 413, "payload_too_large")
    listed = await small_client.get("/api/v1/content", headers=EDITOR)
    assert listed.json()["items"] == []


async def test_body_under_the_limit_is_accepted(small_client: httpx.AsyncClient) -> None:
    response = await small_client.post(
        "/api/v1/content", json={"type": "blog_post", "title": "T", "content": "x" * 1000}, headers=EDITOR
    )
    assert response.status_code == 201


async def test_a_bug_is_a_500_in_the_error_shape_with_request_id(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path)) as client:
        app = client.app  # type: ignore[attr-defined]

        @app.get("/boom")
        async def boom() -> None:
            raise RuntimeError("secret internals")

        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as raw:
            response = await raw.get("/boom")
    _assert_error_shape(response, 500, "internal_error")
    assert "secret internals" not in response.text
