"""Operational endpoints: cache statistics and clearing, Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from marketing_project.api.deps import Admin, ServicesDep, Viewer
from marketing_project.api.responses import FastJSONResponse
from marketing_project.performance.metrics import CONTENT_TYPE, exposition

router = APIRouter(tags=["performance"])


_KEYED: dict[int | str, dict[str, Any]] = {401: {"description": "Missing or invalid API key"}}


@router.get("/api/v1/performance/cache", summary="Cache statistics, overall and per tier", responses=_KEYED)
async def cache_stats(services: ServicesDep, _: Viewer) -> Response:
    """Hits, misses, hit and miss rate, size, evictions, expirations, errors and get/set latency, per tier."""
    return FastJSONResponse(services.cache.stats().to_dict())


@router.post(
    "/api/v1/performance/cache/clear",
    summary="Empty every cache tier (admin)",
    responses={**_KEYED, 403: {"description": "Needs the admin role"}},
)
async def clear_cache(services: ServicesDep, _: Admin) -> Response:
    await services.cache.clear()
    return FastJSONResponse({"cleared": True, "stats": services.cache.stats().to_dict()})


@router.get("/metrics", summary="Prometheus metrics (no key needed)", include_in_schema=True)
async def metrics(request: Request) -> Response:
    return Response(exposition(request.app.state.metrics_registry), media_type=CONTENT_TYPE)
