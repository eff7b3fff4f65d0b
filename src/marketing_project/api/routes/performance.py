"""Operational endpoints: cache statistics and clearing, Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from marketing_project.api.deps import Admin, CacheDep, Viewer
from marketing_project.api.responses import FastJSONResponse
from marketing_project.performance.metrics import CONTENT_TYPE, exposition

router = APIRouter(tags=["performance"])


@router.get("/api/v1/performance/cache", summary="Cache statistics, overall and per tier")
async def cache_stats(cache: CacheDep, _: Viewer) -> Response:
    """Hits, misses, hit and miss rate, size, evictions, expirations, errors and get/set latency, per tier."""
    return FastJSONResponse(cache.stats().to_dict())


@router.post("/api/v1/performance/cache/clear", summary="Empty every cache tier (admin)")
async def clear_cache(cache: CacheDep, _: Admin) -> Response:
    await cache.clear()
    return FastJSONResponse({"cleared": True, "stats": cache.stats().to_dict()})


@router.get("/metrics", summary="Prometheus metrics (no key needed)", include_in_schema=True)
async def metrics(request: Request) -> Response:
    return Response(exposition(request.app.state.metrics_registry), media_type=CONTENT_TYPE)
