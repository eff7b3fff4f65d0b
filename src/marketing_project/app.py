"""create_app(settings) -> FastAPI: routes, middleware, error handlers; the lifespan opens and closes services."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.engine import make_url

from marketing_project import __version__
from marketing_project.analysis import warm_up
from marketing_project.api import openapi
from marketing_project.api.analysis_cache import CachedAnalysisMiddleware
from marketing_project.api.deps import Services
from marketing_project.api.errors import install_error_handlers
from marketing_project.api.middleware import RequestContextMiddleware
from marketing_project.api.responses import FastJSONResponse
from marketing_project.api.routes import analysis, content, health, monitoring, performance
from marketing_project.api.routes import database as database_routes
from marketing_project.cache import Cache, TieredCache, build_cache
from marketing_project.content.cached import CachedContentRepository
from marketing_project.content.mongo import open_mongo_repository
from marketing_project.content.repository import ContentRepository, SqlContentRepository
from marketing_project.db.migrate import migrate
from marketing_project.db.mongo import mongo_from_settings
from marketing_project.db.pools import PoolRegistry, build_pools
from marketing_project.db.sql import Database
from marketing_project.db.urls import redacted
from marketing_project.errors import SettingsError
from marketing_project.performance.metrics import ServiceCollector, build_registry
from marketing_project.performance.wiring import (
    create_monitor,
    install_middleware,
    metric_collectors,
    start_monitoring,
    stop_monitoring,
)
from marketing_project.security.api_keys import ApiKeyStore, Role, load_or_create_key_file, parse_keys
from marketing_project.settings import Settings, load_settings

logger = logging.getLogger("marketing_project")


def build_key_store(settings: Settings) -> ApiKeyStore:
    keys = parse_keys(
        settings.api_key.get_secret_value() if settings.api_key else None,
        settings.api_keys.get_secret_value() if settings.api_keys else None,
    )
    if not keys:
        path = settings.effective_api_key_file
        key, created = load_or_create_key_file(path)
        keys[key] = Role.admin
        if created:
            # printed once, on the terminal of whoever started the server, never logged
            print(
                f"\n  No API key configured: generated an admin key.\n\n    X-API-Key: {key}\n\n"
                f"  It is kept in {path} (mode 0600). Set API_KEY or API_KEYS to use your own.\n",
                flush=True,
            )
        else:
            logger.info("using the admin API key kept in %s", path)
    return ApiKeyStore(keys)


def _redis(settings: Settings) -> str:
    return redacted(make_url(settings.redis_url)) if settings.redis_url else "-"


def _build_cache(settings: Settings) -> Cache:
    try:
        return build_cache(
            enabled=settings.performance_cache_enabled,
            ttl=settings.performance_cache_ttl,
            max_size=settings.performance_cache_max_size,
            max_bytes=settings.performance_cache_max_bytes,
            redis_url=settings.redis_url,
            redis_max_connections=settings.redis_max_connections,
            key_prefix=settings.redis_key_prefix,
        )
    except ValueError as exc:
        raise SettingsError(f"Invalid cache settings (PERFORMANCE_CACHE_*/REDIS_*): {exc}") from None


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database(settings)
        try:
            await database.wait_until_ready()
            await migrate(database)
        except BaseException:
            await database.close()
            raise
        # the CMU dictionary loads once (~0.2 s), here rather than in the first analysis request
        warm_up()
        cache = _build_cache(settings)
        if isinstance(cache, TieredCache) and not await cache.ready():
            logger.warning("Redis at %s is not answering: serving from the memory tier until it does", _redis(settings))
        # one registry owns every pool from here on: closing it closes them all
        mongo = mongo_from_settings(settings)
        pools = build_pools(database, cache, mongo, settings.database_health_check_interval)
        try:
            repository: ContentRepository = (
                SqlContentRepository(database) if mongo is None else await open_mongo_repository(mongo)
            )
        except BaseException:
            await pools.close()
            raise
        if settings.redis_url or settings.workers == 1:
            repository = CachedContentRepository(repository, cache)
        else:
            # workers' in-process caches cannot see each other's writes: content reads would go stale
            logger.warning("WORKERS=%d without REDIS_URL: content reads are not cached", settings.workers)
        app.state.services = Services(settings, database, cache, repository)
        app.state.pools, app.state.mongo = pools, mongo
        await pools.start()
        await start_monitoring(app)
        logger.info("Marketing Project API %s ready on %s", __version__, database.description)
        try:
            yield
        finally:
            await stop_monitoring(app)
            await pools.close()

    app = FastAPI(
        title="Marketing Project API",
        description="Store and analyze marketing content: blog posts, transcripts, release notes.",
        version=__version__,
        docs_url="/docs",
        redoc_url="/redoc",
        openapi_url="/openapi.json",
        default_response_class=FastJSONResponse,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.api_keys = build_key_store(settings)

    def services() -> Services | None:
        # the lifespan sets them: before start-up completes there is nothing to report
        return getattr(app.state, "services", None)

    app.state.monitor = monitor = create_monitor(settings, services)

    def pools() -> PoolRegistry | None:
        return getattr(app.state, "pools", None)

    app.state.metrics_registry = build_registry(
        ServiceCollector(services, pools), *metric_collectors(settings, monitor)
    )
    install_error_handlers(app)
    openapi.install(app)
    # The routers' routes go straight into the app's route list. FastAPI's include_router keeps each router as a
    # branch resolved per request (matched, then matched again to dispatch): on GET /api/v1/health that was
    # measured as the largest single cost of ours over a bare app. Our routers set prefix and tags on their own
    # routes, so nothing an include would add is lost.
    for router in (health.router, analysis.router, content.router, performance.router, database_routes.router,
                   monitoring.router):  # fmt: skip
        app.router.routes.extend(router.routes)
    app.add_middleware(CachedAnalysisMiddleware)
    app.add_middleware(RequestContextMiddleware, max_body_size=settings.max_request_size)
    # last: outermost, so it also counts cached analyses and 413s answered before routing
    install_middleware(app, settings, monitor)
    return app


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory marketing_project.app:app_factory` and the worker processes of `serve`."""
    settings = load_settings()
    from marketing_project.logs import configure_logging

    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
