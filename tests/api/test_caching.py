"""The cache as users see it: repeat analyses served from it, reads never stale, Redis optional."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis

from marketing_project.analysis import AnalysisInput
from marketing_project.content import analyze as analyze_module
from tests.conftest import make_settings, running_app
from tests.support import ADMIN, EDITOR, VIEWER

ANALYZE = {
    "content": {"title": "Launch", "content": "We launched a new product today. Try it now!", "type": "blog_post"}
}
POST = {"id": "p1", "type": "blog_post", "title": "First", "content": "Hello world."}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(tmp_path)) as client:
        yield client


async def test_a_repeat_analysis_is_a_cache_hit_and_options_change_the_key(client: httpx.AsyncClient) -> None:
    first = await client.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)
    again = await client.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)
    other = await client.post("/api/v1/analyze", json={**ANALYZE, "focus_keyphrase": "product"}, headers=EDITOR)
    assert [r.json()["cached"] for r in (first, again, other)] == [False, True, False]
    stats = (await client.get("/api/v1/performance/cache", headers=VIEWER)).json()
    assert stats["hits"] >= 1
    assert stats["size"] >= 2
    assert 0 < stats["hit_rate"] < 1


async def test_concurrent_identical_analyses_compute_once(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[object] = []
    engine_run = analyze_module._run

    def counting_run(inp: AnalysisInput) -> dict[str, object]:
        runs.append(inp)
        return engine_run(inp)

    monkeypatch.setattr(analyze_module, "_run", counting_run)
    payload = {**ANALYZE, "focus_keyphrase": "launch"}
    responses = await asyncio.gather(*(client.post("/api/v1/analyze", json=payload, headers=EDITOR) for _ in range(8)))
    assert {r.status_code for r in responses} == {200}
    assert len(runs) == 1
    # the same content sent with other formatting is recognised too
    spaced = await client.post(
        "/api/v1/analyze", content=json.dumps(payload, indent=4), headers={**EDITOR, "Content-Type": "application/json"}
    )
    assert spaced.json()["cached"] is True
    assert len(runs) == 1


async def test_reads_after_writes_are_never_stale(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/content/p1", headers=VIEWER)).status_code == 404
    await client.post("/api/v1/content", json=POST, headers=EDITOR)
    assert (await client.get("/api/v1/content/p1", headers=VIEWER)).json()["title"] == "First"
    assert [i["id"] for i in (await client.get("/api/v1/content", headers=VIEWER)).json()["items"]] == ["p1"]
    await client.patch("/api/v1/content/p1", json={"title": "Second"}, headers=EDITOR)
    assert (await client.get("/api/v1/content/p1", headers=VIEWER)).json()["title"] == "Second"
    assert (await client.get("/api/v1/content", headers=VIEWER)).json()["items"][0]["title"] == "Second"
    await client.post("/api/v1/content", json={**POST, "id": "p2"}, headers=EDITOR)
    assert len((await client.get("/api/v1/content", headers=VIEWER)).json()["items"]) == 2
    await client.delete("/api/v1/content/p1", headers=EDITOR)
    assert (await client.get("/api/v1/content/p1", headers=VIEWER)).status_code == 404
    assert [i["id"] for i in (await client.get("/api/v1/content", headers=VIEWER)).json()["items"]] == ["p2"]


async def test_repeated_reads_are_served_from_the_cache(client: httpx.AsyncClient) -> None:
    await client.post("/api/v1/content", json=POST, headers=EDITOR)
    for _ in range(5):
        assert (await client.get("/api/v1/content/p1", headers=VIEWER)).status_code == 200
    assert (await client.get("/api/v1/performance/cache", headers=VIEWER)).json()["hits"] >= 4


async def test_clearing_needs_admin_and_empties_the_cache(client: httpx.AsyncClient) -> None:
    await client.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)
    assert (await client.post("/api/v1/performance/cache/clear", headers=EDITOR)).status_code == 403
    cleared = await client.post("/api/v1/performance/cache/clear", headers=ADMIN)
    assert cleared.status_code == 200
    assert cleared.json()["stats"]["size"] == 0
    assert (await client.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)).json()["cached"] is False


async def test_metrics_export_cache_and_pool_figures(client: httpx.AsyncClient) -> None:
    await client.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)
    await client.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'cache_hits_total{tier="memory"} 1.0' in text
    assert 'cache_misses_total{tier="memory"}' in text
    assert 'cache_size{tier="memory"}' in text
    assert 'db_pool_checked_out{backend="sqlite"} 0.0' in text


async def test_cache_can_be_turned_off(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path, performance_cache_enabled=False)) as client:
        results = [(await client.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)).json() for _ in range(2)]
        assert [r["cached"] for r in results] == [False, False]
        await client.post("/api/v1/content", json=POST, headers=EDITOR)
        await client.patch("/api/v1/content/p1", json={"title": "Second"}, headers=EDITOR)
        assert (await client.get("/api/v1/content/p1", headers=VIEWER)).json()["title"] == "Second"
        assert (await client.get("/api/v1/performance/cache", headers=VIEWER)).json()["hits"] == 0


async def test_a_dead_redis_never_fails_a_request(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, redis_url="redis://127.0.0.1:1/0")
    async with running_app(settings) as client:
        assert (await client.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)).status_code == 200
        assert (await client.post("/api/v1/content", json=POST, headers=EDITOR)).status_code == 201
        assert (await client.get("/api/v1/content/p1", headers=VIEWER)).status_code == 200
        ready = await client.get("/api/v1/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["cache"]["status"] == "error"
        assert ready.json()["checks"]["database"]["status"] == "ok"


@pytest.fixture
async def shared_redis(redis_url: str, unique_prefix: str) -> AsyncIterator[tuple[str, str]]:
    yield redis_url, unique_prefix
    client = aioredis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{unique_prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.mark.redis
async def test_two_instances_sharing_redis_and_a_database_never_serve_stale_reads(
    tmp_path: Path, shared_redis: tuple[str, str]
) -> None:
    redis_url, prefix = shared_redis
    settings = make_settings(tmp_path, redis_url=redis_url, redis_key_prefix=prefix)
    async with running_app(settings) as one, running_app(settings) as two:
        await one.post("/api/v1/content", json=POST, headers=EDITOR)
        for _ in range(3):
            assert (await one.get("/api/v1/content/p1", headers=VIEWER)).json()["title"] == "First"
            assert (await two.get("/api/v1/content/p1", headers=VIEWER)).json()["title"] == "First"
        assert (await two.get("/api/v1/content", headers=VIEWER)).json()["items"][0]["title"] == "First"
        await two.patch("/api/v1/content/p1", json={"title": "Changed on two"}, headers=EDITOR)
        assert (await one.get("/api/v1/content/p1", headers=VIEWER)).json()["title"] == "Changed on two"
        assert (await one.get("/api/v1/content", headers=VIEWER)).json()["items"][0]["title"] == "Changed on two"
        await one.delete("/api/v1/content/p1", headers=EDITOR)
        assert (await two.get("/api/v1/content/p1", headers=VIEWER)).status_code == 404

        first = await one.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)
        second = await two.post("/api/v1/analyze", json=ANALYZE, headers=EDITOR)
        assert (first.json()["cached"], second.json()["cached"]) == (False, True)
        assert second.headers["x-cache"] == "HIT"
        ready = (await two.get("/api/v1/ready")).json()
        assert ready["checks"]["cache"] == {**ready["checks"]["cache"], "status": "ok", "backend": "redis"}
        stats = (await two.get("/api/v1/performance/cache", headers=VIEWER)).json()
        assert [tier["name"] for tier in stats["tiers"]] == ["memory", "redis"]
        assert stats["tiers"][1]["hits"] >= 1


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
async def test_a_repeated_body_is_answered_before_routing_with_the_same_result(
    client: httpx.AsyncClient, encoding: str
) -> None:
    headers = {**EDITOR, "Accept-Encoding": encoding, "Content-Type": "application/json"}
    raw = json.dumps({**ANALYZE, "focus_keyphrase": f"product {encoding}"})
    first = await client.post("/api/v1/analyze", content=raw, headers=headers)
    second = await client.post("/api/v1/analyze", content=raw, headers={**headers, "X-Request-ID": "again-1"})
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
    assert second.json() == {**first.json(), "cached": True}
    assert second.headers["x-request-id"] == "again-1"
    assert second.headers.get("content-encoding") == (None if encoding == "identity" else "gzip")


async def test_the_fast_path_never_skips_access_control(client: httpx.AsyncClient) -> None:
    raw = json.dumps(ANALYZE)
    json_headers = {"Content-Type": "application/json", "Accept-Encoding": "identity"}
    assert (await client.post("/api/v1/analyze", content=raw, headers={**EDITOR, **json_headers})).status_code == 200
    assert (await client.post("/api/v1/analyze", content=raw, headers={**EDITOR, **json_headers})).status_code == 200
    viewer = await client.post("/api/v1/analyze", content=raw, headers={**VIEWER, **json_headers})
    assert viewer.status_code == 403
    nobody = await client.post("/api/v1/analyze", content=raw, headers=json_headers)
    assert nobody.status_code == 401
    wrong = await client.post("/api/v1/analyze", content=raw, headers={**json_headers, "X-API-Key": "x" * 20})
    assert wrong.status_code == 401


async def test_an_invalid_body_is_never_cached_and_stays_a_422(client: httpx.AsyncClient) -> None:
    raw = b'{"content": {"title": "T", "content": " ", "type": "blog_post"}}'
    headers = {**EDITOR, "Content-Type": "application/json", "Accept-Encoding": "identity"}
    for _ in range(2):
        response = await client.post("/api/v1/analyze", content=raw, headers=headers)
        assert response.status_code == 422


async def test_several_workers_without_redis_do_not_cache_content_reads(tmp_path: Path) -> None:
    async with (
        running_app(make_settings(tmp_path, workers=2)) as one,
        running_app(make_settings(tmp_path, workers=2)) as two,
    ):
        await one.post("/api/v1/content", json=POST, headers=EDITOR)
        assert (await one.get("/api/v1/content/p1", headers=VIEWER)).json()["title"] == "First"
        await two.patch("/api/v1/content/p1", json={"title": "Second"}, headers=EDITOR)
        assert (await one.get("/api/v1/content/p1", headers=VIEWER)).json()["title"] == "Second"
