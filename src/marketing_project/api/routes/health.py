"""Liveness and readiness: exempt from API keys, as orchestrators call them without one."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from starlette.responses import Response

from marketing_project import __version__
from marketing_project.api.responses import FastJSONResponse
from marketing_project.db.pools import PoolRegistry

router = APIRouter(tags=["health"])
# a failing Redis makes the pod not ready although requests still succeed: replicas would stop sharing results
_CHECK_NAMES = {"sql": "database", "redis": "cache"}
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
    pools: PoolRegistry = request.app.state.pools
    results = await pools.check_all()
    checks: dict[str, dict[str, object]] = {}
    for name, result in results.items():
        probe = pools.probe(name)
        check: dict[str, object] = {
            "status": "ok" if result.ok else "error",
            "backend": probe.backend if probe else name,
        }
        check.update({"latency_ms": result.latency_ms} if result.ok else {"error": result.error})
        checks[_CHECK_NAMES.get(name, name)] = check
    if "cache" not in checks:
        # an in-process cache has nothing that can be unreachable
        checks["cache"] = {"status": "ok", "backend": request.app.state.services.cache.stats().name}
    ok = all(check["status"] == "ok" for check in checks.values())
    body = {
        "status": "ready" if ok else "not_ready",
        "checks": checks,
        # every pool's counts and its last health check (also run every DATABASE_HEALTH_CHECK_INTERVAL)
        "pools": [pool.to_dict() for pool in pools.snapshot()],
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
    }
    return FastJSONResponse(body, status_code=200 if ok else 503)
