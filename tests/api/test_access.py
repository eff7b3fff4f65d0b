from __future__ import annotations

import httpx
import pytest

from tests.support import ADMIN_KEY, EDITOR, VIEWER

BODY = {"type": "blog_post", "title": "T", "content": "Body"}


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/ready", "/docs", "/redoc", "/openapi.json"])
async def test_probes_and_docs_need_no_key(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200


async def test_missing_and_invalid_keys_are_401_without_echoing_the_key(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/v1/content")
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized"
    assert "X-API-Key" in missing.json()["error"]["message"]
    wrong_key = "not-a-real-key-but-long-enough"
    invalid = await client.get("/api/v1/content", headers={"X-API-Key": wrong_key})
    assert invalid.status_code == 401
    assert wrong_key not in invalid.text
    assert ADMIN_KEY not in invalid.text


async def test_viewer_reads_but_cannot_write(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/content", headers=VIEWER)).status_code == 200
    for response in (
        await client.post("/api/v1/content", json=BODY, headers=VIEWER),
        await client.put("/api/v1/content/x", json=BODY, headers=VIEWER),
        await client.patch("/api/v1/content/x", json={"title": "y"}, headers=VIEWER),
        await client.delete("/api/v1/content/x", headers=VIEWER),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "This needs the editor role; your key has the viewer role"


async def test_editor_writes(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/v1/content", json=BODY, headers=EDITOR)).status_code == 201


async def test_openapi_describes_the_api(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert schema["info"]["title"] == "Marketing Project API"
    assert {"/api/v1/health", "/api/v1/ready", "/api/v1/content", "/api/v1/content/{content_id}"} <= set(
        schema["paths"]
    )
    assert "APIKeyHeader" in schema["components"]["securitySchemes"]
    create = schema["paths"]["/api/v1/content"]["post"]
    assert "requestBody" in create
