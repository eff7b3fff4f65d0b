"""Liveness and readiness: exempt from API keys, as orchestrators call them without one."""

from __future__ import annotations

import asyncio
import time

from fastapi import APIRouter, Request
from starlette.responses import Response

from marketing_project import __version__
from marketing_project.api.deps import Services
from marketing_project.api.responses import FastJSONResponse

router = APIRouter(tags=["health"])
_READY_TIMEOUT = 2.0
_HEALTHY = FastJSONResponse({"status": "ok", "version": __version__}).body


@router.get("/api/v1/health", summary="Liveness: the process is up (no dependency is called)")
async def health() -> Response:
    return Response(_HEALTHY, media_type="application/json")


@router.get(
    "/api/v1/ready",
    summary="Readiness: database and cache reachable (503 with per-check detail when not)",
    responses={503: {"description": "A dependency is not reachable"}},
)
async def ready(request: Request) -> Response:
    started = time.perf_counter()
    checks: dict[str, dict[str, object]] = {}
    services: Services = request.app.state.services
    database = services.database
    try:
        latency = await asyncio.wait_for(database.ping(), _READY_TIMEOUT)
        checks["database"] = {"status": "ok", "backend": database.dialect, "latency_ms": round(latency * 1000, 2)}
    except Exception as exc:
        checks["database"] = {"status": "error", "backend": database.dialect, "error": _describe(exc)}
    cache = services.cache
    redis = getattr(cache, "redis", None)
    if redis is None:
        checks["cache"] = {"status": "ok", "backend": cache.stats().name}
    else:
        try:
            latency = await asyncio.wait_for(redis.ping(), _READY_TIMEOUT)
            checks["cache"] = {"status": "ok", "backend": "redis", "latency_ms": round(latency * 1000, 2)}
        except Exception as exc:
            # the memory tier keeps serving, but replicas no longer share results or invalidations
            checks["cache"] = {"status": "error", "backend": "redis", "error": _describe(exc)}
    pools = getattr(request.app.state, "pools", None)
    if pools is not None and pools.probe("mongodb") is not None:
        # MongoDB holds the content: without it nothing can be served
        result = await pools.check("mongodb")
        checks["mongodb"] = {"status": "ok" if result.ok else "error", "backend": "mongodb"}
        checks["mongodb"].update({"latency_ms": result.latency_ms} if result.ok else {"error": result.error})
    ok = all(check["status"] == "ok" for check in checks.values())
    body = {
        "status": "ready" if ok else "not_ready",
        "checks": checks,
        # every pool's counts and its last periodic health check (DATABASE_HEALTH_CHECK_INTERVAL)
        "pools": [pool.to_dict() for pool in pools.snapshot()] if pools is not None else [],
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
    }
    return FastJSONResponse(body, status_code=200 if ok else 503)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {_READY_TIMEOUT:g} s"
    return getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"[:200]
